import type { DateTime } from 'luxon';
import { addWorkingDays, addWorkingTime, nextOpening, yearsWithoutHolidayData, type HolidayData, type WorkingCalendar } from './time/calendar';
import { CONTACT_CHANNELS, parseChannel, type ContactChannel } from './channels';

/** The clocks a contact can run: the first reply, the resolution, and for a complaint the follow-up call (回访) after it. */
export const CLOCK_KINDS = ['response', 'resolution', 'followup'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/**
 * A window: how long, and whether it counts working time or calendar time. A working
 * window of whole days (`3d working`) counts working days, as people say 3 个工作日.
 */
export interface SlaWindow {
  readonly seconds: number;
  readonly mode: 'working' | 'calendar';
  /** An urgent complaint's "handled the same day" (当天处理完毕), said as such rather than as a length. */
  readonly sameDay?: 'today' | 'nextNoon';
}

export type Policy = Readonly<Record<ContactChannel, Readonly<Record<ClockKind, SlaWindow | null>>>>;

const working = (seconds: number): SlaWindow => ({ seconds, mode: 'working' });
const calendar = (seconds: number): SlaWindow => ({ seconds, mode: 'calendar' });
const DAY = calendar(24 * 3600);
const NONE = { response: null, resolution: DAY, followup: null };

/** The seeds' windows (DOMAIN.md, 黄金响应时间). Calls and visits are answered in person; a visit's callback is due in 24 h. */
export const DEFAULT_POLICY: Policy = {
  missed: { ...NONE, response: working(15 * 60) },
  wechat: { ...NONE, response: working(30 * 60) },
  email: { ...NONE, response: working(4 * 3600) },
  // A resolved complaint is followed up (回访) within 3 working days.
  complaint: { response: working(2 * 3600), resolution: DAY, followup: working(3 * 86400) },
  call: NONE,
  visit: NONE,
};

/** A team's changes to the defaults, keyed `channel.clock` as stored. */
export type PolicyOverrides = Readonly<Record<string, SlaWindow | null>>;

export function policyOf(overrides: PolicyOverrides): Policy {
  const out = {} as Record<ContactChannel, Record<ClockKind, SlaWindow | null>>;
  for (const channel of CONTACT_CHANNELS) {
    out[channel] = { ...DEFAULT_POLICY[channel] };
    for (const clock of CLOCK_KINDS) {
      const key = `${channel}.${clock}`;
      if (key in overrides) out[channel][clock] = overrides[key] ?? null;
    }
  }
  return out;
}

/** Reads `wechat`, `wechat.response`, `微信.resolution`, `followup` (回访); the clock is the response one unless named. */
export function parseWindowTarget(text: string): { channel: ContactChannel; clock: ClockKind } | null {
  if (['followup', '回访', 'complaint.followup', '投诉.回访'].includes(text.toLowerCase())) return { channel: 'complaint', clock: 'followup' };
  const [channelWord = '', clockWord] = text.split('.');
  const channel = parseChannel(channelWord);
  if (!channel) return null;
  if (clockWord === undefined) return { channel, clock: 'response' };
  const clock = ({ response: 'response', 响应: 'response', resolution: 'resolution', 解决: 'resolution' } as const)[clockWord.toLowerCase()] as ClockKind | undefined;
  return clock ? { channel, clock } : null;
}

const DAY_S = 86_400;

/** A working window of whole days counts working days, not 24-hour blocks of working time. */
export function isWorkingDays(window: SlaWindow): boolean {
  return window.mode === 'working' && window.seconds % DAY_S === 0;
}

/** A computed deadline. */
export interface Deadline {
  readonly window: SlaWindow;
  readonly dueAt: DateTime;
  /** When the clock starts: the next opening for a working-time window that begins outside hours. */
  readonly startsAt: DateTime;
  /** Years whose holidays had to be guessed as Monday to Friday. */
  readonly guessedYears: readonly number[];
  /** A resolution held back to the first response's deadline, which its own window would have ended before. */
  readonly withResponse?: boolean;
}

/** When a clock started at `from` is due under a window, in the team's calendar; null when the calendar never opens. */
export function deadlineFor(window: SlaWindow, from: DateTime, cal: WorkingCalendar, data: HolidayData): Deadline | null {
  if (window.mode === 'calendar') {
    const dueAt = from.plus({ seconds: window.seconds });
    return { window, dueAt, startsAt: from, guessedYears: [] };
  }
  const startsAt = nextOpening(cal, data, from);
  const dueAt = isWorkingDays(window) ? addWorkingDays(cal, data, from, window.seconds / DAY_S) : addWorkingTime(cal, data, from, window.seconds * 1000);
  if (!startsAt || !dueAt) return null;
  const guessedYears = yearsWithoutHolidayData(cal, data, from, dueAt).filter((year) => ![...cal.closedDates, ...cal.openDates].some((d) => d.startsWith(`${year}-`)));
  return { window, dueAt, startsAt, guessedYears };
}
