import { describe, expect, it } from 'vitest';
import { formatDuration, formatWorkingDuration, parseDuration } from '../../src/core/time/duration';
import { formatHours, parseHours } from '../../src/core/time/hours';
import { parseDates } from '../../src/core/grammar/team-commands';

describe(parseHours.name, () => {
  const hours = (...args: string[]) => {
    const r = parseHours(args);
    return r.ok ? formatHours(r.value) : r.error.key;
  };

  it('reads weekdays, ranges, split shifts and round the clock, and writes them back the same way', () => {
    expect(hours('always')).toBe('always');
    expect(hours('workdays', '09:00-18:00')).toBe('workdays 09:00-18:00');
    expect(hours('daily', '09:00-12:00,13:30-21:00')).toBe('daily 09:00-12:00,13:30-21:00');
    expect(hours('mon-fri', '9:00-18:00')).toBe('mon,tue,wed,thu,fri 09:00-18:00');
    expect(hours('sat,mon,wed', '08:00-24:00')).toBe('mon,wed,sat 08:00-24:00');
    expect(hours('fri-mon', '10:00-20:00')).toBe('mon,fri,sat,sun 10:00-20:00');
    expect(hours('工作日', '09:00-18:00')).toBe('workdays 09:00-18:00');
  });

  it('refuses reversed, overlapping or unreadable ranges and unknown days', () => {
    expect(hours('workdays', '18:00-09:00')).toBe('err.badRanges');
    expect(hours('workdays', '09:00-13:00,12:00-18:00')).toBe('err.badRanges');
    expect(hours('workdays', '9-18')).toBe('err.badRanges');
    expect(hours('someday', '09:00-18:00')).toBe('err.badDays');
    expect(hours('workdays')).toBe('err.badHours');
  });
});

describe(parseDuration.name, () => {
  it('reads seconds, minutes, hours, days and their Chinese words, alone or together', () => {
    expect(['30s', '15m', '4h', '2d', '1h30m', '30分钟', '4小时', '2天', '10秒'].map(parseDuration)).toEqual([30, 900, 14400, 172800, 5400, 1800, 14400, 172800, 10]);
  });
  it('refuses what is not a duration', () => {
    expect(['', 'ten', '10', '0m', '5 weeks'].map(parseDuration)).toEqual([null, null, null, null, null]);
  });
});

describe(formatDuration.name, () => {
  it('says the two largest units, seconds only for short windows', () => {
    expect(formatDuration(10_000, 'en')).toBe('10 s');
    expect(formatDuration(90 * 60_000, 'zh-CN')).toBe('1 小时 30 分钟');
    expect(formatDuration((2 * 1440 + 3 * 60 + 5) * 60_000, 'en')).toBe('2 d 3 h');
  });
});

describe(formatWorkingDuration.name, () => {
  const HOUR = 3_600_000;
  it('counts working days of the team’s own day, and says it is working time', () => {
    // An office open 08:00–18:00 has 10-hour working days: 23 working hours are two days and three hours.
    expect(formatWorkingDuration(23 * HOUR, 10 * HOUR, 'zh-CN')).toBe('2 个工作日 3 小时');
    expect(formatWorkingDuration(23 * HOUR, 10 * HOUR, 'en')).toBe('2 working days 3 h');
    expect(formatWorkingDuration(10 * HOUR, 10 * HOUR, 'en')).toBe('1 working day');
    expect(formatWorkingDuration(7 * HOUR, 10 * HOUR, 'zh-CN')).toBe('7 个工作小时');
    expect(formatWorkingDuration(HOUR + 20 * 60_000, 10 * HOUR, 'en')).toBe('1 working hour 20 min');
    expect(formatWorkingDuration(12 * 60_000, 10 * HOUR, 'en')).toBe('12 working minutes');
    expect(formatWorkingDuration(20_000, 10 * HOUR, 'zh-CN')).toBe('不到 1 个工作分钟');
  });

  it('counts a round-the-clock team’s working days as whole days', () => {
    expect(formatWorkingDuration(27 * HOUR, 24 * HOUR, 'en')).toBe('1 working day 3 h');
  });
});

describe(parseDates.name, () => {
  it('expands ranges and lists', () => {
    expect(parseDates('2027-01-01..2027-01-03,2027-01-09')).toEqual({ ok: true, value: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-09'] });
    expect(parseDates('2027-02-10~2027-02-11')).toEqual({ ok: true, value: ['2027-02-10', '2027-02-11'] });
  });
  it('refuses bad dates, backwards ranges and more than a year, saying which', () => {
    expect(parseDates('2027-02-30')).toMatchObject({ ok: false, error: { key: 'err.noSuchDay' } });
    expect(parseDates('2027-01-03..2027-01-01')).toMatchObject({ ok: false, error: { key: 'err.rangeBackwards' } });
    expect(parseDates('2027-01-01..2028-12-31')).toMatchObject({ ok: false, error: { key: 'err.rangeTooLong' } });
    expect(parseDates('2027-01-01..2027-09-30,2027-10-01..2028-02-01')).toMatchObject({ ok: false, error: { key: 'err.rangeTooLong' } });
    expect(parseDates('next week')).toMatchObject({ ok: false, error: { key: 'err.badDate' } });
  });
});
