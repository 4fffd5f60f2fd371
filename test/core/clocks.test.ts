import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { chineseHolidayData } from '../../src/app/team/holidays';
import { nextClock, timeLeft } from '../../src/core/time/clocks';
import { DEFAULT_TEAM_SETTINGS, type Team } from '../../src/core/model';
import { contactOf } from '../helpers/contacts';

const ZONE = 'Asia/Shanghai';
const data = chineseHolidayData();
// Open 10:00–19:00 on working days.
const TEAM: Team = {
  id: 1,
  platform: 'slack',
  name: 't',
  channelId: 'C',
  zone: ZONE,
  lang: 'en',
  settings: { ...DEFAULT_TEAM_SETTINGS, hours: { kind: 'weekly', days: 'workdays', ranges: [[600, 1140]] } },
};
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const MIN = 60_000;
// Its working day, for counting working days: 9 hours.
const DAY = 9 * 60 * MIN;

describe(timeLeft.name, () => {
  // A WeChat message of Thursday 18:30, due at closing (19:00).
  const wechat = contactOf({ id: 1, channel: 'wechat', received: '2026-12-03T18:30:00+08:00', responseDue: '2026-12-03T19:00:00+08:00', resolutionDue: '2026-12-04T18:30:00+08:00' });
  const left = (iso: string) => timeLeft(TEAM, data, wechat, nextClock(wechat)!, at(iso));

  it('counts working time down to the deadline', () => {
    expect(left('2026-12-03T18:45')).toEqual({ overdue: false, ms: 15 * MIN, workingDayMs: DAY });
  });

  it('is overdue from the deadline on, though no working time passes all evening', () => {
    expect(left('2026-12-03T19:00')).toEqual({ overdue: true, ms: 0, workingDayMs: DAY });
    expect(left('2026-12-03T23:30')).toEqual({ overdue: true, ms: 0, workingDayMs: DAY });
    expect(left('2026-12-04T09:59')).toEqual({ overdue: true, ms: 0, workingDayMs: DAY });
  });

  it('counts how long overdue in working time once the office opens again', () => {
    expect(left('2026-12-04T10:20')).toEqual({ overdue: true, ms: 20 * MIN, workingDayMs: DAY });
  });

  it('counts a calendar clock in calendar time, evenings included', () => {
    const replied = contactOf({ id: 2, channel: 'wechat', received: '2026-12-03T18:30:00+08:00', responded: '2026-12-03T18:40:00+08:00', resolutionDue: '2026-12-04T18:30:00+08:00' });
    const clock = nextClock(replied)!;
    expect(timeLeft(TEAM, data, replied, clock, at('2026-12-04T08:30'))).toEqual({ overdue: false, ms: 600 * MIN, workingDayMs: null });
    expect(timeLeft(TEAM, data, replied, clock, at('2026-12-04T18:30'))).toEqual({ overdue: true, ms: 0, workingDayMs: null });
    expect(timeLeft(TEAM, data, replied, clock, at('2026-12-04T21:00'))).toEqual({ overdue: true, ms: 150 * MIN, workingDayMs: null });
  });
});
