import type { Lang } from '../../i18n';
import { t } from '../../i18n';

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  秒: 1,
  m: 60,
  min: 60,
  分: 60,
  分钟: 60,
  h: 3600,
  hr: 3600,
  时: 3600,
  小时: 3600,
  d: 86400,
  day: 86400,
  天: 86400,
};

/** Reads a duration as typed: `30s`, `15m`, `4h`, `2d`, `1h30m`, `30分钟`, `4小时`, `2天`; seconds, or null. */
export function parseDuration(text: string): number | null {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (compact === '') return null;
  let total = 0;
  let rest = compact;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(s|sec|秒|m|min|分钟|分|h|hr|小时|时|d|day|天)/.exec(rest);
    if (!m) return null;
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total > 0 ? Math.round(total) : null;
}

/** Whole minutes of working time, below which a working duration has nothing to say ("under a working minute"). */
export function workingMinutes(ms: number): number {
  return Math.round(Math.max(0, ms) / 60_000);
}

/**
 * Working time as people say it, counted in the team's working days of `dayMs` (its open
 * hours in a day, see calendar.ts workingDayMs): "3 个工作日", "5 个工作小时",
 * "1 个工作日 3 小时", "2 working days 3 h". The two largest units, the first saying it is
 * working time; under a minute "不到 1 个工作分钟" (working seconds are nobody's unit).
 */
export function formatWorkingDuration(ms: number, dayMs: number, lang: Lang): string {
  const minutes = workingMinutes(ms);
  if (minutes === 0) return t(lang, 'unit.underWorkingMinute');
  const dayMinutes = Math.max(1, Math.round(dayMs / 60_000));
  const counts = [Math.floor(minutes / dayMinutes), Math.floor((minutes % dayMinutes) / 60), (minutes % dayMinutes) % 60];
  const working = [
    ['unit.workingDay', 'unit.workingDays'],
    ['unit.workingHour', 'unit.workingHours'],
    ['unit.workingMinute', 'unit.workingMinutes'],
  ] as const;
  const plain = ['unit.days', 'unit.hours', 'unit.minutes'] as const;
  const parts: string[] = [];
  counts.forEach((n, i) => {
    if (n === 0 || parts.length === 2) return;
    parts.push(parts.length === 0 ? t(lang, working[i]![n === 1 ? 0 : 1], { n }) : t(lang, plain[i]!, { n }));
  });
  return parts.join(' ');
}

/** A duration as people say it: "1 小时 5 分钟", "2 d 3 h", "10 s"; the two largest units. */
export function formatDuration(ms: number, lang: Lang): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t(lang, 'unit.seconds', { n: seconds });
  const minutes = Math.round(seconds / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(t(lang, 'unit.days', { n: days }));
  if (hours) parts.push(t(lang, 'unit.hours', { n: hours }));
  if (mins || parts.length === 0) parts.push(t(lang, 'unit.minutes', { n: mins }));
  return parts.slice(0, 2).join(' ');
}
