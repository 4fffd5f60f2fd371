import type { DateTime } from 'luxon';

/** A weekly moment: ISO weekday (1 Monday … 7 Sunday) and local `HH:mm`. */
export interface WeeklyMoment {
  readonly weekday: number;
  readonly time: string;
}

const WEEKDAYS: Readonly<Record<string, number>> = {
  mon: 1,
  monday: 1,
  周一: 1,
  星期一: 1,
  礼拜一: 1,
  tue: 2,
  tuesday: 2,
  周二: 2,
  星期二: 2,
  礼拜二: 2,
  wed: 3,
  wednesday: 3,
  周三: 3,
  星期三: 3,
  礼拜三: 3,
  thu: 4,
  thursday: 4,
  周四: 4,
  星期四: 4,
  礼拜四: 4,
  fri: 5,
  friday: 5,
  周五: 5,
  星期五: 5,
  礼拜五: 5,
  sat: 6,
  saturday: 6,
  周六: 6,
  星期六: 6,
  礼拜六: 6,
  sun: 7,
  sunday: 7,
  周日: 7,
  星期日: 7,
  星期天: 7,
  礼拜天: 7,
};
const WEEKDAY_WORDS = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A weekday's name (`fri`, `Friday`, 周五, 星期五) as its ISO number, 1 Monday … 7 Sunday; null when it is none. */
export const parseWeekday = (word: string): number | null => WEEKDAYS[word.toLowerCase()] ?? null;

/** The code of conduct's weekly meeting is Friday 16:00: the summary half an hour before. */
export const DEFAULT_WEEKLY = 'fri 15:30';

/** Reads `fri 15:30` (also `周五 15:30`); null when it is not one. */
export function parseWeekly(text: string): WeeklyMoment | null {
  const m = /^\s*(\S+?)\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const weekday = parseWeekday(m[1]!);
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (!weekday || hour > 23 || minute > 59) return null;
  return { weekday, time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

export const formatWeekly = (w: WeeklyMoment) => `${WEEKDAY_WORDS[w.weekday]} ${w.time}`;

/** The moment of the week that holds `at`, in the team's zone, and that week's id (`2026-W48`). */
export function weeklyMoment(w: WeeklyMoment, zone: string, at: DateTime): { moment: DateTime; week: string } {
  const monday = at.setZone(zone).startOf('week');
  const [hour, minute] = w.time.split(':').map(Number) as [number, number];
  const moment = monday.plus({ days: w.weekday - 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return { moment, week: monday.toFormat("kkkk-'W'WW") };
}
