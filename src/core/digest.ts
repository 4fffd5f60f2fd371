import { DateTime } from 'luxon';
import { COMPLAINT_CATEGORIES, COMPLAINT_LEVELS, LOW_SATISFACTION, type ComplaintCategory, type ComplaintLevel } from './complaints';
import { clockDueAt, clockMetAt, type Contact } from './model';
import type { Ratio } from './ratio';
import { resolution24hRate } from './resolution-24h';
import type { ClockKind } from './policy';

export { rateOf, type Ratio } from './ratio';

export interface OverdueItem {
  readonly contact: Contact;
  readonly clock: ClockKind;
  readonly dueAt: DateTime;
}

export interface CategoryTrend {
  readonly category: ComplaintCategory | 'unset';
  readonly count: number;
  /** Complaints received per local day, oldest first, the digest's day last. */
  readonly perDay: readonly number[];
}

/** The daily complaint digest of one team, computed from its complaints. */
export interface Digest {
  readonly day: string;
  readonly asOf: DateTime;
  readonly newToday: { readonly total: number; readonly byLevel: ReadonlyMap<ComplaintLevel | 'unset', number>; readonly byCategory: ReadonlyMap<ComplaintCategory | 'unset', number> };
  readonly resolvedToday: number;
  readonly open: { readonly total: number; readonly under24h: number; readonly from24to48h: number; readonly over48h: number };
  readonly overdue: readonly OverdueItem[];
  readonly resolved24h: { readonly today: Ratio; readonly week: Ratio };
  readonly medianFirstResponseMs: { readonly today: number | null; readonly week: number | null };
  readonly followups: { readonly doneToday: number; readonly due: number; readonly overdue: number; readonly averageSatisfaction7d: number | null; readonly scored7d: number };
  readonly topCategories: readonly CategoryTrend[];
  readonly groupCategories: ReadonlyArray<{ readonly category: ComplaintCategory; readonly ids: readonly number[] }>;
  readonly linkedGroups: ReadonlyArray<{ readonly group: number; readonly ids: readonly number[]; readonly open: number }>;
  readonly rootCauseOwed: readonly Contact[];
  /** Nothing happened and nothing is open: the post says so in one line. */
  readonly quiet: boolean;
}

/** The moment of a digest set for `time` (HH:mm) on a local date. */
export function digestMoment(day: string, time: string, zone: string): DateTime {
  return DateTime.fromISO(`${day}T${time}`, { zone });
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_DAYS = 7;
const TOP_CATEGORIES = 5;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const within = (at: DateTime | null, from: DateTime, to: DateTime) => at !== null && at >= from && at < to;

/**
 * The digest of `day` (a local date in `zone`) as it stood at `asOf` (the end of that
 * day, or now if earlier). `complaints` must hold the team's complaints received,
 * resolved or followed up in the 7 days up to `day`, and every one still open.
 *
 * Definitions: the 24 h resolution rate is `resolution24hRate` over the complaints whose
 * outcome was settled in the period (resolved within 24 h, or 24 h passed without); the
 * median first response is over the complaints first answered in the period; the 7-day
 * figures cover `day` and the six days before it.
 */
export function buildDigest(complaints: readonly Contact[], day: string, zone: string, now: DateTime, groupWarn: number): Digest {
  const dayStart = DateTime.fromISO(day, { zone }).startOf('day');
  const dayEnd = dayStart.plus({ days: 1 });
  const asOf = now < dayEnd ? now : dayEnd;
  const weekStart = dayStart.minus({ days: WEEK_DAYS - 1 });
  // Whatever happened at the very moment of the digest has happened.
  const until = asOf.plus({ milliseconds: 1 });
  const received = complaints.filter((c) => c.receivedAt < until);

  const newToday = received.filter((c) => within(c.receivedAt, dayStart, dayEnd));
  const byLevel = countBy(newToday, (c) => c.complaint.level ?? 'unset', [...COMPLAINT_LEVELS, 'unset']);
  const byCategory = countBy(newToday, (c) => c.complaint.category ?? 'unset', [...COMPLAINT_CATEGORIES, 'unset']);

  const resolvedBy = (c: Contact) => c.resolvedAt !== null && c.resolvedAt < until;
  const open = received.filter((c) => !resolvedBy(c));
  const age = (c: Contact) => asOf.toMillis() - c.receivedAt.toMillis();

  const overdue: OverdueItem[] = [];
  for (const c of received) {
    for (const clock of ['response', 'resolution', 'followup'] as const) {
      const dueAt = clockDueAt(c, clock);
      if (dueAt && dueAt <= asOf && !metBy(c, clock, asOf)) {
        overdue.push({ contact: c, clock, dueAt });
        break;
      }
    }
  }
  overdue.sort((a, b) => a.dueAt.toMillis() - b.dueAt.toMillis());

  // Settled by the end of the day at the latest: an outcome settled at midnight belongs to the next day.
  const settledBy = asOf < dayEnd ? asOf : dayEnd.minus({ milliseconds: 1 });
  const cohort24h = (from: DateTime) => resolution24hRate(received, settledBy, from);
  const responseTimes = (from: DateTime) => received.filter((c) => within(c.firstRespondedAt, from, until)).map((c) => c.firstRespondedAt!.toMillis() - c.receivedAt.toMillis());

  const followedUp = (from: DateTime) => received.filter((c) => within(c.complaint.followedUpAt, from, until));
  const scored = followedUp(weekStart).filter((c) => c.complaint.satisfaction !== null);
  const followupsDue = received.filter((c) => c.complaint.followupDueAt !== null && !(c.complaint.followedUpAt && c.complaint.followedUpAt < until));

  const weekly = received.filter((c) => within(c.receivedAt, weekStart, dayEnd));
  const trends = new Map<ComplaintCategory | 'unset', number[]>();
  for (const c of weekly) {
    const key = c.complaint.category ?? 'unset';
    const days = trends.get(key) ?? new Array<number>(WEEK_DAYS).fill(0);
    const index = Math.floor(c.receivedAt.setZone(zone).startOf('day').diff(weekStart, 'days').days + 0.5);
    days[Math.min(WEEK_DAYS - 1, Math.max(0, index))]! += 1;
    trends.set(key, days);
  }
  const topCategories = [...trends.entries()]
    .map(([category, perDay]) => ({ category, perDay, count: perDay.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, TOP_CATEGORIES);

  const last24h = received.filter((c) => c.receivedAt > asOf.minus({ milliseconds: DAY_MS }));
  const groupCategories = COMPLAINT_CATEGORIES.map((category) => ({
    category,
    ids: last24h.filter((c) => c.complaint.category === category).map((c) => c.id),
  })).filter((g) => g.ids.length >= groupWarn);
  const groups = new Map<number, Contact[]>();
  for (const c of received) {
    if (c.complaint.groupId !== null) groups.set(c.complaint.groupId, [...(groups.get(c.complaint.groupId) ?? []), c]);
  }
  const linkedGroups = [...groups.entries()]
    .map(([group, members]) => ({ group, ids: members.map((m) => m.id).sort((a, b) => a - b), open: members.filter((m) => m.status !== 'closed').length }))
    .filter((g) => g.ids.length >= 2 && g.open > 0)
    .sort((a, b) => a.group - b.group);

  const rootCauseOwed = received.filter(
    (c) => c.complaint.satisfaction !== null && c.complaint.satisfaction <= LOW_SATISFACTION && c.complaint.followedUpAt !== null && c.complaint.followedUpAt < until && !c.complaint.rootCauseNotedAt,
  );
  const resolvedToday = received.filter((c) => within(c.resolvedAt, dayStart, until)).length;
  const doneToday = followedUp(dayStart).length;

  return {
    day,
    asOf,
    newToday: { total: newToday.length, byLevel, byCategory },
    resolvedToday,
    open: {
      total: open.length,
      under24h: open.filter((c) => age(c) < DAY_MS).length,
      from24to48h: open.filter((c) => age(c) >= DAY_MS && age(c) < 2 * DAY_MS).length,
      over48h: open.filter((c) => age(c) >= 2 * DAY_MS).length,
    },
    overdue,
    resolved24h: { today: cohort24h(dayStart), week: cohort24h(weekStart) },
    medianFirstResponseMs: { today: median(responseTimes(dayStart)), week: median(responseTimes(weekStart)) },
    followups: {
      doneToday,
      due: followupsDue.length,
      overdue: followupsDue.filter((c) => c.complaint.followupDueAt! <= asOf).length,
      averageSatisfaction7d: scored.length ? scored.reduce((sum, c) => sum + c.complaint.satisfaction!, 0) / scored.length : null,
      scored7d: scored.length,
    },
    topCategories,
    groupCategories,
    linkedGroups,
    rootCauseOwed,
    quiet: newToday.length === 0 && open.length === 0 && resolvedToday === 0 && followupsDue.length === 0 && doneToday === 0 && rootCauseOwed.length === 0,
  };
}

/** Whether a clock was met by an instant (a clock met later was still open then). */
function metBy(c: Contact, clock: ClockKind, at: DateTime): boolean {
  const metAt = clockMetAt(c, clock);
  return metAt !== null && metAt <= at;
}

function countBy<K extends string>(items: readonly Contact[], key: (c: Contact) => K, order: readonly K[]): ReadonlyMap<K, number> {
  const counts = new Map<K, number>();
  for (const c of items) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  return new Map(order.filter((k) => counts.has(k)).map((k) => [k, counts.get(k)!]));
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A trend as a sparkline: ▁ for none, up to █ for the largest count. */
export function sparkline(values: readonly number[], max = Math.max(0, ...values)): string {
  return values.map((v) => (v <= 0 || max <= 0 ? BARS[0] : BARS[Math.min(7, 1 + Math.floor((v / max) * 6))])).join('');
}
