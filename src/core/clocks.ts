import type { DateTime } from 'luxon';
import { workingTimeBetween, type HolidayData } from './calendar';
import { levelWindow } from './complaints';
import { calendarOf, policyOfTeam, type Contact, type Team } from './model';
import type { ClockKind, SlaWindow } from './policy';

/** A clock of a contact that is still running: not met yet. */
export interface RunningClock {
  readonly clock: ClockKind;
  readonly dueAt: DateTime;
}

/** Every clock of a contact still running, soonest first: the first reply, the resolution, a complaint's follow-up call. */
export function runningClocks(c: Contact): RunningClock[] {
  const out: RunningClock[] = [];
  if (!c.resolvedAt) {
    if (!c.firstRespondedAt && c.firstResponseDueAt) out.push({ clock: 'response', dueAt: c.firstResponseDueAt });
    if (c.resolutionDueAt) out.push({ clock: 'resolution', dueAt: c.resolutionDueAt });
  } else if (c.complaint.followupDueAt && !c.complaint.followedUpAt) {
    out.push({ clock: 'followup', dueAt: c.complaint.followupDueAt });
  }
  return out.sort((a, b) => a.dueAt.toMillis() - b.dueAt.toMillis());
}

/** The clock a contact must meet next, or null when none runs. */
export function nextClock(c: Contact): RunningClock | null {
  return runningClocks(c)[0] ?? null;
}

/** The window a contact's clock was computed with: its complaint level's, else the team's for its channel. */
export function windowOf(team: Team, c: Contact, clock: ClockKind): SlaWindow | null {
  const level = c.channel === 'complaint' ? levelWindow(c.complaint.level, clock, c.receivedAt, team.zone) : null;
  return level ?? policyOfTeam(team)[c.channel][clock];
}

/**
 * Time left on a clock (negative: how long overdue), in the clock's own kind of time:
 * working time for a working-time window, calendar time otherwise. Every view (my list,
 * a customer, the overdue list, reminders) shows this same figure.
 */
export function timeLeftMs(team: Team, data: HolidayData, c: Contact, running: RunningClock, now: DateTime): number {
  const window = windowOf(team, c, running.clock);
  if (window?.mode !== 'working') return running.dueAt.toMillis() - now.toMillis();
  const cal = calendarOf(team);
  return running.dueAt > now ? workingTimeBetween(cal, data, now, running.dueAt) : -workingTimeBetween(cal, data, running.dueAt, now);
}
