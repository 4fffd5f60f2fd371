import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { chineseHolidayData } from '../../src/app/team/holidays';
import {
  addWorkingTime,
  MON_FRI,
  nextOpening,
  workingDayMs,
  workingTimeBetween,
  yearsWithoutHolidayData,
  type HolidayData,
  type MinuteRange,
  type WorkingCalendar,
} from '../../src/core/time/calendar';

const data = chineseHolidayData();
const MIN = 60_000;

function calendar(over: Partial<WorkingCalendar> = {}): WorkingCalendar {
  return {
    zone: 'Asia/Shanghai',
    hours: { kind: 'weekly', days: 'workdays', ranges: [[9 * 60, 18 * 60]] },
    holidays: 'cn',
    closedDates: new Set(),
    openDates: new Set(),
    ...over,
  };
}
const sh = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' });
const local = (t: DateTime | null, zone = 'Asia/Shanghai') => t?.setZone(zone).toFormat('yyyy-MM-dd HH:mm') ?? null;

describe(addWorkingTime.name, () => {
  it('carries a WeChat message at 17:50 before National Day to 09:20 on the first working day after it', () => {
    expect(local(addWorkingTime(calendar(), data, sh('2026-09-30T17:50'), 30 * MIN))).toBe('2026-10-08 09:20');
  });

  it('starts the clock when the office opens for a message at 21:00', () => {
    expect(local(addWorkingTime(calendar(), data, sh('2026-11-24T21:00'), 30 * MIN))).toBe('2026-11-25 09:30');
  });

  it('counts a 调休 Saturday as a working day and skips the lunch break of a split shift', () => {
    const split = calendar({
      hours: {
        kind: 'weekly',
        days: 'workdays',
        ranges: [
          [540, 720],
          [810, 1080],
        ],
      },
    });
    // 2026-10-10 is a Saturday made a working day after National Day.
    expect(local(addWorkingTime(split, data, sh('2026-10-09T17:50'), 15 * MIN))).toBe('2026-10-10 09:05');
    expect(local(addWorkingTime(split, data, sh('2026-11-24T11:50'), 15 * MIN))).toBe('2026-11-24 13:35');
  });

  it('skips the whole Spring Festival', () => {
    // 2026: holidays 02-15 … 02-23, make-up days 02-14 (Sat) and 02-28 (Sat).
    expect(local(addWorkingTime(calendar(), data, sh('2026-02-13T17:00'), 2 * 60 * MIN))).toBe('2026-02-14 10:00');
    expect(local(addWorkingTime(calendar(), data, sh('2026-02-14T17:00'), 2 * 60 * MIN))).toBe('2026-02-24 10:00');
  });

  it('honours a manager’s closed and open dates over the calendar', () => {
    const cal = calendar({ closedDates: new Set(['2026-11-25']), openDates: new Set(['2026-11-28']) });
    expect(local(addWorkingTime(cal, data, sh('2026-11-24T17:50'), 20 * MIN))).toBe('2026-11-26 09:10');
    expect(local(addWorkingTime(cal, data, sh('2026-11-27T17:50'), 20 * MIN))).toBe('2026-11-28 09:10');
  });

  it('runs round the clock when hours are always, holidays or not', () => {
    expect(local(addWorkingTime(calendar({ hours: { kind: 'always' } }), data, sh('2026-10-01T23:50'), 30 * MIN))).toBe('2026-10-02 00:20');
  });

  it('counts real minutes across a daylight-saving change', () => {
    const ny = calendar({ zone: 'America/New_York', hours: { kind: 'always' }, holidays: 'none' });
    const start = DateTime.fromISO('2026-03-08T01:30', { zone: 'America/New_York' });
    expect(local(addWorkingTime(ny, data, start, 60 * MIN), 'America/New_York')).toBe('2026-03-08 03:30');
  });

  it('says so when the calendar never opens', () => {
    expect(addWorkingTime(calendar({ hours: { kind: 'weekly', days: new Set(), ranges: [[540, 1080]] } }), data, sh('2026-11-24T10:00'), MIN)).toBeNull();
  });
});

describe(workingDayMs.name, () => {
  it('is the open hours of one day: a split shift counts its stretches, round the clock is 24 hours', () => {
    expect(
      workingDayMs(
        calendar({
          hours: {
            kind: 'weekly',
            days: 'workdays',
            ranges: [
              [510, 720],
              [780, 1050],
            ],
          },
        }),
      ) / MIN,
    ).toBe(8 * 60);
    expect(workingDayMs(calendar({ hours: { kind: 'always' } })) / MIN).toBe(24 * 60);
  });
});

describe(yearsWithoutHolidayData.name, () => {
  it('knows 2026 and not 2027, although the package calls 2027-01-01 a workday', () => {
    expect(data.covers(2026)).toBe(true);
    expect(data.covers(2027)).toBe(false);
    expect(yearsWithoutHolidayData(calendar(), data, sh('2026-12-30T10:00'), sh('2027-01-04T10:00'))).toEqual([2027]);
    expect(yearsWithoutHolidayData(calendar({ holidays: 'none' }), data, sh('2026-12-30T10:00'), sh('2027-01-04T10:00'))).toEqual([]);
  });

  it('falls back to Monday to Friday in a year without data', () => {
    // 2027-01-01 is a Friday: without data it is a working day, marked as guessed elsewhere.
    expect(local(addWorkingTime(calendar(), data, sh('2026-12-31T17:50'), 20 * MIN))).toBe('2027-01-01 09:10');
  });
});

// ---------------------------------------------------------------- the oracle
/**
 * Minute by minute, with its own local-time arithmetic (the zone's offset, then
 * plain UTC date maths) and its own day rules: the reference the fast interval
 * walk must agree with.
 */
const DAY = 86_400_000;
const offsetCache = new Map<string, number>();
const dayCache = new Map<string, boolean>();

/** The zone's offset in minutes, looked up once per hour (offsets change on the hour in these zones). */
function offsetAt(zone: string, epochMs: number): number {
  const key = `${zone}|${Math.floor(epochMs / 3_600_000)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) offsetCache.set(key, (offset = IANAZone.create(zone).offset(epochMs)));
  return offset;
}

function oracleWorkingDay(cal: WorkingCalendar, holidays: HolidayData, localDay: number): boolean {
  const iso = new Date(localDay * DAY).toISOString().slice(0, 10);
  if (cal.closedDates.has(iso)) return false;
  if (cal.openDates.has(iso)) return true;
  if (cal.hours.kind === 'always') return true;
  const weekday = ((new Date(localDay * DAY).getUTCDay() + 6) % 7) + 1;
  const days = cal.hours.days === 'workdays' ? MON_FRI : cal.hours.days;
  const kind = cal.holidays === 'cn' && holidays.covers(Number(iso.slice(0, 4))) ? holidays.kindOf(iso) : null;
  return kind === 'holiday' ? false : kind === 'workday' ? true : days.has(weekday);
}

function oracleOpenAt(cal: WorkingCalendar, holidays: HolidayData, epochMs: number): boolean {
  const localMs = epochMs + offsetAt(cal.zone, epochMs) * MIN;
  const localDay = Math.floor(localMs / DAY);
  const minuteOfDay = Math.floor((localMs - localDay * DAY) / MIN);
  const key = `${localDay}`;
  let working = dayCache.get(key);
  if (working === undefined) dayCache.set(key, (working = oracleWorkingDay(cal, holidays, localDay)));
  if (!working) return false;
  const ranges: readonly MinuteRange[] = cal.hours.kind === 'always' ? [[0, 1440]] : cal.hours.ranges;
  return ranges.some(([a, b]) => minuteOfDay >= a && minuteOfDay < b);
}

function oracleAdd(cal: WorkingCalendar, holidays: HolidayData, start: number, minutes: number): number {
  dayCache.clear();
  let t = start;
  let left = minutes;
  for (let guard = 0; guard < 200 * 1440; guard++, t += MIN) {
    if (oracleOpenAt(cal, holidays, t) && --left === 0) return t + MIN;
  }
  throw new Error('oracle found no working time');
}

function oracleBetween(cal: WorkingCalendar, holidays: HolidayData, from: number, to: number): number {
  dayCache.clear();
  let n = 0;
  for (let t = from; t < to; t += MIN) if (oracleOpenAt(cal, holidays, t)) n += 1;
  return n * MIN;
}

function oracleNextOpening(cal: WorkingCalendar, holidays: HolidayData, at: number): number {
  dayCache.clear();
  for (let t = at; ; t += MIN) if (oracleOpenAt(cal, holidays, t)) return t;
}

/** A small deterministic generator, so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const HOURS: ReadonlyArray<WorkingCalendar['hours']> = [
  { kind: 'always' },
  { kind: 'weekly', days: 'workdays', ranges: [[540, 1080]] },
  {
    kind: 'weekly',
    days: 'workdays',
    ranges: [
      [540, 720],
      [810, 1080],
    ],
  },
  { kind: 'weekly', days: new Set([1, 2, 3, 4, 5, 6, 7]), ranges: [[600, 1200]] },
  {
    kind: 'weekly',
    days: new Set([1, 3, 6]),
    ranges: [
      [480, 690],
      [750, 1020],
    ],
  },
  {
    kind: 'weekly',
    days: new Set([6, 7]),
    ranges: [
      [0, 120],
      [1320, 1440],
    ],
  },
];
// Spring Festival, National Day, year ends (2026 → 2027 has no data), DST in New York.
const STARTS = ['2026-02-10', '2026-09-28', '2026-12-29', '2025-12-30', '2026-03-06', '2026-10-30', '2026-05-01', '2026-06-18'];

describe('the working-time calendar against a minute-by-minute oracle', () => {
  const random = rng(20261124);
  const cases = Array.from({ length: 1000 }, (_, i) => {
    const zone = random() < 0.75 ? 'Asia/Shanghai' : 'America/New_York';
    const closed =
      random() < 0.3
        ? new Set([
            DateTime.fromISO(STARTS[i % STARTS.length]!)
              .plus({ days: Math.floor(random() * 5) })
              .toISODate()!,
          ])
        : new Set<string>();
    const open =
      random() < 0.3
        ? new Set([
            DateTime.fromISO(STARTS[(i + 3) % STARTS.length]!)
              .plus({ days: Math.floor(random() * 5) })
              .toISODate()!,
          ])
        : new Set<string>();
    const cal: WorkingCalendar = {
      zone,
      hours: HOURS[Math.floor(random() * HOURS.length)]!,
      holidays: random() < 0.8 ? 'cn' : 'none',
      closedDates: closed,
      openDates: open,
    };
    const day = DateTime.fromISO(STARTS[Math.floor(random() * STARTS.length)]!, { zone }).plus({ minutes: Math.floor(random() * 6 * 1440) });
    const minutes = 1 + Math.floor(random() * (random() < 0.5 ? 60 : 1500));
    return { i, cal, start: day.startOf('minute'), minutes };
  });

  it('has a thousand cases over every kind of calendar', () => {
    expect(cases).toHaveLength(1000);
    expect(new Set(cases.map((c) => c.cal.hours)).size).toBe(HOURS.length);
  });

  it('adds working minutes exactly as the oracle does', () => {
    const wrong = cases.filter(({ cal, start, minutes }) => addWorkingTime(cal, data, start, minutes * MIN)?.toMillis() !== oracleAdd(cal, data, start.toMillis(), minutes));
    expect(wrong.map((c) => ({ case: c.i, zone: c.cal.zone, start: c.start.toISO(), minutes: c.minutes }))).toEqual([]);
  });

  it('measures working time between two instants as the oracle does', () => {
    const wrong = cases.slice(0, 400).filter(({ cal, start, minutes }) => {
      const end = start.plus({ minutes: minutes * 3 });
      return workingTimeBetween(cal, data, start, end) !== oracleBetween(cal, data, start.toMillis(), end.toMillis());
    });
    expect(wrong.map((c) => c.i)).toEqual([]);
  });

  it('finds the next opening as the oracle does', () => {
    const wrong = cases.filter(({ cal, start }) => nextOpening(cal, data, start)?.toMillis() !== oracleNextOpening(cal, data, start.toMillis()));
    expect(wrong.map((c) => c.i)).toEqual([]);
  });
});
