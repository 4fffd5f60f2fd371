import type { DateTime } from 'luxon';
import { addWorkingTime, workingTimeBetween, type HolidayData, type WorkingCalendar } from './time/calendar';
import type { ContactDeadlines } from './time/deadlines';
import type { TeamSettings } from './model';
import { isWorkingDays, type ClockKind, type Deadline } from './policy';

/** The three reminders of a clock: before, at and after its deadline. */
export const NAG_STEPS = ['due_soon', 'overdue', 'escalation'] as const;
export type NagStep = (typeof NAG_STEPS)[number];

export interface PlannedNag {
  readonly clock: ClockKind;
  readonly step: NagStep;
  readonly fireAt: DateTime;
}

const MIN_ESCALATION_S = 15 * 60;
const MAX_ESCALATION_S = 4 * 3600;

/** How long after the deadline an open clock is escalated: the team's setting, else the window clamped to 15 min … 4 h. */
function escalationDelaySeconds(window: Deadline['window'], settings: TeamSettings): number {
  return settings.escalateSeconds ?? Math.min(MAX_ESCALATION_S, Math.max(MIN_ESCALATION_S, window.seconds));
}

/**
 * When each reminder of a clock started at `from` fires: due soon at the team's share
 * of the window (in the window's own time), overdue at the deadline, escalation after
 * the delay. A due-soon reminder whose deadline has already passed when it is planned
 * (a back-dated contact) is left out: the overdue one says more.
 */
export function planClock(clock: ClockKind, deadline: Deadline, from: DateTime, now: DateTime, settings: TeamSettings, cal: WorkingCalendar, data: HolidayData): PlannedNag[] {
  const { window, dueAt } = deadline;
  const share = (ms: number) => Math.floor((ms * settings.remindPercent) / 100);
  // In the window's own time. A window of working days is as long as the working time up to
  // its deadline; any other window is its own length (and walking the calendar twice is costly).
  const windowMs = isWorkingDays(window) ? workingTimeBetween(cal, data, from, dueAt) : window.seconds * 1000;
  const dueSoon = window.mode === 'working' ? addWorkingTime(cal, data, from, share(windowMs)) : from.plus({ milliseconds: share(windowMs) });
  const nags: PlannedNag[] = [];
  if (dueSoon && dueAt > now) nags.push({ clock, step: 'due_soon', fireAt: dueSoon });
  nags.push({ clock, step: 'overdue', fireAt: dueAt });
  // A contact logged after its deadline is overdue at once, but its owner gets the same grace
  // before the team channel hears of it as anyone else: escalation counts from when it was logged.
  const delay = escalationDelaySeconds(window, settings);
  const escalation = dueAt.plus({ seconds: delay });
  nags.push({ clock, step: 'escalation', fireAt: escalation < now ? now.plus({ seconds: delay }) : escalation });
  return nags;
}

/**
 * Every reminder of a new contact's open clocks. No reminder of the resolution comes before
 * the same reminder of the first response it follows (a resolution held back to the reply's
 * deadline would otherwise be "due soon" at 80 % of its own window, in the night).
 */
export function planNags(deadlines: ContactDeadlines, receivedAt: DateTime, now: DateTime, settings: TeamSettings, cal: WorkingCalendar, data: HolidayData, answered: boolean): PlannedNag[] {
  const response = deadlines.response ? planClock('response', deadlines.response, receivedAt, now, settings, cal, data) : [];
  const resolution = deadlines.resolution ? planClock('resolution', deadlines.resolution, receivedAt, now, settings, cal, data) : [];
  const notBefore = new Map(response.map((n) => [n.step, n.fireAt]));
  const held = resolution.map((n) => {
    const floor = notBefore.get(n.step);
    return floor && floor > n.fireAt ? { ...n, fireAt: floor } : n;
  });
  return [...(answered ? [] : response), ...held];
}
