import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string, string>;

export interface TeamsTable {
  id: Generated<number>;
  platform: string;
  name: string;
  channel_id: string;
  time_zone: Generated<string>;
  lang: Generated<string>;
  created_by: string;
  created_at: CreatedAt;
  hours: Generated<string>;
  holiday_calendar: Generated<string>;
  closed_dates: ColumnType<string[], string | undefined, string>;
  open_dates: ColumnType<string[], string | undefined, string>;
  windows: ColumnType<Record<string, unknown>, string | undefined, string>;
  remind_percent: Generated<number>;
  escalate_seconds: number | null;
  /** `HH:mm`, or null when the team turned its digest off. */
  digest_time: ColumnType<string | null, string | null | undefined, string | null>;
  group_warn: Generated<number>;
  autoreplies: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The weekly summary's moment, `fri 15:30`; null when the team turned it off. */
  weekly: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether its reports carry a chart beside the text. */
  charts: Generated<boolean>;
}

/** A connection only one process may hold, and who holds it until when. */
export interface PlatformLeasesTable {
  name: string;
  holder: string;
  held_until: Timestamp;
}

/** One message sent to a person on a platform that caps them (WeCom's self-built app). */
export interface RecipientSendsTable {
  platform: string;
  recipient: string;
  sent_at: Timestamp;
}

/** Someone who has written to a bot that may write first only to such people (WeCom's smart bot). */
export interface ChatCardsTable {
  platform: string;
  card_id: string;
  card: Json;
  created_at: Timestamp;
}

export interface BotChatsTable {
  platform: string;
  user_id: string;
  wrote_at: Timestamp;
}

/** One thing that happened in a sales office's day (see src/core/rotation.ts). */
export interface RotationEventsTable {
  id: Generated<number>;
  team_id: number;
  day: string;
  kind: string;
  user_id: string;
  at: Timestamp;
  visit_id: number | null;
  how: string | null;
  until: Timestamp | null;
  place: number | null;
  by_user: string | null;
  reason: string | null;
  /** The waiting visitor ('wait', 'left', and the 'visit' that received them): their number in the team's day. */
  waiting_no: number | null;
}

/** A walk-in waiting for a free consultant (候客), until received (`contact_id`) or gone (`left_at`). */
export interface WaitingVisitorsTable {
  id: Generated<number>;
  team_id: number;
  day: string;
  number: number;
  arrived_at: Timestamp;
  customer_name: string;
  phone: string | null;
  note: string;
  logged_by: string;
  owner_user_id: string | null;
  request_key: string | null;
  contact_id: number | null;
  left_at: Timestamp | null;
}

/** 代班: a colleague covering for someone on leave. */
export interface CoversTable {
  id: Generated<number>;
  team_id: number;
  from_user: string;
  to_user: string;
  until: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
  ended_at: Timestamp | null;
}

/** One weekly summary per team and ISO week: the claim that posts it once across replicas. */
export interface TeamWeekliesTable {
  team_id: number;
  week: string;
  status: Generated<string>;
  claimed_until: Timestamp | null;
  posted_at: Timestamp | null;
}

/** One daily digest per team and local date: the claim that makes it once across replicas. */
export interface TeamDigestsTable {
  team_id: number;
  day: string;
  due_at: Timestamp;
  status: Generated<string>;
  claimed_until: Timestamp | null;
  posted_at: Timestamp | null;
  late: Generated<boolean>;
}

export interface DigestAcksTable {
  team_id: number;
  day: string;
  user_id: string;
  at: Timestamp;
}

export interface MembersTable {
  id: Generated<number>;
  team_id: number;
  user_id: string;
  display_name: string | null;
  role: string;
  created_at: CreatedAt;
  active: Generated<boolean>;
}

export interface CustomersTable {
  id: Generated<number>;
  team_id: number;
  name: string;
  /** E.164; null when the customer left no number. */
  phone: string | null;
  owner_user_id: string;
  created_at: CreatedAt;
}

export interface ContactsTable {
  id: Generated<number>;
  team_id: number;
  customer_id: number;
  owner_user_id: string;
  logged_by: string;
  channel: string;
  received_at: Timestamp;
  logged_at: Timestamp;
  note: string;
  first_response_due_at: Timestamp | null;
  resolution_due_at: Timestamp | null;
  first_responded_at: Timestamp | null;
  resolved_at: Timestamp | null;
  status: Generated<string>;
  request_key: string | null;
  level: string | null;
  category: string | null;
  department: string | null;
  confirmed_at: Timestamp | null;
  plan: string | null;
  plan_due_at: Timestamp | null;
  plan_approved_by: string | null;
  plan_approved_at: Timestamp | null;
  followup_due_at: Timestamp | null;
  followed_up_at: Timestamp | null;
  satisfaction: number | null;
  root_cause_noted_at: Timestamp | null;
  group_id: number | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Generated: a complaint still needing someone (open, follow-up or root-cause note owed). */
  digest_live: ColumnType<boolean, never, never>;
}

export interface ContactEventsTable {
  id: Generated<number>;
  contact_id: number;
  team_id: number;
  actor_user_id: string;
  kind: string;
  at: Timestamp;
  before: Json | null;
  after: Json | null;
}

/** Keys of requests already handled (Slack retries, double submissions), shared by every replica. */
export interface RequestKeysTable {
  key: string;
  created_at: Timestamp;
  /** Set while an inbound message is being handled; null once it is handled for good. */
  held_until: Timestamp | null;
}

/** A guided conversation in progress (the log form where a platform has no modal). */
export interface ConversationsTable {
  platform: string;
  user_id: string;
  kind: string;
  state: ColumnType<unknown, string, string>;
  version: Generated<number>;
  expires_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamNoticesTable {
  team_id: number;
  key: string;
  sent_at: Timestamp;
}

export interface NagsTable {
  id: Generated<number>;
  platform: string;
  team_id: number;
  contact_id: number;
  clock: string;
  step: string;
  fire_at: Timestamp;
  status: Generated<string>;
  next_attempt_at: Timestamp | null;
  claimed_until: Timestamp | null;
  claimed_by: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Timestamp | null;
}

export interface NagDeliveriesTable {
  nag_id: number;
  recipient: string;
  sent_at: Timestamp;
}

/** A team's intake source: where its phone system and other systems post (see db/migrations/2026_12_07_0900_intake.ts). */
export interface IntakeSourcesTable {
  team_id: number;
  /** SHA-256 of the address's id, hex; null while the source is off. */
  id_hash: string | null;
  /** The id's first characters, to recognise an address by. */
  id_hint: string | null;
  /** `whsec_…`; null while off. */
  secret: string | null;
  secret_created_at: Timestamp | null;
  previous_secret: string | null;
  previous_valid_until: Timestamp | null;
  enabled_at: Timestamp | null;
  enabled_by: string | null;
  disabled_at: Timestamp | null;
}

/** An extension, number or PBX user name and the member it is. */
export interface MemberPhonesTable {
  team_id: number;
  key: string;
  user_id: string;
  created_by: string;
  created_at: Timestamp;
}

/** One call the phone system told of: its events so far and what was made of them. */
export interface IntakeCallsTable {
  team_id: number;
  call_key: string;
  events: ColumnType<unknown, string | undefined, string>;
  outcome: string | null;
  contact_id: number | null;
  first_at: Timestamp;
  updated_at: Timestamp;
}

/** A signed event by its webhook-id, with the answer it got. */
export interface IntakeDeliveriesTable {
  team_id: number;
  webhook_id: string;
  received_at: Timestamp;
  status: number;
  body: ColumnType<unknown, string, string>;
  contact_id: number | null;
}

/** A change to a team's settings that is audited (intake, phone mapping). */
export interface TeamAuditTable {
  id: Generated<number>;
  team_id: number;
  actor_user_id: string;
  action: string;
  at: Timestamp;
  detail: Json | null;
}

export interface Database {
  teams: TeamsTable;
  members: MembersTable;
  customers: CustomersTable;
  contacts: ContactsTable;
  contact_events: ContactEventsTable;
  request_keys: RequestKeysTable;
  team_notices: TeamNoticesTable;
  nags: NagsTable;
  nag_deliveries: NagDeliveriesTable;
  platform_leases: PlatformLeasesTable;
  recipient_sends: RecipientSendsTable;
  bot_chats: BotChatsTable;
  chat_cards: ChatCardsTable;
  rotation_events: RotationEventsTable;
  waiting_visitors: WaitingVisitorsTable;
  covers: CoversTable;
  team_weeklies: TeamWeekliesTable;
  team_digests: TeamDigestsTable;
  digest_acks: DigestAcksTable;
  conversations: ConversationsTable;
  intake_sources: IntakeSourcesTable;
  member_phones: MemberPhonesTable;
  intake_calls: IntakeCallsTable;
  intake_deliveries: IntakeDeliveriesTable;
  team_audit: TeamAuditTable;
}

/** A database handle or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;

export type TeamRow = Selectable<TeamsTable>;
export type MemberRow = Selectable<MembersTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
