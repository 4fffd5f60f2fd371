import type { DateTime } from 'luxon';
import type { ContactChannel } from './channels';

/** A response window: how long, and on which clock. */
export interface ResponseWindow {
  readonly minutes: number;
  /**
   * The foundation runs every window on the calendar clock; working-time
   * clocks (team hours, holidays, 调休) replace this with the SLA work.
   */
  readonly clock: 'calendar';
}

/** First-response windows from the seeds (DOMAIN.md, 黄金响应时间). Calls and visits are answered in person. */
export const DEFAULT_RESPONSE_WINDOWS: Readonly<Record<ContactChannel, ResponseWindow | null>> = {
  missed: { minutes: 15, clock: 'calendar' },
  wechat: { minutes: 30, clock: 'calendar' },
  email: { minutes: 4 * 60, clock: 'calendar' },
  complaint: { minutes: 2 * 60, clock: 'calendar' },
  call: null,
  visit: null,
};

export interface FirstResponseDue {
  readonly dueAt: DateTime;
  readonly window: ResponseWindow;
}

/** When the first response is due for a contact received at `receivedAt`, or null when none is owed. */
export function firstResponseDue(channel: ContactChannel, receivedAt: DateTime): FirstResponseDue | null {
  const window = DEFAULT_RESPONSE_WINDOWS[channel];
  return window ? { dueAt: receivedAt.plus({ minutes: window.minutes }), window } : null;
}
