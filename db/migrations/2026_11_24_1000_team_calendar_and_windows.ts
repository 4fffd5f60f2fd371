import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('teams')
    // Working hours as typed: 'always', 'workdays 09:00-18:00', 'mon,wed,sat 08:00-12:00,13:00-17:00'.
    .addColumn('hours', 'text', (c) => c.notNull().defaultTo('workdays 09:00-18:00'))
    .addColumn('holiday_calendar', 'text', (c) => c.notNull().defaultTo('cn').check(sql`holiday_calendar in ('cn', 'none')`))
    .addColumn('closed_dates', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('open_dates', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // The team's changes to the default windows: { "wechat.response": { "seconds": 600, "mode": "working" } }.
    .addColumn('windows', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('remind_percent', 'integer', (c) => c.notNull().defaultTo(80).check(sql`remind_percent between 1 and 99`))
    .addColumn('escalate_seconds', 'integer')
    .execute();

  await db.schema.alterTable('contacts').addColumn('resolution_due_at', 'timestamptz').execute();

  // Things a team must be told once (a year without holiday data, …), whichever replica notices first.
  await db.schema
    .createTable('team_notices')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_notices_pk', ['team_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_notices').execute();
  await db.schema.alterTable('contacts').dropColumn('resolution_due_at').execute();
  for (const column of ['hours', 'holiday_calendar', 'closed_dates', 'open_dates', 'windows', 'remind_percent', 'escalate_seconds']) {
    await db.schema.alterTable('teams').dropColumn(column).execute();
  }
}
