import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { resolveComingDay } from '../../src/core/time/days';

const ZONE = 'Asia/Shanghai';
// Wednesday 22:30 in Shanghai (14:30 UTC).
const WEDNESDAY = DateTime.fromISO('2027-03-10T22:30:00+08:00', { setZone: true });

describe(resolveComingDay.name, () => {
  it('reads a date, today, tomorrow and a weekday as days of the team’s calendar', () => {
    const day = (word: string) => resolveComingDay(word, ZONE, WEDNESDAY);
    expect(day('2027-03-12')).toEqual({ ok: true, value: '2027-03-12' });
    expect(day('today')).toEqual({ ok: true, value: '2027-03-10' });
    expect(day('明天')).toEqual({ ok: true, value: '2027-03-11' });
    expect(day('后天')).toEqual({ ok: true, value: '2027-03-12' });
    // The next such weekday, today included.
    expect(day('fri')).toEqual({ ok: true, value: '2027-03-12' });
    expect(day('周三')).toEqual({ ok: true, value: '2027-03-10' });
    expect(day('Monday')).toEqual({ ok: true, value: '2027-03-15' });
  });

  it('refuses a day that has passed, and says which day it was', () => {
    expect(resolveComingDay('2027-03-09', ZONE, WEDNESDAY)).toEqual({ ok: false, error: { key: 'err.pastDay', params: { day: '2027-03-09' } } });
    // Just after midnight in Shanghai it is still the 9th in UTC: the team's zone decides which day has passed.
    const justAfterMidnight = DateTime.fromISO('2027-03-10T00:30:00+08:00').setZone('UTC');
    expect(resolveComingDay('2027-03-09', ZONE, justAfterMidnight)).toMatchObject({ ok: false, error: { key: 'err.pastDay' } });
  });

  it('says what is wrong with a word that names no day', () => {
    expect(resolveComingDay('2027-02-30', ZONE, WEDNESDAY)).toMatchObject({ ok: false, error: { key: 'err.noSuchDay' } });
    expect(resolveComingDay('someday', ZONE, WEDNESDAY)).toMatchObject({ ok: false, error: { key: 'err.badDayWord', params: { value: 'someday' } } });
  });
});
