import { describe, expect, it } from 'vitest';
import { assignVisit, calledToFrontDesk, frontDesk, nextForWaiting, nextInRotation, rotationState, type RotationEvent } from '../../src/core/rotation';

const MIN = 60_000;
const t = (minutes: number) => Date.UTC(2026, 10, 24, 1, 0) + minutes * MIN;
const checkin = (user: string, at: number): RotationEvent => ({ kind: 'checkin', user, at: t(at) });
const order = (events: RotationEvent[], now: number) => rotationState(events, t(now)).order.map((c) => c.user);

describe('the reception rotation (轮序接待), by the code of conduct', () => {
  const day = [checkin('a', 0), checkin('b', 1), checkin('c', 2), checkin('d', 3)];

  it('orders the day by sign-in; the first three wait at the front desk; a second sign-in changes nothing', () => {
    const events = [...day, checkin('a', 5)];
    expect(order(events, 10)).toEqual(['a', 'b', 'c', 'd']);
    expect(frontDesk(rotationState(events, t(10)), t(10))).toEqual(['a', 'b', 'c']);
  });

  it('gives a walk-in to the next free consultant, who goes to the back; the fourth is called to the desk', () => {
    const before = rotationState(day, t(10));
    const next = assignVisit(before, t(10), null);
    expect(next).toEqual({ user: 'a', how: 'rotation', forfeits: [] });
    const events: RotationEvent[] = [...day, { kind: 'visit', user: 'a', at: t(10), visit: 1, how: 'rotation' }];
    const after = rotationState(events, t(10));
    expect(after.order.map((c) => c.user)).toEqual(['b', 'c', 'd', 'a']);
    expect(frontDesk(after, t(10))).toEqual(['b', 'c', 'd']);
    expect(calledToFrontDesk(before, after, t(10))).toEqual(['d']);
  });

  it('passes over a consultant still receiving without a forfeit; they keep their place once done', () => {
    const events: RotationEvent[] = [...day, { kind: 'visit', user: 'a', at: t(10), visit: 1, how: 'owner' }];
    // a received their own customer: no turn taken, still first in line, but busy.
    expect(order(events, 11)).toEqual(['a', 'b', 'c', 'd']);
    expect(nextInRotation(rotationState(events, t(11)), t(11))).toEqual({ user: 'b', forfeits: [] });
    const done: RotationEvent[] = [...events, { kind: 'done', user: 'a', at: t(20), visit: 1 }];
    expect(nextInRotation(rotationState(done, t(21)), t(21))).toEqual({ user: 'a', forfeits: [] });
  });

  it('forfeits the turn of one away when it comes (轮空), with no make-up once back', () => {
    const events: RotationEvent[] = [...day, { kind: 'away', user: 'a', at: t(5), until: t(45) }];
    const state = rotationState(events, t(10));
    expect(frontDesk(state, t(10))).toEqual(['b', 'c', 'd']);
    expect(nextInRotation(state, t(10))).toEqual({ user: 'b', forfeits: ['a'] });
    const after: RotationEvent[] = [...events, { kind: 'forfeit', user: 'a', at: t(10) }, { kind: 'visit', user: 'b', at: t(10), visit: 1, how: 'rotation' }];
    // Back from lunch at 45: behind c and d, and b who just received.
    expect(order(after, 50)).toEqual(['c', 'd', 'a', 'b']);
    expect(rotationState(after, t(50)).forfeits).toEqual([{ user: 'a', at: t(10) }]);
  });

  it('is back from lunch when the time is up, or on saying so', () => {
    const away: RotationEvent[] = [...day, { kind: 'away', user: 'a', at: t(5), until: t(45) }];
    expect(nextInRotation(rotationState(away, t(46)), t(46)).user).toBe('a');
    expect(nextInRotation(rotationState([...away, { kind: 'back', user: 'a', at: t(20) }], t(21)), t(21)).user).toBe('a');
  });

  it('sends an existing customer to the owner when free, else to the rotation on their behalf', () => {
    const state = rotationState(day, t(10));
    expect(assignVisit(state, t(10), 'c')).toEqual({ user: 'c', how: 'owner', forfeits: [] });
    const lunch = rotationState([...day, { kind: 'away', user: 'c', at: t(5), until: t(45) }], t(10));
    expect(assignVisit(lunch, t(10), 'c')).toEqual({ user: 'a', how: 'behalf', forfeits: [] });
    // Not in today at all.
    expect(assignVisit(state, t(10), 'zed')).toEqual({ user: 'a', how: 'behalf', forfeits: [] });
  });

  it('finds nobody when everyone is away or receiving, and then takes no one’s turn', () => {
    const events: RotationEvent[] = [checkin('a', 0), checkin('b', 1), { kind: 'away', user: 'a', at: t(2), until: t(42) }, { kind: 'visit', user: 'b', at: t(3), visit: 1, how: 'rotation' }];
    expect(assignVisit(rotationState(events, t(10)), t(10), null)).toEqual({ user: null, forfeits: [] });
  });

  it('leaves the day on sign-out, and a supervisor may move someone to a place', () => {
    const events: RotationEvent[] = [...day, { kind: 'checkout', user: 'b', at: t(5) }, { kind: 'move', user: 'd', at: t(6), place: 1, by: 'sup', reason: '老客户预约' }];
    expect(order(events, 10)).toEqual(['d', 'a', 'c']);
    // A place past the end is the end.
    expect(order([...day, { kind: 'move', user: 'a', at: t(6), place: 99, by: 'sup', reason: 'x' }], 10)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('applies the events in time order, one stamped a moment later by another replica included', () => {
    const events: RotationEvent[] = [checkin('b', 1), checkin('a', 0), { kind: 'visit', user: 'a', at: t(10) + 5, visit: 1, how: 'rotation' }];
    expect(order(events, 10)).toEqual(['b', 'a']);
    expect(nextInRotation(rotationState(events, t(10)), t(10)).user).toBe('b');
  });
});

describe('visitors waiting when every consultant is receiving or away', () => {
  // a receives visitor 1; b is at lunch until 45; two walk-ins wait, the second b's own customer.
  const busy: RotationEvent[] = [
    checkin('a', 0),
    checkin('b', 1),
    { kind: 'away', user: 'b', at: t(2), until: t(45) },
    { kind: 'visit', user: 'a', at: t(3), visit: 1, how: 'rotation' },
    { kind: 'wait', user: 'desk', at: t(5), waiting: 7, owner: null },
    { kind: 'wait', user: 'desk', at: t(6), waiting: 8, owner: 'b' },
  ];

  it('keeps them on a list, oldest first, and gives nobody a turn while nobody is free', () => {
    const state = rotationState(busy, t(10));
    expect(state.waiting).toEqual([
      { waiting: 7, since: t(5), owner: null, by: 'desk' },
      { waiting: 8, since: t(6), owner: 'b', by: 'desk' },
    ]);
    expect(nextForWaiting(state, t(10))).toBeNull();
    // A new walk-in does not jump the line, even to a consultant who is free.
    expect(assignVisit(rotationState([...busy, checkin('c', 9)], t(10)), t(10), null)).toEqual({ user: null, forfeits: [] });
  });

  it('gives the oldest to the first consultant who becomes free, by the rotation: done, back or sign-in', () => {
    const done: RotationEvent[] = [...busy, { kind: 'done', user: 'a', at: t(20), visit: 1 }];
    // b, first in line, is away when the turn comes: forfeited.
    expect(nextForWaiting(rotationState(done, t(20)), t(20))).toEqual({ visitor: { waiting: 7, since: t(5), owner: null, by: 'desk' }, user: 'a', how: 'rotation', forfeits: ['b'] });
    const back: RotationEvent[] = [...busy, { kind: 'back', user: 'b', at: t(20) }];
    expect(nextForWaiting(rotationState(back, t(20)), t(20))).toMatchObject({ visitor: { waiting: 7 }, user: 'b', how: 'rotation', forfeits: [] });
    const signedIn: RotationEvent[] = [...busy, checkin('c', 20)];
    expect(nextForWaiting(rotationState(signedIn, t(20)), t(20))).toMatchObject({ visitor: { waiting: 7 }, user: 'c', how: 'rotation', forfeits: ['b'] });
    // Lunch over by the clock counts as back.
    expect(nextForWaiting(rotationState(busy, t(46)), t(46))).toMatchObject({ visitor: { waiting: 7 }, user: 'b' });
  });

  it('takes a visitor off the list once received, and an existing customer goes to their consultant once free', () => {
    const events: RotationEvent[] = [
      ...busy,
      { kind: 'done', user: 'a', at: t(20), visit: 1 },
      { kind: 'forfeit', user: 'b', at: t(20) },
      { kind: 'visit', user: 'a', at: t(20), visit: 2, how: 'rotation', waiting: 7 },
    ];
    const state = rotationState(events, t(21));
    expect(state.waiting.map((w) => w.waiting)).toEqual([8]);
    expect(nextForWaiting(state, t(21))).toBeNull();
    const back = [...events, { kind: 'back', user: 'b', at: t(30) } as const];
    expect(nextForWaiting(rotationState(back, t(30)), t(30))).toMatchObject({ visitor: { waiting: 8 }, user: 'b', how: 'owner', forfeits: [] });
    // Their consultant still busy: the rotation receives them on the owner's behalf.
    const othersFree: RotationEvent[] = [...events, checkin('c', 30)];
    expect(nextForWaiting(rotationState(othersFree, t(30)), t(30))).toMatchObject({ visitor: { waiting: 8 }, user: 'c', how: 'behalf' });
  });

  it('takes off the list a visitor who left without being received', () => {
    const events: RotationEvent[] = [...busy, { kind: 'left', user: 'desk', at: t(8), waiting: 7 }];
    expect(rotationState(events, t(10)).waiting.map((w) => w.waiting)).toEqual([8]);
  });
});
