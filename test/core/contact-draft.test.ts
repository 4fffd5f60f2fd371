import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { chineseHolidayData } from '../../src/app/team/holidays';
import { draftContact } from '../../src/core/contact-draft';
import { contactDeadlines } from '../../src/core/time/deadlines';
import { DEFAULT_TEAM_SETTINGS, type Team } from '../../src/core/model';
import { formatDateTime } from '../../src/core/time/time-of-day';

const ZONE = 'Asia/Shanghai';
// Tuesday 2026-11-24 10:00 in Shanghai.
const NOW = DateTime.fromISO('2026-11-24T10:00:00', { zone: ZONE });
const TEAM: Team = { id: 1, platform: 'slack', name: 't', channelId: 'C', zone: ZONE, lang: 'en', settings: DEFAULT_TEAM_SETTINGS };
const data = chineseHolidayData();

describe(draftContact.name, () => {
  it('normalises the phone and reads `at HH:mm` as today in the team zone', () => {
    const r = draftContact({ channel: 'wechat', customer: '张先生', phone: '13812345678', at: '09:30', note: '问价' }, ZONE, NOW);
    expect(r.ok && [r.value.phone, formatDateTime(r.value.receivedAt, ZONE), r.value.channel]).toEqual(['+8613812345678', '2026-11-24 09:30', 'wechat']);
  });

  it('reads a full local date-time in the team zone, not the machine zone', () => {
    const r = draftContact({ channel: 'wechat', customer: 'x', at: '2026-11-20T23:50', note: '' }, 'America/New_York', NOW);
    expect(r.ok && r.value.receivedAt.toUTC().toISO()).toBe('2026-11-21T04:50:00.000Z');
  });

  it('refuses a time in the future, naming it in the team zone', () => {
    const r = draftContact({ channel: 'wechat', customer: 'x', at: '2026-11-24T10:30', note: '' }, ZONE, NOW);
    expect(r).toMatchObject({ ok: false, error: { key: 'err.futureTime', params: { time: '2026-11-24 10:30' }, field: 'at' } });
  });

  it('reads a time of day still to come today as yesterday’s, and refuses more than 10 days back', () => {
    const r = draftContact({ channel: 'wechat', customer: 'x', at: '23:50', note: '' }, ZONE, NOW);
    expect(r.ok && formatDateTime(r.value.receivedAt, ZONE)).toBe('2026-11-23 23:50');
    expect(draftContact({ channel: 'wechat', customer: 'x', at: '2026-11-14T10:30', note: '' }, ZONE, NOW)).toMatchObject({ ok: true });
    expect(draftContact({ channel: 'wechat', customer: 'x', at: '2020-01-01T09:00', note: '' }, ZONE, NOW)).toMatchObject({
      ok: false,
      error: { key: 'err.tooFarBack', params: { time: '2020-01-01 09:00', days: 10 }, field: 'at' },
    });
  });

  it('refuses an unreadable time and an invalid phone, saying which field', () => {
    expect(draftContact({ channel: 'wechat', customer: 'x', at: '25:00', note: '' }, ZONE, NOW)).toMatchObject({ ok: false, error: { key: 'err.badTime', field: 'at' } });
    expect(draftContact({ channel: 'wechat', customer: 'x', phone: '123456', note: '' }, ZONE, NOW)).toMatchObject({ ok: false, error: { key: 'err.invalidPhone', field: 'phone' } });
  });
});

describe(contactDeadlines.name, () => {
  const due = (channel: Parameters<typeof contactDeadlines>[1], at: string) => {
    const r = contactDeadlines(TEAM, channel, DateTime.fromISO(at, { zone: ZONE }), data);
    if (!r.ok) throw new Error(r.error.key);
    return [r.value.response && formatDateTime(r.value.response.dueAt, ZONE), r.value.resolution && formatDateTime(r.value.resolution.dueAt, ZONE)];
  };

  it('gives the seeds’ windows: missed 15 min, WeChat 30 min, email 4 h working; 24 h calendar to resolve', () => {
    expect(due('missed', '2026-11-24T10:00')).toEqual(['2026-11-24 10:15', '2026-11-25 10:00']);
    expect(due('wechat', '2026-11-24T10:00')).toEqual(['2026-11-24 10:30', '2026-11-25 10:00']);
    expect(due('email', '2026-11-24T16:00')).toEqual(['2026-11-25 11:00', '2026-11-25 16:00']);
    expect(due('visit', '2026-11-24T10:00')).toEqual([null, '2026-11-25 10:00']);
  });

  it('runs a WeChat message logged before National Day to 09:20 on 2026-10-08', () => {
    expect(due('wechat', '2026-09-30T17:50')[0]).toBe('2026-10-08 09:20');
  });

  it('names the years whose holidays it had to guess', () => {
    const r = contactDeadlines(TEAM, 'email', DateTime.fromISO('2026-12-31T17:00', { zone: ZONE }), data);
    expect(r.ok && r.value.guessedYears).toEqual([2027]);
  });
});
