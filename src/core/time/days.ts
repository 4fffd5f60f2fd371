import { DateTime } from 'luxon';
import { fail, ok, type Result } from '../result';
import { parseWeekday } from '../weekly';

/** Days as commands name them: dates, ranges of dates, and the words for days to come. */

const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAYS_FROM_TODAY: Readonly<Record<string, number>> = { today: 0, 今天: 0, 今日: 0, tomorrow: 1, 明天: 1, 明日: 1, 后天: 2 };

/** A date typed as YYYY-MM-DD: null when the text has not that shape; an error when no such day exists (2027-02-30). */
export function parseIsoDay(text: string): Result<string> | null {
  const m = ISO_DAY.exec(text.trim());
  if (!m) return null;
  const day = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: 'UTC' });
  return day.isValid ? ok(day.toISODate()!) : fail({ key: 'err.noSuchDay', params: { value: text.trim() } });
}

/**
 * `2026-12-18`, or a range `2026-12-18..2026-12-20` (also `~`, `至`) of at most `maxDays`:
 * its first and last dates. Null when the text is no date at all (each grammar says what it
 * takes instead); an error that says what is wrong when it is one (backwards, too long, no
 * such day).
 */
export function parseDayRange(text: string, maxDays: number): Result<{ readonly from: string; readonly to: string }> | null {
  const value = text.trim();
  const parts = value.split(/\.\.|~|至/);
  if (parts.length > 2) return null;
  const from = parseIsoDay(parts[0]!);
  const to = parts.length === 2 ? parseIsoDay(parts[1]!) : from;
  if (!from || !to) return null;
  if (!from.ok) return from;
  if (!to.ok) return to;
  if (to.value < from.value) return fail({ key: 'err.rangeBackwards', params: { value, from: from.value, to: to.value } });
  const days = DateTime.fromISO(to.value, { zone: 'UTC' }).diff(DateTime.fromISO(from.value, { zone: 'UTC' }), 'days').days + 1;
  if (days > maxDays) return fail({ key: 'err.rangeTooLong', params: { value, max: maxDays } });
  return ok({ from: from.value, to: to.value });
}

/** Whether a word names a day to come: YYYY-MM-DD, today/今天, tomorrow/明天, 后天, or a weekday (fri, 周五). */
export function isDayWord(word: string): boolean {
  const w = word.toLowerCase();
  return ISO_DAY.test(w) || w in DAYS_FROM_TODAY || parseWeekday(w) !== null;
}

/**
 * The local date a day word names, seen from `now` in `zone`, and refused when it has passed
 * (the last day of something still to come, as a cover): a weekday is the next one, today
 * included; a date must exist.
 */
export function resolveComingDay(word: string, zone: string, now: DateTime): Result<string> {
  const today = now.setZone(zone).startOf('day');
  const w = word.trim().toLowerCase();
  let day: DateTime;
  const iso = parseIsoDay(w);
  if (iso) {
    if (!iso.ok) return iso;
    day = DateTime.fromISO(iso.value, { zone });
  } else if (w in DAYS_FROM_TODAY) {
    day = today.plus({ days: DAYS_FROM_TODAY[w]! });
  } else {
    const weekday = parseWeekday(w);
    if (weekday === null) return fail({ key: 'err.badDayWord', params: { value: word } });
    day = today.plus({ days: (weekday - today.weekday + 7) % 7 });
  }
  const date = day.toISODate()!;
  return day < today ? fail({ key: 'err.pastDay', params: { day: date } }) : ok(date);
}
