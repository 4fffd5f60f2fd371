import type { DateTime } from 'luxon';
import { workingDayMs, workingTimeBetween, type HolidayData } from './calendar';
import { levelWindow } from '../complaints';
import { calendarOf, policyOfTeam, type Contact, type Team } from '../model';
import type { ClockKind, SlaWindow } from '../policy';

/** A clock of a contact that is still running: not met yet. */
export interface RunningClock {
  readonly clock: ClockKind;
  readonly dueAt: DateTime;
}

/** Every clock of a contact still running, soonest first: the first reply, the resolution, a complaint's follow-up call. */
function runningClocks(c: Contact): RunningClock[] {
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

/** What is left of a running clock at a moment, as every view shows it. */
export interface TimeLeft {
  /** At or past its deadline: overdue, however little working time has passed since (none, all evening). */
  readonly overdue: boolean;
  /** How long is left, or how long overdue: never negative, in the clock's own kind of time. */
  readonly ms: number;
  /** A working-time clock: how long the team's working day is, to count working days by (see workingDayMs); null: calendar time. */
  readonly workingDayMs: number | null;
}

/**
 * Time left on a clock (or how long overdue), in the clock's own kind of time: working
 * time for a working-time window, calendar time otherwise. Whether it is overdue is the
 * calendar's question, not the working time's: a deadline at closing is overdue all
 * evening though no working time has passed. Every view (my list, a customer, the
 * overdue list, reminders) shows this same figure.
 */
export function timeLeft(team: Team, data: HolidayData, c: Contact, running: RunningClock, now: DateTime): TimeLeft {
  const overdue = running.dueAt <= now;
  const [from, to] = overdue ? [running.dueAt, now] : [now, running.dueAt];
  if (windowOf(team, c, running.clock)?.mode !== 'working') return { overdue, ms: to.toMillis() - from.toMillis(), workingDayMs: null };
  const cal = calendarOf(team);
  return { overdue, ms: workingTimeBetween(cal, data, from, to), workingDayMs: workingDayMs(cal) };
}
