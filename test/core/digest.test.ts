import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buildDigest, median, sparkline } from '../../src/core/digest';
import { contactOf } from '../helpers/contacts';

const ZONE = 'Asia/Shanghai';
const NOW = DateTime.fromISO('2026-11-24T18:00:00+08:00', { setZone: true });

/**
 * A week of one team's complaints, by hand (all times +08:00, the digest is 2026-11-24 at 18:00):
 *  1 received today 09:00, urgent quality, answered 09:30, resolved 12:00
 *  2 received today 10:00, normal quality, answered 11:00, still open, resolution due tomorrow 10:00
 *  3 received today 11:00, unconfirmed, open, response due 13:00 (overdue)
 *  4 received 11-23 08:00, major fees, answered 08:20, resolved 11-24 09:00 (25 h: missed 24 h), follow-up due 11-27
 *  5 received 11-22 09:00, quality, resolved 11-22 15:00, followed up 11-24 10:00 score 2, no root cause
 *  6 received 11-21 09:00, quality, resolution due 11-22 09:00, still open (> 48 h, overdue)
 *  7 received 11-10 (outside the week), attitude, closed 11-12 with score 5: only its old history
 */
const complaints = [
  contactOf({
    id: 1,
    received: '2026-11-24T09:00:00+08:00',
    responseDue: '2026-11-24T10:00:00+08:00',
    responded: '2026-11-24T09:30:00+08:00',
    resolved: '2026-11-24T12:00:00+08:00',
    resolutionDue: '2026-11-24T23:59:00+08:00',
    complaint: { level: 'urgent', category: 'quality' },
  }),
  contactOf({
    id: 2,
    received: '2026-11-24T10:00:00+08:00',
    responseDue: '2026-11-24T12:00:00+08:00',
    responded: '2026-11-24T11:00:00+08:00',
    resolutionDue: '2026-11-25T10:00:00+08:00',
    complaint: { level: 'normal', category: 'quality' },
  }),
  contactOf({ id: 3, received: '2026-11-24T11:00:00+08:00', responseDue: '2026-11-24T13:00:00+08:00', resolutionDue: '2026-11-25T11:00:00+08:00', phone: '+8613912345678', customer: '赵先生' }),
  contactOf({
    id: 4,
    received: '2026-11-23T08:00:00+08:00',
    responded: '2026-11-23T08:20:00+08:00',
    resolved: '2026-11-24T09:00:00+08:00',
    resolutionDue: '2026-11-25T08:00:00+08:00',
    complaint: { level: 'major', category: 'fees', followupDue: '2026-11-27T09:00:00+08:00' },
  }),
  contactOf({
    id: 5,
    received: '2026-11-22T09:00:00+08:00',
    responded: '2026-11-22T09:10:00+08:00',
    resolved: '2026-11-22T15:00:00+08:00',
    status: 'closed',
    complaint: { category: 'quality', satisfaction: 2, followupDue: '2026-11-25T15:00:00+08:00', followedUp: '2026-11-24T10:00:00+08:00' },
  }),
  contactOf({ id: 6, received: '2026-11-21T09:00:00+08:00', responded: '2026-11-21T10:00:00+08:00', resolutionDue: '2026-11-22T09:00:00+08:00', complaint: { category: 'quality', groupId: 2 } }),
  contactOf({
    id: 7,
    received: '2026-11-10T09:00:00+08:00',
    resolved: '2026-11-11T09:00:00+08:00',
    status: 'closed',
    complaint: { category: 'attitude', satisfaction: 5, followedUp: '2026-11-12T09:00:00+08:00' },
  }),
];

describe(buildDigest.name, () => {
  const digest = buildDigest(complaints, '2026-11-24', ZONE, NOW, 3);

  it('counts today’s new complaints by level and category', () => {
    expect(digest.newToday.total).toBe(3);
    expect([...digest.newToday.byLevel]).toEqual([
      ['normal', 1],
      ['urgent', 1],
      ['unset', 1],
    ]);
    expect([...digest.newToday.byCategory]).toEqual([
      ['quality', 2],
      ['unset', 1],
    ]);
  });

  it('counts what was resolved today and what is still open by age', () => {
    expect(digest.resolvedToday).toBe(2); // 1 and 4
    expect(digest.open).toEqual({ total: 3, under24h: 2, from24to48h: 0, over48h: 1 }); // 2, 3 and 6
  });

  it('lists the overdue complaints with the clock that ran out, oldest deadline first', () => {
    expect(digest.overdue.map((o) => [o.contact.id, o.clock])).toEqual([
      [6, 'resolution'],
      [3, 'response'],
    ]);
  });

  it('rates 24 h resolution over the complaints whose outcome was settled in the period', () => {
    // Today: #1 resolved within 24 h (12:00), #4's 24 h ended unresolved (08:00). Week: also #5 met
    // (11-22 15:00) and #6 missed (11-22 09:00); #7 is outside, #2 and #3 are inside their 24 h.
    expect(digest.resolved24h.today).toEqual({ n: 1, d: 2 });
    expect(digest.resolved24h.week).toEqual({ n: 2, d: 4 });
  });

  it('takes the median first response over the complaints answered in the period', () => {
    // Today: #1 30 min, #2 60 min. Week adds #4 20 min, #5 10 min, #6 60 min.
    expect(digest.medianFirstResponseMs.today).toBe(45 * 60_000);
    expect(digest.medianFirstResponseMs.week).toBe(30 * 60_000);
  });

  it('counts follow-ups done and due and averages satisfaction over 7 days', () => {
    expect(digest.followups).toEqual({ doneToday: 1, due: 1, overdue: 0, averageSatisfaction7d: 2, scored7d: 1 });
  });

  it('ranks the week’s categories with a per-day trend', () => {
    expect(digest.topCategories.map((c) => [c.category, c.count, c.perDay.join('')])).toEqual([
      ['quality', 4, '0001102'],
      ['fees', 1, '0000010'],
      ['unset', 1, '0000001'],
    ]);
  });

  it('warns of a group complaint at the threshold, and lists root-cause notes still owed', () => {
    expect(digest.groupCategories).toEqual([]);
    expect(buildDigest(complaints, '2026-11-24', ZONE, NOW, 2).groupCategories).toEqual([{ category: 'quality', ids: [1, 2] }]);
    expect(digest.rootCauseOwed.map((c) => c.id)).toEqual([5]);
    expect(digest.quiet).toBe(false);
  });

  it('says a day with no complaints and nothing open is quiet', () => {
    const closed = [complaints[6]!];
    expect(buildDigest(closed, '2026-11-24', ZONE, NOW, 3).quiet).toBe(true);
    expect(buildDigest([], '2026-11-24', ZONE, NOW, 3).quiet).toBe(true);
  });

  it('shows an earlier day as it stood at that day’s end', () => {
    const yesterday = buildDigest(complaints, '2026-11-23', ZONE, NOW, 3);
    expect(yesterday.newToday.total).toBe(1); // #4
    expect(yesterday.resolvedToday).toBe(0);
    // #4 (resolved only on the 24th) and #6; #5 was resolved on the 22nd, today's were not in yet.
    expect(yesterday.open.total).toBe(2);
    expect(yesterday.overdue.map((o) => o.contact.id)).toEqual([6]);
  });
});

describe('sparkline and median', () => {
  it('draws none as ▁ and the largest as █', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
