import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A team lives on one chat platform; one process per platform serves its own teams.
  // Teams so far are Slack's, except the sandbox's demo team in its channel `demo`. The
  // default stays, so a replica of the version before this one (rolling deploy) still writes.
  await db.schema
    .alterTable('teams')
    .addColumn('platform', 'text', (c) => c.notNull().defaultTo('slack'))
    .execute();
  await sql`update teams set platform = 'sandbox' where channel_id = 'demo'`.execute(db);
  await sql`alter table teams add constraint teams_platform_check check (platform in ('sandbox', 'slack', 'dingtalk', 'wecom'))`.execute(db);
  // A channel id is unique on its own platform only.
  await sql`alter table teams drop constraint teams_channel_id_key`.execute(db);
  await sql`alter table teams add constraint teams_platform_channel_unique unique (platform, channel_id)`.execute(db);

  // The reminder outbox carries its team's platform, so each process claims its own
  // platform's nags from the due index without joining teams.
  await db.schema
    .alterTable('nags')
    .addColumn('platform', 'text', (c) => c.notNull().defaultTo('slack'))
    .execute();
  await sql`update nags set platform = teams.platform from teams where teams.id = nags.team_id and teams.platform <> 'slack'`.execute(db);
  await sql`drop index nags_due_idx`.execute(db);
  await sql`create index nags_due_idx on nags (platform, (coalesce(next_attempt_at, fire_at))) where status = 'pending'`.execute(db);

  // A request key may be held for a while (an inbound message being handled) rather
  // than taken for good: a holder that died lets a re-pushed copy through once its
  // hold runs out. Null: handled for good (every key so far).
  await db.schema.alterTable('request_keys').addColumn('held_until', 'timestamptz').execute();

  // The guided conversation that stands in for a form where a platform has no modal:
  // one per person and platform, kept here so it survives a restart and any replica
  // can take the next answer.
  await db.schema
    .createTable('conversations')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    // Each answer moves it on one version; a write names the version it read.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversations_pk', ['platform', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversations').execute();
  await db.schema.alterTable('request_keys').dropColumn('held_until').execute();
  await sql`drop index nags_due_idx`.execute(db);
  await sql`create index nags_due_idx on nags ((coalesce(next_attempt_at, fire_at))) where status = 'pending'`.execute(db);
  await db.schema.alterTable('nags').dropColumn('platform').execute();
  await sql`alter table teams drop constraint teams_platform_channel_unique`.execute(db);
  await sql`alter table teams add constraint teams_channel_id_key unique (channel_id)`.execute(db);
  await db.schema.alterTable('teams').dropColumn('platform').execute();
}
