import type { DateTime } from 'luxon';

/** Where the core gets "now": the system clock in production, a hand-driven one in tests. */
export interface Clock {
  now(): DateTime;
}
