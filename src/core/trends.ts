import { DateTime } from 'luxon';
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from './complaints';
import { computeKpis, type Kpi, type KpiContact } from './kpi';
import type { Contact } from './model';
import type { Period } from './time/period';

/** Complaints received per local day over a run of days, per category. */
export interface ComplaintDays {
  /** Local dates, oldest first, the last one the digest's day. */
  readonly days: readonly string[];
  /** Every category with a complaint in those days, in the catalogue's order, unset last. */
  readonly byCategory: ReadonlyArray<{ readonly category: ComplaintCategory | 'unset'; readonly perDay: readonly number[] }>;
}

/**
 * The complaints received on each of the `count` local days up to `day` (in `zone`), per
 * category, as the digest counts them: a complaint received after `asOf` is not there yet.
 * `complaints` must hold every complaint of the team received in those days (the digest's
 * own read covers only 7 days: `reportRepository.complaintsReceivedByTeam` reads the 14).
 */
export function complaintDays(complaints: readonly Contact[], day: string, zone: string, asOf: DateTime, count = 14): ComplaintDays {
  const last = DateTime.fromISO(day, { zone }).startOf('day');
  const days = Array.from({ length: count }, (_, i) => last.minus({ days: count - 1 - i }).toISODate()!);
  const index = new Map(days.map((d, i) => [d, i]));
  const counts = new Map<ComplaintCategory | 'unset', number[]>();
  for (const c of complaints) {
    if (c.channel !== 'complaint' || c.receivedAt > asOf) continue;
    const i = index.get(c.receivedAt.setZone(zone).toISODate()!);
    if (i === undefined) continue;
    const key = c.complaint.category ?? 'unset';
    const perDay = counts.get(key) ?? new Array<number>(count).fill(0);
    perDay[i]! += 1;
    counts.set(key, perDay);
  }
  const byCategory = [...COMPLAINT_CATEGORIES, 'unset' as const].filter((k) => counts.has(k)).map((category) => ({ category, perDay: counts.get(category)! }));
  return { days, byCategory };
}

/** The KPIs of one stretch of a trend: a day, or a week ending at `to`. */
export interface KpiPoint {
  readonly from: DateTime;
  readonly to: DateTime;
  readonly kpis: readonly Kpi[];
}

/**
 * The KPIs of each local day of a period (`/cs kpi month … chart`): `rows` are the period's
 * contacts as `reportRepository.kpiContacts` reads them for the text, split by the day they
 * came in, each day's KPIs computed as the text computes a period's (`computeKpis` at `now`).
 */
export function dailyKpis(rows: readonly KpiContact[], period: Period, zone: string, now: DateTime): KpiPoint[] {
  // Each row read once, into its local day: a year's period is one pass over the rows, not one per day.
  const byDay = new Map<string, KpiContact[]>();
  for (const row of rows) {
    const day = row.contact.receivedAt.setZone(zone).toISODate()!;
    const list = byDay.get(day);
    if (list) list.push(row);
    else byDay.set(day, [row]);
  }
  const points: KpiPoint[] = [];
  for (let from = period.from.setZone(zone).startOf('day'); from < period.to; from = from.plus({ days: 1 })) {
    const to = from.plus({ days: 1 });
    points.push({ from, to, kpis: computeKpis(byDay.get(from.toISODate()!) ?? [], now) });
  }
  return points;
}

/**
 * The team's KPIs for each of the `weeks` weeks up to the weekly summary's `moment`, the last
 * one the summary's own week, the one before its "last week". `rows` are the team's contacts
 * received in those weeks (`kpiContacts(db, team, moment − weeks, moment, null)`).
 */
export function weeklyKpis(rows: readonly KpiContact[], moment: DateTime, weeks: number, now: DateTime): KpiPoint[] {
  return Array.from({ length: weeks }, (_, i) => {
    const from = moment.minus({ weeks: weeks - i });
    const to = moment.minus({ weeks: weeks - 1 - i });
    return { from, to, kpis: computeKpis(within(rows, from, to), now) };
  });
}

const within = (rows: readonly KpiContact[], from: DateTime, to: DateTime) => rows.filter((r) => r.contact.receivedAt >= from && r.contact.receivedAt < to);
