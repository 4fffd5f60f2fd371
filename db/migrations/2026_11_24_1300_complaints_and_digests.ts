import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The complaint process (登记 → 确认 → 方案 → 回访) lives on the contact itself.
  await db.schema
    .alterTable('contacts')
    .addColumn('level', 'text', (c) => c.check(sql`level in ('normal', 'major', 'urgent')`))
    .addColumn('category', 'text', (c) => c.check(sql`category in ('quality', 'delivery-delay', 'fees', 'promise', 'area', 'attitude', 'process', 'other')`))
    .addColumn('department', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('plan', 'text')
    .addColumn('plan_due_at', 'timestamptz')
    .addColumn('plan_approved_by', 'text')
    .addColumn('plan_approved_at', 'timestamptz')
    .addColumn('followup_due_at', 'timestamptz')
    .addColumn('followed_up_at', 'timestamptz')
    .addColumn('satisfaction', 'smallint', (c) => c.check(sql`satisfaction between 1 and 5`))
    .addColumn('root_cause_noted_at', 'timestamptz')
    // Linked complaints about one problem (群体投诉) share the smallest id among them.
    .addColumn('group_id', 'integer')
    // Every change touches it, so a digest reads only what moved lately plus what is still open.
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`update contacts set updated_at = greatest(logged_at, coalesce(first_responded_at, logged_at), coalesce(resolved_at, logged_at))`.execute(db);
  await sql`alter table contacts drop constraint if exists contacts_status_check`.execute(db);
  await sql`alter table contacts add constraint contacts_status_check check (status in ('open', 'responded', 'resolved', 'closed'))`.execute(db);
  // "Open" now excludes closed complaints too; a resolved complaint still owes its follow-up.
  await sql`drop index contacts_owner_open_idx`.execute(db);
  await sql`create index contacts_owner_open_idx on contacts (team_id, owner_user_id, first_response_due_at) where status in ('open', 'responded')`.execute(db);
  await sql`create index contacts_owner_followup_idx on contacts (team_id, owner_user_id, followup_due_at) where status = 'resolved' and followup_due_at is not null`.execute(db);
  // Reports by period (KPIs, export) read a team's contacts by when they came in.
  await sql`create index contacts_team_received_idx on contacts (team_id, received_at)`.execute(db);
  // The digest: complaints that moved since a date, and complaints still needing someone.
  await sql`create index contacts_complaints_updated_idx on contacts (team_id, updated_at) where channel = 'complaint'`.execute(db);
  // A complaint still needing someone: open, owing its follow-up, or owing a root-cause note.
  // Stored as its own column so the planner's statistics see how few rows it is (a partial
  // index predicate alone reads as "most rows", since every other contact is never 'closed').
  await sql`alter table contacts add column digest_live boolean generated always as
            (channel = 'complaint' and (status <> 'closed' or (satisfaction is not null and satisfaction <= 2 and root_cause_noted_at is null))) stored`.execute(db);
  await sql`create index contacts_complaints_live_idx on contacts (team_id) where digest_live`.execute(db);
  await sql`create index contacts_group_idx on contacts (group_id) where group_id is not null`.execute(db);

  // The follow-up clock (回访) runs after a complaint is resolved.
  await sql`alter table nags drop constraint if exists nags_clock_check`.execute(db);
  await sql`alter table nags add constraint nags_clock_check check (clock in ('response', 'resolution', 'followup'))`.execute(db);

  await db.schema
    .alterTable('teams')
    // Local time of the daily complaint digest; null: off.
    .addColumn('digest_time', 'text', (c) => c.defaultTo('18:00'))
    .addColumn('group_warn', 'integer', (c) => c.notNull().defaultTo(3))
    .execute();

  // One digest per team and local date, claimed under a lease by whichever replica comes first.
  await db.schema
    .createTable('team_digests')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    // 'skipped': the digest time was set after that day's moment had passed; the first digest comes the next day.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('claimed').check(sql`status in ('claimed', 'posted', 'skipped')`))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('posted_at', 'timestamptz')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('team_digests_pk', ['team_id', 'day'])
    .execute();
  await db.schema
    .createTable('digest_acks')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('digest_acks_pk', ['team_id', 'day', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digest_acks').execute();
  await db.schema.dropTable('team_digests').execute();
  await db.schema.alterTable('teams').dropColumn('digest_time').dropColumn('group_warn').execute();
  for (const index of ['contacts_owner_followup_idx', 'contacts_team_received_idx', 'contacts_complaints_updated_idx', 'contacts_complaints_live_idx', 'contacts_group_idx']) {
    await db.schema.dropIndex(index).execute();
  }
  await sql`drop index contacts_owner_open_idx`.execute(db);
  await sql`create index contacts_owner_open_idx on contacts (team_id, owner_user_id, first_response_due_at) where status <> 'resolved'`.execute(db);
  await db.schema
    .alterTable('contacts')
    .dropColumn('level')
    .dropColumn('category')
    .dropColumn('department')
    .dropColumn('confirmed_at')
    .dropColumn('plan')
    .dropColumn('plan_due_at')
    .dropColumn('plan_approved_by')
    .dropColumn('plan_approved_at')
    .dropColumn('followup_due_at')
    .dropColumn('followed_up_at')
    .dropColumn('satisfaction')
    .dropColumn('root_cause_noted_at')
    .dropColumn('group_id')
    .dropColumn('updated_at')
    .dropColumn('digest_live')
    .execute();
}
