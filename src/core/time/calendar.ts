import { DateTime } from 'luxon';
import './zone-offsets';

/**
 * Working time of a team: its weekly hours, China's statutory holidays and
 * make-up working days (调休), and the manager's own closed/open dates.
 * Everything is computed in the team's IANA zone; instants go in and out.
 */

/** Statutory holidays and make-up working days by local date (YYYY-MM-DD). */
export interface HolidayData {
  /** 'holiday': closed although a weekday; 'workday': open although a weekend (调休); null: an ordinary day. */
  kindOf(date: string): 'holiday' | 'workday' | null;
  /** Whether the data knows this year's holidays at all. */
  covers(year: number): boolean;
}

/** A minute range within a day, [start, end), in minutes after local midnight; end may be 1440. */
export type MinuteRange = readonly [start: number, end: number];

export type WeeklyHours =
  | { readonly kind: 'always' }
  /** days: luxon weekdays 1 (Mon) … 7 (Sun); 'workdays' is Mon–Fri moved by the holiday calendar. */
  | { readonly kind: 'weekly'; readonly days: 'workdays' | ReadonlySet<number>; readonly ranges: readonly MinuteRange[] };

export interface WorkingCalendar {
  readonly zone: string;
  readonly hours: WeeklyHours;
  /** 'cn': China's statutory holidays close, 调休 days open; 'none': no holidays. */
  readonly holidays: 'cn' | 'none';
  readonly closedDates: ReadonlySet<string>;
  readonly openDates: ReadonlySet<string>;
}

export const MON_FRI: ReadonlySet<number> = new Set([1, 2, 3, 4, 5]);
/** How far ahead a deadline is searched before the calendar is declared to have no working time. */
const HORIZON_DAYS = 800;

/** Whether a local date is a working day, and whether that answer had to guess (no holiday data for its year). */
function dayStatus(cal: WorkingCalendar, data: HolidayData, date: DateTime): { working: boolean; guessed: boolean } {
  const iso = date.toISODate()!;
  if (cal.closedDates.has(iso)) return { working: false, guessed: false };
  if (cal.openDates.has(iso)) return { working: true, guessed: false };
  if (cal.hours.kind === 'always') return { working: true, guessed: false };
  const days = cal.hours.days === 'workdays' ? MON_FRI : cal.hours.days;
  if (cal.holidays === 'cn') {
    if (!data.covers(date.year)) return { working: days.has(date.weekday), guessed: true };
    const kind = data.kindOf(iso);
    if (kind === 'holiday') return { working: false, guessed: false };
    if (kind === 'workday') return { working: true, guessed: false };
  }
  return { working: days.has(date.weekday), guessed: false };
}

/** The open intervals of one local day, as epoch milliseconds [start, end). */
function dayIntervals(cal: WorkingCalendar, data: HolidayData, day: DateTime): Array<[number, number]> {
  if (!dayStatus(cal, data, day).working) return [];
  const ranges: readonly MinuteRange[] = cal.hours.kind === 'always' ? [[0, 1440]] : cal.hours.ranges;
  const midnight = day.startOf('day');
  const at = (minute: number) =>
    minute >= 1440
      ? midnight.plus({ days: 1 }).startOf('day').toMillis()
      : DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone: cal.zone }).toMillis();
  const out: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const a = at(start);
    const b = at(end);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** Everything a day's intervals depend on, as one string (memoised per calendar object). */
const calendarKeys = new WeakMap<WorkingCalendar, string>();
function calendarKey(cal: WorkingCalendar): string {
  let key = calendarKeys.get(cal);
  if (key === undefined) {
    const hours = cal.hours.kind === 'always' ? 'always' : `${cal.hours.days === 'workdays' ? 'workdays' : [...cal.hours.days].sort().join(',')} ${cal.hours.ranges.join(';')}`;
    key = [cal.zone, hours, cal.holidays, [...cal.closedDates].sort().join(','), [...cal.openDates].sort().join(',')].join('|');
    calendarKeys.set(cal, key);
  }
  return key;
}

/**
 * A day's open intervals, remembered: every deadline of a team on a day walks the same
 * days, and each needs the zone's offset from Intl, which costs more than the rest of a
 * `/cs log`. Kept per holiday table; bounded, and simply emptied when full.
 */
const dayCache = new WeakMap<HolidayData, Map<string, ReadonlyArray<readonly [number, number]>>>();
const DAY_CACHE_MAX = 20_000;
function cachedDayIntervals(cal: WorkingCalendar, data: HolidayData, isoDate: string): ReadonlyArray<readonly [number, number]> {
  let cache = dayCache.get(data);
  if (!cache) {
    cache = new Map();
    dayCache.set(data, cache);
  }
  const key = `${calendarKey(cal)}|${isoDate}`;
  let intervals = cache.get(key);
  if (!intervals) {
    if (cache.size >= DAY_CACHE_MAX) cache.clear();
    intervals = dayIntervals(cal, data, DateTime.fromISO(isoDate, { zone: cal.zone }));
    cache.set(key, intervals);
  }
  return intervals;
}

const DAY_MS = 86_400_000;

/** Walks the open intervals from the local day of `from` on, earliest first. */
function* intervalsFrom(cal: WorkingCalendar, data: HolidayData, from: DateTime): Generator<readonly [number, number]> {
  const local = from.setZone(cal.zone);
  // Local dates step as plain calendar dates; only a day not seen before needs the zone.
  let date = Date.UTC(local.year, local.month - 1, local.day);
  for (let i = 0; i < HORIZON_DAYS; i++, date += DAY_MS) {
    yield* cachedDayIntervals(cal, data, new Date(date).toISOString().slice(0, 10));
  }
}

/** The instant at which `ms` milliseconds of working time have passed since `start`; null when the calendar never opens. */
export function addWorkingTime(cal: WorkingCalendar, data: HolidayData, start: DateTime, ms: number): DateTime | null {
  const from = start.toMillis();
  let remaining = ms;
  for (const [a, b] of intervalsFrom(cal, data, start)) {
    if (b <= from) continue;
    const s = Math.max(a, from);
    if (remaining <= b - s) return DateTime.fromMillis(s + remaining, { zone: cal.zone });
    remaining -= b - s;
  }
  return null;
}

/** How far back the last closing before an instant is looked for (the longest holidays are 8–9 days). */
const LOOKBACK_DAYS = 21;

/**
 * Where working time last stood at `at`: `at` itself while the team is open, otherwise
 * the closing before it (work left off there); null when nothing was open lately.
 */
function lastWorkingInstant(cal: WorkingCalendar, data: HolidayData, at: DateTime): DateTime | null {
  const t = at.toMillis();
  let last: number | null = null;
  for (const [a, b] of intervalsFrom(cal, data, at.minus({ days: LOOKBACK_DAYS }))) {
    if (a >= t) break;
    last = Math.min(b, t);
  }
  return last === null ? null : DateTime.fromMillis(last, { zone: cal.zone });
}

/**
 * `days` working days after the clock starts, as people count 3 个工作日: the same local
 * time that many working days after where work stood when it started (its closing, when it
 * started outside hours), so work finished at Tuesday's close is due at Friday's close, not
 * at Monday's opening. A moment the team is closed on that day becomes the end of the
 * working day it falls in; null when the calendar never opens.
 */
export function addWorkingDays(cal: WorkingCalendar, data: HolidayData, start: DateTime, days: number): DateTime | null {
  const reference = lastWorkingInstant(cal, data, start) ?? nextOpening(cal, data, start);
  if (!reference) return null;
  const local = reference.setZone(cal.zone);
  let day = local.startOf('day');
  for (let counted = 0, i = 0; counted < days; i++) {
    if (i > HORIZON_DAYS) return null;
    day = day.plus({ days: 1 }).startOf('day');
    if (dayStatus(cal, data, day).working) counted++;
  }
  const target = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond },
    { zone: cal.zone },
  ).toMillis();
  // Open then, or just closing: that moment. Otherwise the end of that day's last stretch before it, or its first opening.
  const intervals = cachedDayIntervals(cal, data, day.toISODate()!);
  if (intervals.some(([a, b]) => a <= target && target <= b)) return DateTime.fromMillis(target, { zone: cal.zone });
  const before = intervals.filter(([, b]) => b < target).at(-1);
  if (before) return DateTime.fromMillis(before[1], { zone: cal.zone });
  return nextOpening(cal, data, DateTime.fromMillis(target, { zone: cal.zone }));
}

/**
 * How long one working day of the team is, to say working time in working days: its open
 * hours in a day (09:00–18:00 is 9 h, a split shift the sum of its stretches, round the
 * clock 24 h). Every open day has the same hours (a holiday or a closed date closes the
 * whole day), so 27 working hours of a 9-hour office are 3 working days, as people count
 * 3 个工作日, and never "1 day 3 hours", which reads as due tomorrow morning.
 */
export function workingDayMs(cal: WorkingCalendar): number {
  if (cal.hours.kind === 'always') return DAY_MS;
  return cal.hours.ranges.reduce((sum, [start, end]) => sum + (end - start) * 60_000, 0);
}

/** Working time between two instants, in milliseconds (0 when `to` is not after `from`). */
export function workingTimeBetween(cal: WorkingCalendar, data: HolidayData, from: DateTime, to: DateTime): number {
  const a0 = from.toMillis();
  const b0 = to.toMillis();
  if (b0 <= a0) return 0;
  let total = 0;
  for (const [a, b] of intervalsFrom(cal, data, from)) {
    if (a >= b0) break;
    total += Math.max(0, Math.min(b, b0) - Math.max(a, a0));
  }
  return total;
}

/** The first open instant at or after `at`: `at` itself when the team is open; null when the calendar never opens. */
export function nextOpening(cal: WorkingCalendar, data: HolidayData, at: DateTime): DateTime | null {
  const t = at.toMillis();
  for (const [a, b] of intervalsFrom(cal, data, at)) {
    if (b <= t) continue;
    return DateTime.fromMillis(Math.max(a, t), { zone: cal.zone });
  }
  return null;
}

/** The years in [from, to] whose holidays the calendar would have to guess. */
export function yearsWithoutHolidayData(cal: WorkingCalendar, data: HolidayData, from: DateTime, to: DateTime): number[] {
  if (cal.holidays !== 'cn' || cal.hours.kind === 'always') return [];
  const years: number[] = [];
  for (let y = from.setZone(cal.zone).year; y <= to.setZone(cal.zone).year; y++) if (!data.covers(y)) years.push(y);
  return years;
}
