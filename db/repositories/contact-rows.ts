import { DateTime } from 'luxon';
import type { ContactChannel } from '../../src/core/channels';
import type { ComplaintCategory, ComplaintLevel } from '../../src/core/complaints';
import type { Contact, ContactStatus } from '../../src/core/model';
import type { Db } from '../database';

/** Contact rows joined with their customer, and how they become domain contacts (snake_case stays here). */

export const toDateTime = (d: Date): DateTime => DateTime.fromJSDate(d, { zone: 'utc' });
const toOptionalDateTime = (d: Date | null): DateTime | null => (d ? toDateTime(d) : null);

const contactColumns = [
  'contacts.id',
  'contacts.team_id',
  'contacts.owner_user_id',
  'contacts.logged_by',
  'contacts.channel',
  'contacts.received_at',
  'contacts.logged_at',
  'contacts.note',
  'contacts.first_response_due_at',
  'contacts.resolution_due_at',
  'contacts.first_responded_at',
  'contacts.resolved_at',
  'contacts.status',
  'contacts.level',
  'contacts.category',
  'contacts.department',
  'contacts.confirmed_at',
  'contacts.plan',
  'contacts.plan_due_at',
  'contacts.plan_approved_by',
  'contacts.plan_approved_at',
  'contacts.followup_due_at',
  'contacts.followed_up_at',
  'contacts.satisfaction',
  'contacts.root_cause_noted_at',
  'contacts.group_id',
  'customers.id as customer_id',
  'customers.name as customer_name',
  'customers.phone as customer_phone',
  'customers.owner_user_id as customer_owner',
] as const;

export function selectContacts(db: Db) {
  return db.selectFrom('contacts').innerJoin('customers', 'customers.id', 'contacts.customer_id').select(contactColumns);
}

type ContactJoinRow = Awaited<ReturnType<ReturnType<typeof selectContacts>['executeTakeFirstOrThrow']>>;

export const toContact = (row: ContactJoinRow): Contact => ({
  id: row.id,
  teamId: row.team_id,
  customer: { id: row.customer_id, teamId: row.team_id, name: row.customer_name, phone: row.customer_phone, ownerUserId: row.customer_owner },
  ownerUserId: row.owner_user_id,
  loggedBy: row.logged_by,
  channel: row.channel as ContactChannel,
  receivedAt: toDateTime(row.received_at),
  loggedAt: toDateTime(row.logged_at),
  note: row.note,
  firstResponseDueAt: toOptionalDateTime(row.first_response_due_at),
  resolutionDueAt: toOptionalDateTime(row.resolution_due_at),
  firstRespondedAt: toOptionalDateTime(row.first_responded_at),
  resolvedAt: toOptionalDateTime(row.resolved_at),
  status: row.status as ContactStatus,
  complaint: {
    level: row.level as ComplaintLevel | null,
    category: row.category as ComplaintCategory | null,
    department: row.department,
    confirmedAt: toOptionalDateTime(row.confirmed_at),
    plan: row.plan,
    planDueAt: toOptionalDateTime(row.plan_due_at),
    planApprovedBy: row.plan_approved_by,
    planApprovedAt: toOptionalDateTime(row.plan_approved_at),
    followupDueAt: toOptionalDateTime(row.followup_due_at),
    followedUpAt: toOptionalDateTime(row.followed_up_at),
    satisfaction: row.satisfaction,
    rootCauseNotedAt: toOptionalDateTime(row.root_cause_noted_at),
    groupId: row.group_id,
  },
});
