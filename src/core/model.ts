import { DEFAULT_WEEKLY, parseWeekly, type WeeklyMoment } from './weekly';
import type { DateTime } from 'luxon';
import type { Lang } from '../i18n';
import type { WeeklyHours, WorkingCalendar } from './time/calendar';
import type { ContactChannel, Role } from './channels';
import type { ComplaintCategory, ComplaintLevel } from './complaints';
import { policyOf, type ClockKind, type Policy, type PolicyOverrides, type SlaWindow } from './policy';

/** What a manager sets for the team's clocks. */
export interface TeamSettings {
  readonly hours: WeeklyHours;
  readonly holidays: 'cn' | 'none';
  readonly closedDates: ReadonlySet<string>;
  readonly openDates: ReadonlySet<string>;
  readonly windows: PolicyOverrides;
  /** The due-soon reminder, as a share of the window. */
  readonly remindPercent: number;
  /** Escalation after the deadline; null: the window again, at least 15 min and at most 4 h. */
  readonly escalateSeconds: number | null;
  /** Local `HH:mm` of the daily complaint digest; null: off. */
  readonly digestTime: string | null;
  /** When the weekly summary is posted (before the weekly meeting); null: off. */
  readonly weekly: WeeklyMoment | null;
  /** Warn the supervisors when this many complaints of one category arrive within 24 h. */
  readonly groupWarn: number;
  /** The digest, the weekly summary and `/cs kpi … chart` carry a chart beside their text (`/cs team charts on|off`). */
  readonly charts: boolean;
  /** The team's own out-of-hours auto-reply per channel (with `{due}`); a channel without one uses the default. */
  readonly autoReplies: Readonly<Partial<Record<ContactChannel, string>>>;
}

export const DEFAULT_TEAM_SETTINGS: TeamSettings = {
  hours: { kind: 'weekly', days: 'workdays', ranges: [[9 * 60, 18 * 60]] },
  holidays: 'cn',
  closedDates: new Set(),
  openDates: new Set(),
  windows: {},
  remindPercent: 80,
  escalateSeconds: null,
  digestTime: '18:00',
  groupWarn: 3,
  charts: true,
  autoReplies: {},
  weekly: parseWeekly(DEFAULT_WEEKLY),
};

export function calendarOf(team: Team): WorkingCalendar {
  const s = team.settings;
  return { zone: team.zone, hours: s.hours, holidays: s.holidays, closedDates: s.closedDates, openDates: s.openDates };
}

/** Each loaded team's policy, built once however many deadlines a request computes. */
const policies = new WeakMap<TeamSettings, Policy>();

export function policyOfTeam(team: Team): Policy {
  let policy = policies.get(team.settings);
  if (!policy) {
    policy = policyOf(team.settings.windows);
    policies.set(team.settings, policy);
  }
  return policy;
}

export type { SlaWindow };

/** The chat a team works in; one process serves one platform's teams. */
export const PLATFORMS = ['sandbox', 'slack', 'dingtalk', 'wecom'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Team {
  readonly id: number;
  readonly platform: Platform;
  readonly name: string;
  readonly channelId: string;
  readonly zone: string;
  readonly lang: Lang;
  readonly settings: TeamSettings;
}

export interface Member {
  readonly teamId: number;
  readonly userId: string;
  readonly displayName: string | null;
  readonly role: Role;
  /** False once handed over (离职交接): refused, out of the rotation, history kept. */
  readonly active?: boolean;
}

export interface Customer {
  readonly id: number;
  readonly teamId: number;
  readonly name: string;
  readonly phone: string | null;
  readonly ownerUserId: string;
}

/** A complaint is closed by its follow-up (回访); other contacts end at resolved. */
export type ContactStatus = 'open' | 'responded' | 'resolved' | 'closed';

/** What the complaint process adds to a contact. */
export interface ComplaintState {
  readonly level: ComplaintLevel | null;
  readonly category: ComplaintCategory | null;
  readonly department: string | null;
  readonly confirmedAt: DateTime | null;
  readonly plan: string | null;
  readonly planDueAt: DateTime | null;
  readonly planApprovedBy: string | null;
  readonly planApprovedAt: DateTime | null;
  readonly followupDueAt: DateTime | null;
  readonly followedUpAt: DateTime | null;
  readonly satisfaction: number | null;
  readonly rootCauseNotedAt: DateTime | null;
  readonly groupId: number | null;
}

export const NO_COMPLAINT_STATE: ComplaintState = {
  level: null,
  category: null,
  department: null,
  confirmedAt: null,
  plan: null,
  planDueAt: null,
  planApprovedBy: null,
  planApprovedAt: null,
  followupDueAt: null,
  followedUpAt: null,
  satisfaction: null,
  rootCauseNotedAt: null,
  groupId: null,
};

export interface Contact {
  readonly id: number;
  readonly teamId: number;
  readonly customer: Customer;
  readonly ownerUserId: string;
  readonly loggedBy: string;
  readonly channel: ContactChannel;
  readonly receivedAt: DateTime;
  readonly loggedAt: DateTime;
  readonly note: string;
  readonly firstResponseDueAt: DateTime | null;
  readonly resolutionDueAt: DateTime | null;
  readonly firstRespondedAt: DateTime | null;
  readonly resolvedAt: DateTime | null;
  readonly status: ContactStatus;
  readonly complaint: ComplaintState;
}

export type ContactEventKind =
  | 'logged'
  | 'replied'
  | 'resolved'
  | 'noted'
  | 'reassigned'
  | 'snoozed'
  | 'confirmed'
  | 'levelChanged'
  | 'planned'
  | 'approved'
  | 'followedUp'
  | 'linked'
  /** The phone system: the same number missed again while the call-back clock runs; a call-back that was not answered. */
  | 'missedAgain'
  | 'callAttempt';

export interface ContactEvent {
  readonly contactId: number;
  readonly actorUserId: string;
  readonly kind: ContactEventKind;
  readonly at: DateTime;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}

/** When a contact's clock is due; null when it does not run. */
export function clockDueAt(contact: Contact, clock: ClockKind): DateTime | null {
  if (clock === 'response') return contact.firstResponseDueAt;
  if (clock === 'resolution') return contact.resolutionDueAt;
  return contact.complaint.followupDueAt;
}

/** When a contact's clock was met, null while it runs: a reply meets the response clock, a resolution both, a follow-up call its own. */
export function clockMetAt(contact: Contact, clock: ClockKind): DateTime | null {
  if (clock === 'response') return contact.firstRespondedAt ?? contact.resolvedAt;
  if (clock === 'resolution') return contact.resolvedAt;
  return contact.complaint.followedUpAt;
}

export function clockMet(contact: Contact, clock: ClockKind): boolean {
  return clockMetAt(contact, clock) !== null;
}

const DAY_MS = 86_400_000;

/** Resolved within 24 h of coming in: the seeds' 24 h resolution KPI. */
export function resolvedWithin24h(contact: Contact): boolean {
  return contact.resolvedAt !== null && contact.resolvedAt.toMillis() - contact.receivedAt.toMillis() <= DAY_MS;
}
