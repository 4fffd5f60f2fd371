import type { DateTime } from 'luxon';
import type { Lang } from '../i18n';
import type { ContactChannel, Role } from './channels';

export interface Team {
  readonly id: number;
  readonly name: string;
  readonly channelId: string;
  readonly zone: string;
  readonly lang: Lang;
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
  readonly firstRespondedAt: DateTime | null;
  readonly resolvedAt: DateTime | null;
  readonly status: ContactStatus;
}

export type ContactEventKind = 'logged' | 'replied' | 'resolved' | 'noted';

export interface ContactEvent {
  readonly contactId: number;
  readonly actorUserId: string;
  readonly kind: ContactEventKind;
  readonly at: DateTime;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}
