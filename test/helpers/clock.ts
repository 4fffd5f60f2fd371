import { DateTime, type DurationLike } from 'luxon';
import type { Clock } from '../../src/core/time/clock';

/** A clock that moves only when the test moves it. */
export function fakeClock(start: string | DateTime): Clock & { set(at: string | DateTime): void; advance(by: DurationLike): void } {
  const parse = (at: string | DateTime) => (typeof at === 'string' ? DateTime.fromISO(at, { setZone: true }) : at).toUTC();
  let now = parse(start);
  return {
    now: () => now,
    set: (at) => (now = parse(at)),
    advance: (by) => (now = now.plus(by)),
  };
}
