import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/core/digest';
import { computeKpis, type KpiContact } from '../../src/core/kpi';
import { contactOf } from '../helpers/contacts';

const NOW = DateTime.fromISO('2026-11-24T18:00:00+08:00', { setZone: true });
const row = (contact: ReturnType<typeof contactOf>, contactedAgain = false): KpiContact => ({ contact, contactedAgain });

/**
 * Six contacts, by hand (+08:00):
 *  1 wechat 11-20 10:00, due 10:30, replied 10:20, resolved 11-20 15:00          → in time, 24 h met, first-contact resolved
 *  2 missed 11-20 11:00, due 11:15, replied 11:40, resolved 11-22 09:00           → late, 24 h missed; customer came back → not FCR
 *  3 email 11-24 16:00, due 11-24 20:00, not replied yet                           → undecided on both
 *  4 complaint 11-21 09:00, due 11:00, replied 10:00, resolved 11-21 20:00, followed up, 5/5
 *  5 complaint 11-22 09:00, due 11:00, never replied, resolved 11-23 12:00 (27 h), followed up, 4/5
 *  6 visit 11-23 10:00, answered in person, not resolved, past 24 h
 */
const rows: KpiContact[] = [
  row(
    contactOf({
      id: 1,
      channel: 'wechat',
      received: '2026-11-20T10:00:00+08:00',
      responseDue: '2026-11-20T10:30:00+08:00',
      responded: '2026-11-20T10:20:00+08:00',
      resolved: '2026-11-20T15:00:00+08:00',
    }),
  ),
  row(
    contactOf({
      id: 2,
      channel: 'missed',
      received: '2026-11-20T11:00:00+08:00',
      responseDue: '2026-11-20T11:15:00+08:00',
      responded: '2026-11-20T11:40:00+08:00',
      resolved: '2026-11-22T09:00:00+08:00',
    }),
    true,
  ),
  row(contactOf({ id: 3, channel: 'email', received: '2026-11-24T16:00:00+08:00', responseDue: '2026-11-24T20:00:00+08:00' })),
  row(
    contactOf({
      id: 4,
      received: '2026-11-21T09:00:00+08:00',
      responseDue: '2026-11-21T11:00:00+08:00',
      responded: '2026-11-21T10:00:00+08:00',
      resolved: '2026-11-21T20:00:00+08:00',
      status: 'closed',
      complaint: { satisfaction: 5, followedUp: '2026-11-22T10:00:00+08:00' },
    }),
  ),
  row(
    contactOf({
      id: 5,
      received: '2026-11-22T09:00:00+08:00',
      responseDue: '2026-11-22T11:00:00+08:00',
      resolved: '2026-11-23T12:00:00+08:00',
      status: 'closed',
      complaint: { satisfaction: 4, followedUp: '2026-11-24T10:00:00+08:00' },
    }),
  ),
  row(contactOf({ id: 6, channel: 'visit', received: '2026-11-23T10:00:00+08:00', responded: '2026-11-23T10:00:00+08:00' })),
];

describe(computeKpis.name, () => {
  const byName = Object.fromEntries(computeKpis(rows, NOW).map((k) => [k.name, k]));

  it('counts first responses within the window among the decided ones', () => {
    // Decided: 1 (in time), 2 (late), 4 (in time), 5 (never answered, window over). 3 is still running; 6 has no window.
    expect(byName.firstResponse).toMatchObject({ kind: 'share', ratio: { n: 2, d: 4 }, met: null });
  });

  it('measures 24 h resolution against its 90 % target', () => {
    // Decided: 1 met, 2 missed, 4 met, 5 missed (27 h), 6 missed (open past 24 h); 3 is under 24 h old.
    expect(byName.resolution24h).toMatchObject({ ratio: { n: 2, d: 5 }, target: 0.9, met: false });
  });

  it('leaves out a call without a number, closed as it was logged: no share counts it', () => {
    const anonymous = row(contactOf({ id: 21, channel: 'missed', received: '2026-11-24T09:00:00+08:00', resolved: '2026-11-24T09:00:00+08:00', status: 'closed' }));
    const shares = (list: KpiContact[]) => computeKpis(list, NOW).map((k) => (k.kind === 'share' ? [k.name, k.ratio.n, k.ratio.d] : [k.name]));
    expect(shares([...rows, anonymous])).toEqual(shares(rows));
  });

  it('counts resolutions, and first-contact resolutions among them once settled', () => {
    expect(byName.resolutionRate).toMatchObject({ ratio: { n: 4, d: 6 } });
    // Only #2 is settled (its customer came back); 1, 4 and 5 are resolved but inside their 7 days.
    expect(byName.fcr).toMatchObject({ ratio: { n: 0, d: 1 } });
  });

  it('counts a first-contact resolution only once its 7 days are over, or the customer came back', () => {
    const resolvedMonday = row(contactOf({ id: 11, channel: 'wechat', received: '2026-12-07T09:00:00+08:00', resolved: '2026-12-07T11:00:00+08:00' }));
    const cameBack = row(contactOf({ id: 12, channel: 'call', received: '2026-12-07T10:00:00+08:00', resolved: '2026-12-07T10:30:00+08:00' }), true);
    const fcrAt = (at: string) => computeKpis([resolvedMonday, cameBack], DateTime.fromISO(at, { setZone: true })).find((k) => k.name === 'fcr');
    // Wednesday: #11's customer may still come back; #12's did.
    expect(fcrAt('2026-12-09T18:00:00+08:00')).toMatchObject({ ratio: { n: 0, d: 1 } });
    expect(fcrAt('2026-12-14T08:59:00+08:00')).toMatchObject({ ratio: { n: 0, d: 1 } });
    // A week after #11 came in, nobody came back: resolved at first contact.
    expect(fcrAt('2026-12-14T09:00:00+08:00')).toMatchObject({ ratio: { n: 1, d: 2 } });
  });

  it('rates 24 h resolution as the daily digest does: a complaint resolved within 24 h counts at once, one unresolved once its 24 h are over', () => {
    const fixedFast = contactOf({ id: 21, received: '2026-12-08T09:00:00+08:00', resolved: '2026-12-08T11:00:00+08:00', complaint: { category: 'fees' } });
    const stillOpen = contactOf({ id: 22, received: '2026-12-08T10:00:00+08:00', complaint: { category: 'fees' } });
    const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
    for (const [now, expected] of [
      ['2026-12-08T18:00:00+08:00', { n: 1, d: 1 }],
      ['2026-12-09T18:00:00+08:00', { n: 1, d: 2 }],
    ] as const) {
      const kpi = computeKpis(
        [fixedFast, stillOpen].map((c) => row(c)),
        at(now),
      ).find((k) => k.name === 'resolution24h');
      expect(kpi).toMatchObject({ ratio: expected });
      // The same complaints in the digest's seven days: the same figure under the same label.
      const digest = buildDigest([fixedFast, stillOpen], at(now).toISODate()!, 'Asia/Shanghai', at(now), 3);
      expect(digest.resolved24h.week).toEqual(expected);
    }
  });

  it('counts complaints against the goal of zero, follow-ups and satisfaction against 4.5', () => {
    expect(byName.complaints).toMatchObject({ kind: 'count', count: 2, met: false });
    expect(byName.followupRate).toMatchObject({ ratio: { n: 2, d: 2 } });
    expect(byName.satisfaction).toMatchObject({ kind: 'average', average: 4.5, n: 2, met: true });
  });

  it('leaves a follow-up not yet due out of the completion rate, counts one overdue as missed, and reports the satisfied share', () => {
    const more = [
      ...rows,
      // Resolved today, follow-up due in three working days: not missed yet.
      row(contactOf({ id: 7, received: '2026-11-24T09:00:00+08:00', resolved: '2026-11-24T12:00:00+08:00', complaint: { followupDue: '2026-11-27T12:00:00+08:00' } })),
      // Follow-up due yesterday and not done: missed.
      row(contactOf({ id: 8, received: '2026-11-18T09:00:00+08:00', resolved: '2026-11-19T12:00:00+08:00', complaint: { followupDue: '2026-11-23T12:00:00+08:00' } })),
      // Called back, 2 of 5: not satisfied.
      row(
        contactOf({ id: 9, received: '2026-11-19T09:00:00+08:00', resolved: '2026-11-19T12:00:00+08:00', status: 'closed', complaint: { satisfaction: 2, followedUp: '2026-11-20T10:00:00+08:00' } }),
      ),
    ];
    const k = Object.fromEntries(computeKpis(more, NOW).map((x) => [x.name, x]));
    expect(k.followupRate).toMatchObject({ ratio: { n: 3, d: 4 } });
    expect(k.satisfiedShare).toMatchObject({ ratio: { n: 2, d: 3 }, target: 0.9, met: false });
  });

  it('has no data rather than a zero when nothing was decided', () => {
    const empty = Object.fromEntries(computeKpis([], NOW).map((k) => [k.name, k]));
    expect(empty.resolution24h).toMatchObject({ ratio: { n: 0, d: 0 }, met: null });
    expect(empty.satisfaction).toMatchObject({ average: null, met: null });
    expect(empty.complaints).toMatchObject({ count: 0, met: true });
  });
});
