import { DateTime } from 'luxon';
import { parseDayRange } from './days';
import { fail, ok, type Result } from '../result';

/** A reporting period as typed: today, the last 7 or 30 days, a calendar month, a day, or a range of days. */
export type PeriodSpec =
  | { readonly kind: 'today' }
  | { readonly kind: 'lastDays'; readonly days: number; readonly word: 'week' | 'month' }
  | { readonly kind: 'days'; readonly from: string; readonly to: string };

/** A period resolved in a team's zone: [from, to) instants, and its first and last local dates. */
export interface Period {
  readonly from: DateTime;
  readonly to: DateTime;
  readonly firstDay: string;
  readonly lastDay: string;
}

/** A period of days is at most a year long. */
const PERIOD_MAX_DAYS = 366;

/** Reads `today`, `week` (the last 7 days), `month` (the last 30 days), `2026-11`, `2026-11-20`, `2026-11-01..2026-11-15`. */
export function parsePeriod(word: string): Result<PeriodSpec> {
  const w = word.trim().toLowerCase();
  if (['today', '今天', '今日', 'day'].includes(w)) return ok({ kind: 'today' });
  if (['week', '本周', '周', '近7天', '7d'].includes(w)) return ok({ kind: 'lastDays', days: 7, word: 'week' });
  if (['month', '本月', '月', '近30天', '30d'].includes(w)) return ok({ kind: 'lastDays', days: 30, word: 'month' });
  const unreadable = fail({ key: 'err.badPeriod', params: { value: word } });
  const month = /^(\d{4})-(\d{2})$/.exec(w);
  if (month) {
    const first = DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]), day: 1 }, { zone: 'UTC' });
    return first.isValid ? ok({ kind: 'days', from: first.toISODate()!, to: first.endOf('month').toISODate()! }) : unreadable;
  }
  const days = parseDayRange(w, PERIOD_MAX_DAYS);
  if (!days) return unreadable;
  return days.ok ? ok({ kind: 'days', ...days.value }) : days;
}

/** A period as a word `parsePeriod` reads back to the same period: `month`, `2026-11-01..2026-11-30`. */
export function periodText(spec: PeriodSpec): string {
  if (spec.kind === 'today') return 'today';
  if (spec.kind === 'lastDays') return spec.word;
  return spec.from === spec.to ? spec.from : `${spec.from}..${spec.to}`;
}

/** The instants a period covers in a zone, up to now at the latest. */
export function resolvePeriod(spec: PeriodSpec, zone: string, now: DateTime): Period {
  const today = now.setZone(zone).startOf('day');
  const start = spec.kind === 'today' ? today : spec.kind === 'lastDays' ? today.minus({ days: spec.days - 1 }) : DateTime.fromISO(spec.from, { zone });
  const end = spec.kind === 'days' ? DateTime.fromISO(spec.to, { zone }).plus({ days: 1 }) : today.plus({ days: 1 });
  return { from: start, to: end, firstDay: start.toISODate()!, lastDay: end.minus({ days: 1 }).toISODate()! };
}
