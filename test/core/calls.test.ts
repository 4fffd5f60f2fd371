import { describe, expect, it } from 'vitest';
import { callerNumber, callOwner, formatCallDuration, nextSteps, summariseCall, withEvent, type CallEvent, type CallEvents } from '../../src/core/calls';

const ev = (kind: CallEvent['kind'], at: number, more: Partial<CallEvent> = {}): CallEvent => ({
  kind,
  at,
  direction: 'in',
  from: '13812345678',
  to: '4008208820',
  users: [],
  answeringNumber: null,
  cause: null,
  queue: null,
  ...more,
});
const events = (...list: CallEvent[]): CallEvents => list.reduce<CallEvents>((acc, e) => withEvent(acc, e).events, {});

describe(withEvent.name, () => {
  it('keeps the first event of each kind: a repeat changes nothing', () => {
    const once = withEvent({}, ev('hangup', 10, { cause: 'cancel' }));
    expect(once.changed).toBe(true);
    const twice = withEvent(once.events, ev('hangup', 20, { cause: 'busy' }));
    expect(twice).toEqual({ events: once.events, changed: false });
  });
});

describe(summariseCall.name, () => {
  it('reads an inbound call: the caller, who it rang, when it started, was answered and ended', () => {
    const call = summariseCall(
      events(ev('newCall', 0, { users: ['Alice', 'Bob'] }), ev('answer', 8_000, { answeringNumber: '8002', users: ['Bob'] }), ev('hangup', 60_000, { cause: 'normalClearing' })),
    )!;
    expect(call).toMatchObject({ direction: 'in', customerNumber: '13812345678', startedAt: 0, answeredAt: 8_000, endedAt: 60_000, answeredBy: ['8002', 'Bob'], cause: 'normalClearing' });
    expect(call.rang).toEqual(['Alice', 'Bob', '4008208820']);
  });

  it('starts a call no later than its first event, whichever came first, and answers it no later than its end', () => {
    const call = summariseCall(events(ev('hangup', 5_000), ev('answer', 9_000), ev('newCall', 7_000)))!;
    expect(call).toMatchObject({ startedAt: 5_000, answeredAt: 5_000, endedAt: 5_000 });
  });

  it('takes the customer of an outbound call from `to`, and who called from the users and `from`', () => {
    const call = summariseCall(events(ev('newCall', 0, { direction: 'out', from: '8002', to: '13812345678', users: ['bob'] }), ev('hangup', 1_000, { direction: null })))!;
    expect(call).toMatchObject({ direction: 'out', customerNumber: '13812345678', callers: ['bob', '8002'], rang: [] });
  });

  it('takes a call without any direction for inbound', () => {
    expect(summariseCall(events(ev('hangup', 0, { direction: null })))!.direction).toBe('in');
    expect(summariseCall({})).toBeNull();
  });
});

describe(nextSteps.name, () => {
  const call = (...list: CallEvent[]) => summariseCall(events(...list))!;
  it('opens the call-back clock of an inbound call that ended unanswered, whatever the cause, once', () => {
    for (const cause of ['cancel', 'busy', 'noAnswer', 'congestion', 'notFound', 'forwarded', 'normalClearing', 'NORMAL_CLEARING']) {
      expect(nextSteps(null, call(ev('newCall', 0), ev('hangup', 10, { cause })), true)).toEqual(['missed']);
    }
    expect(nextSteps('missed', call(ev('newCall', 0), ev('hangup', 10)), true)).toEqual([]);
    expect(nextSteps(null, call(ev('newCall', 0), ev('hangup', 10)), false)).toEqual(['anonymous']);
  });

  it('does nothing while a call rings', () => {
    expect(nextSteps(null, call(ev('newCall', 0)), true)).toEqual([]);
  });

  it('logs an answered call at the answer, and an answer that comes after a hangup turns the missed call answered', () => {
    expect(nextSteps(null, call(ev('answer', 0)), true)).toEqual(['answered']);
    expect(nextSteps('answered', call(ev('answer', 0), ev('hangup', 10)), true)).toEqual([]);
    for (const done of ['missed', 'folded', 'anonymous'] as const) expect(nextSteps(done, call(ev('hangup', 0), ev('answer', 5)), true)).toEqual(['answeredAfterAll']);
  });

  it('meets the clock at an outbound answer, notes the length at its hangup, and records an attempt nobody picked up', () => {
    const out = { direction: 'out' as const, from: '8002', to: '13812345678' };
    expect(nextSteps(null, call(ev('newCall', 0, out), ev('answer', 5, out)), true)).toEqual(['callback']);
    expect(nextSteps('callback', call(ev('newCall', 0, out), ev('answer', 5, out), ev('hangup', 9, out)), true)).toEqual(['callbackEnded']);
    expect(nextSteps(null, call(ev('answer', 5, out), ev('hangup', 9, out)), true)).toEqual(['callback', 'callbackEnded']);
    expect(nextSteps(null, call(ev('newCall', 0, out), ev('hangup', 9, out)), true)).toEqual(['attempt']);
    expect(nextSteps('attempt', call(ev('hangup', 9, out), ev('answer', 12, out)), true)).toEqual(['callback', 'callbackEnded']);
    expect(nextSteps(null, call(ev('newCall', 0, out), ev('hangup', 9, out)), false)).toEqual([]);
  });

  it('gives a missed call to whom it rang when its newCall arrives after its hangup', () => {
    expect(nextSteps('missed', call(ev('hangup', 0), ev('newCall', 5, { users: ['Alice'] })), true, 'newCall')).toEqual(['ringLate']);
    expect(nextSteps('internal', call(ev('newCall', 0), ev('hangup', 5)), true)).toEqual([]);
  });
});

describe(callerNumber.name, () => {
  it('reads a number in the shapes phone systems write it, and none from a withheld one', () => {
    for (const raw of ['13812345678', '+8613812345678', '008613812345678', '8613812345678', '138-1234-5678']) expect(callerNumber(raw)).toBe('+8613812345678');
    expect(callerNumber('02112345678')).toBe('+862112345678');
    expect(callerNumber('493055571600')).toBe('+493055571600');
    for (const raw of ['anonymous', 'Anonymous', '', ' ', 'unknown', 'restricted', null, 'sip:alice@pbx', '12']) expect(callerNumber(raw)).toBeNull();
  });
});

describe(callOwner.name, () => {
  it("finds who calls back: the customer's consultant, the member it rang, the front desk, or nobody yet", () => {
    expect(callOwner({ answeredBy: null, customerOwner: 'bob', rang: ['alice'], rotationNext: 'erin' })).toEqual({ owner: 'bob', how: 'customer' });
    expect(callOwner({ answeredBy: null, customerOwner: null, rang: ['alice'], rotationNext: 'erin' })).toEqual({ owner: 'alice', how: 'rang' });
    expect(callOwner({ answeredBy: null, customerOwner: null, rang: [], rotationNext: 'erin' })).toEqual({ owner: 'erin', how: 'rotation' });
    expect(callOwner({ answeredBy: null, customerOwner: null, rang: [], rotationNext: null })).toEqual({ owner: null, how: 'nobody' });
    expect(callOwner({ answeredBy: 'alice', customerOwner: null, rang: [], rotationNext: null })).toEqual({ owner: 'alice', how: 'answered' });
    expect(callOwner({ answeredBy: 'alice', customerOwner: 'bob', rang: [], rotationNext: null })).toEqual({ owner: 'bob', how: 'customer' });
  });
});

describe(formatCallDuration.name, () => {
  it("says a call's length as people do", () => {
    expect(formatCallDuration(125_000, 'zh-CN')).toBe('2 分 05 秒');
    expect(formatCallDuration(125_000, 'en')).toBe('2 min 05 s');
    expect(formatCallDuration(42_400, 'zh-CN')).toBe('42 秒');
  });
});
