import type { DateTime } from 'luxon';
import type { Lang } from '../i18n';
import type { WeeklyHours, WorkingCalendar } from './calendar';
import type { ContactChannel, Role } from './channels';
import { policyOf, type Policy, type PolicyOverrides, type SlaWindow } from './policy';

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
}

export const DEFAULT_TEAM_SETTINGS: TeamSettings = {
  hours: { kind: 'weekly', days: 'workdays', ranges: [[9 * 60, 18 * 60]] },
  holidays: 'cn',
  closedDates: new Set(),
  openDates: new Set(),
  windows: {},
  remindPercent: 80,
  escalateSeconds: null,
};

export function calendarOf(team: Team): WorkingCalendar {
  const s = team.settings;
  return { zone: team.zone, hours: s.hours, holidays: s.holidays, closedDates: s.closedDates, openDates: s.openDates };
}

export function policyOfTeam(team: Team): Policy {
  return policyOf(team.settings.windows);
}

export type { SlaWindow };

export interface Team {
  readonly id: number;
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
}

export interface Customer {
  readonly id: number;
  readonly teamId: number;
  readonly name: string;
  readonly phone: string | null;
  readonly ownerUserId: string;
}

export type ContactStatus = 'open' | 'responded' | 'resolved';

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
}

export type ContactEventKind = 'logged' | 'replied' | 'resolved' | 'noted' | 'reassigned' | 'snoozed';

export interface ContactEvent {
  readonly contactId: number;
  readonly actorUserId: string;
  readonly kind: ContactEventKind;
  readonly at: DateTime;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}
