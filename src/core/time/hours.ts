import type { MinuteRange, WeeklyHours } from './calendar';
import { fail, ok, type Result } from '../result';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CN_WEEKDAYS: Readonly<Record<string, number>> = { 周一: 1, 周二: 2, 周三: 3, 周四: 4, 周五: 5, 周六: 6, 周日: 7, 周天: 7 };

function weekdayOf(word: string): number | null {
  const i = WEEKDAYS.indexOf(word.toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
  return i >= 0 ? i + 1 : (CN_WEEKDAYS[word] ?? null);
}

/** `workdays`, `daily`, `mon-fri`, `mon,wed,sat`, `sat-sun`, 工作日, 每天, 周一-周五. */
function parseDays(text: string): 'workdays' | ReadonlySet<number> | null {
  const word = text.trim().toLowerCase();
  if (['workdays', 'weekdays', '工作日'].includes(word)) return 'workdays';
  if (['daily', 'everyday', 'all', '每天', '每日'].includes(word)) return new Set([1, 2, 3, 4, 5, 6, 7]);
  const days = new Set<number>();
  for (const part of word.split(/[,，、]/)) {
    const [from, to] = part.split(/[-~至到]/);
    const a = weekdayOf(from ?? '');
    const b = to === undefined ? a : weekdayOf(to);
    if (a === null || b === null) return null;
    // mon-fri, and fri-mon wrapping round the weekend.
    for (let d = a, n = 0; n < 7; d = (d % 7) + 1, n++) {
      days.add(d);
      if (d === b) break;
    }
  }
  return days.size ? days : null;
}

function parseClock(text: string): number | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : null;
}

/** `09:00-12:00,13:30-18:00`: ascending, non-overlapping ranges within one day (24:00 allowed as an end). */
function parseRanges(text: string): MinuteRange[] | null {
  const ranges: MinuteRange[] = [];
  for (const part of text.split(/[,，]/)) {
    const [from, to, extra] = part.split(/[-~至]/);
    if (extra !== undefined || from === undefined || to === undefined) return null;
    const a = parseClock(from);
    const b = parseClock(to);
    if (a === null || b === null || b <= a || a >= 1440) return null;
    const last = ranges.at(-1);
    if (last && a < last[1]) return null;
    ranges.push([a, b]);
  }
  return ranges.length ? ranges : null;
}

/** Reads `/cs team hours` arguments: `always`, or days and ranges. */
export function parseHours(args: readonly string[]): Result<WeeklyHours> {
  const usage = 'usage.teamHours' as const;
  if (args.length === 1 && ['always', '24/7', '全天'].includes(args[0]!.toLowerCase())) return ok({ kind: 'always' });
  const [daysText, rangesText, extra] = args;
  if (daysText === undefined || rangesText === undefined || extra !== undefined) return fail({ key: 'err.badHours', params: { value: args.join(' ') }, usage });
  const days = parseDays(daysText);
  if (!days) return fail({ key: 'err.badDays', params: { value: daysText }, usage });
  const ranges = parseRanges(rangesText);
  if (!ranges) return fail({ key: 'err.badRanges', params: { value: rangesText }, usage });
  return ok({ kind: 'weekly', days, ranges });
}

const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The hours as they are typed and stored: `always`, `workdays 09:00-18:00`, `mon,wed,sat 08:00-12:00`. */
export function formatHours(hours: WeeklyHours): string {
  if (hours.kind === 'always') return 'always';
  const days =
    hours.days === 'workdays'
      ? 'workdays'
      : hours.days.size === 7
        ? 'daily'
        : [...hours.days]
            .sort((a, b) => a - b)
            .map((d) => WEEKDAYS[d - 1])
            .join(',');
  return `${days} ${hours.ranges.map(([a, b]) => `${clock(a)}-${clock(b)}`).join(',')}`;
}
