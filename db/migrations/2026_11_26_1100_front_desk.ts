import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The sales office's day, as it happened (签到, 用餐, 来访, 轮空 …): the rotation is rebuilt from it and audited by it.
  await db.schema
    .createTable('rotation_events')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('visit_id', 'integer', (c) => c.references('contacts.id'))
    .addColumn('how', 'text')
    .addColumn('until', 'timestamptz')
    .addColumn('place', 'integer')
    .addColumn('by_user', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('rotation_events_by_day').on('rotation_events').columns(['team_id', 'day', 'at', 'id']).execute();
  // Who may no longer act (离职交接): out of the rotation, refused; their history stays.
  await db.schema
    .alterTable('members')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  // 代班: while `from_user` is on leave, their reminders and alerts go to `to_user`.
  await db.schema
    .createTable('covers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('from_user', 'text', (c) => c.notNull())
    .addColumn('to_user', 'text', (c) => c.notNull())
    .addColumn('until', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('covers_by_team').on('covers').columns(['team_id', 'from_user']).execute();
  // The weekly summary's moment (a weekday and a local time, e.g. 'fri 15:30'), and one post per team and week.
  await db.schema
    .alterTable('teams')
    .addColumn('weekly', 'text', (c) => c.defaultTo(sql`'fri 15:30'`))
    .execute();
  await db.schema
    .createTable('team_weeklies')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('claimed'))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('posted_at', 'timestamptz')
    .addPrimaryKeyConstraint('team_weeklies_pk', ['team_id', 'week'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_weeklies').execute();
  await db.schema.alterTable('teams').dropColumn('weekly').execute();
  await db.schema.dropTable('covers').execute();
  await db.schema.alterTable('members').dropColumn('active').execute();
  await db.schema.dropTable('rotation_events').execute();
}
