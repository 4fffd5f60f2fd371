import type { DateTime } from 'luxon';
import type { HolidayData } from './calendar';
import type { ContactChannel } from './channels';
import { levelWindow, type ComplaintLevel } from './complaints';
import { calendarOf, policyOfTeam, type Team } from './model';
import { deadlineFor, type Deadline } from './policy';
import { fail, ok, type Result } from './result';

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
 */
export function contactDeadlines(
  team: Team,
  channel: ContactChannel,
  receivedAt: DateTime,
  data: HolidayData,
  level: ComplaintLevel | null = null,
): Result<ContactDeadlines> {
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
  const guessedYears = [...new Set([...(deadlines.response?.guessedYears ?? []), ...(deadlines.resolution?.guessedYears ?? [])])].sort();
  return ok({ ...deadlines, guessedYears });
}
