import type { DateTime } from 'luxon';
import type { HolidayData } from './calendar';
import type { ContactChannel } from '../channels';
import { levelWindow, type ComplaintLevel } from '../complaints';
import { calendarOf, policyOfTeam, type Team } from '../model';
import { deadlineFor, type Deadline } from '../policy';
import { fail, ok, type Result } from '../result';

export interface ContactDeadlines {
  readonly response: Deadline | null;
  readonly resolution: Deadline | null;
  /** Years without holiday data that either deadline had to guess. */
  readonly guessedYears: readonly number[];
}

/**
 * Both clocks of a contact under its team's policy and calendar, from when it was
 * received: a complaint's level swaps in its own targets. Computing again after a
 * level change keeps the time already spent, since the clock still starts at receipt.
 * The resolution is never due before the first response: a calendar window counts the
 * evening and the weekend, a working-time reply waits for the office, so 24 h from a
 * Saturday-night message would end before Monday's reply is due. Then the resolution is
 * due with the first response, and no alert goes out before the office opens.
 */
export function contactDeadlines(team: Team, channel: ContactChannel, receivedAt: DateTime, data: HolidayData, level: ComplaintLevel | null = null): Result<ContactDeadlines> {
  const windows = policyOfTeam(team)[channel];
  const cal = calendarOf(team);
  const deadlines: { response: Deadline | null; resolution: Deadline | null } = { response: null, resolution: null };
  for (const clock of ['response', 'resolution'] as const) {
    const window = (channel === 'complaint' ? levelWindow(level, clock, receivedAt, team.zone) : null) ?? windows[clock];
    if (!window) continue;
    const deadline = deadlineFor(window, receivedAt, cal, data);
    if (!deadline) return fail({ key: 'err.calendarNeverOpens', usage: 'usage.teamHours' });
    deadlines[clock] = deadline;
  }
  const { response, resolution } = deadlines;
  if (response && resolution && resolution.dueAt < response.dueAt) deadlines.resolution = { ...resolution, dueAt: response.dueAt, withResponse: true };
  const guessedYears = [...new Set([...(response?.guessedYears ?? []), ...(resolution?.guessedYears ?? [])])].sort();
  return ok({ ...deadlines, guessedYears });
}
