import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { draftContact } from '../../src/core/contact-draft';
import { formatDateTime } from '../../src/core/time';

const ZONE = 'Asia/Shanghai';
// 2026-11-24 10:00 in Shanghai.
const NOW = DateTime.fromISO('2026-11-24T10:00:00', { zone: ZONE });

describe(draftContact.name, () => {
  it('computes the first-response deadline from the channel window', () => {
    const r = draftContact({ channel: 'wechat', customer: '张先生', phone: '13812345678', note: '问价' }, ZONE, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.phone).toBe('+8613812345678');
    expect(formatDateTime(r.value.due!.dueAt, ZONE)).toBe('2026-11-24 10:30');
    expect(r.value.due!.window.minutes).toBe(30);
  });

  it('gives missed calls 15 minutes, email 4 hours and calls none', () => {
    const due = (channel: string) => {
      const r = draftContact({ channel, customer: 'x', note: '' }, ZONE, NOW);
      return r.ok ? (r.value.due ? formatDateTime(r.value.due.dueAt, ZONE) : null) : 'error';
    };
    expect(due('missed')).toBe('2026-11-24 10:15');
    expect(due('邮件')).toBe('2026-11-24 14:00');
    expect(due('call')).toBeNull();
    expect(due('visit')).toBeNull();
  });

  it('reads `at HH:mm` as today in the team zone and counts the window from then', () => {
    const r = draftContact({ channel: 'missed', customer: 'x', at: '09:30', note: '' }, ZONE, NOW);
    expect(r.ok && formatDateTime(r.value.receivedAt, ZONE)).toBe('2026-11-24 09:30');
    expect(r.ok && formatDateTime(r.value.due!.dueAt, ZONE)).toBe('2026-11-24 09:45');
  });

  it('reads a full local date-time in the team zone, not the machine zone', () => {
    const r = draftContact({ channel: 'wechat', customer: 'x', at: '2026-11-20T23:50', note: '' }, 'America/New_York', NOW);
    expect(r.ok && r.value.receivedAt.toUTC().toISO()).toBe('2026-11-21T04:50:00.000Z');
  });

  it('refuses a time in the future, naming it in the team zone', () => {
    const r = draftContact({ channel: 'wechat', customer: 'x', at: '10:30', note: '' }, ZONE, NOW);
    expect(r).toMatchObject({ ok: false, error: { key: 'err.futureTime', params: { time: '2026-11-24 10:30' }, field: 'at' } });
  });

  it('refuses an unreadable time and an invalid phone, saying which field', () => {
    expect(draftContact({ channel: 'wechat', customer: 'x', at: '25:00', note: '' }, ZONE, NOW)).toMatchObject({ ok: false, error: { key: 'err.badTime', field: 'at' } });
    expect(draftContact({ channel: 'wechat', customer: 'x', phone: '123456', note: '' }, ZONE, NOW)).toMatchObject({ ok: false, error: { key: 'err.invalidPhone', field: 'phone' } });
  });
});
