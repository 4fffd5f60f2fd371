import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A walk-in who came while every consultant was receiving or away (候客): what the front desk
  // typed, kept until the first consultant free receives them (the visit contact is written
  // then) or they leave. `number` is their place in the team's day (W1, W2 …).
  await db.schema
    .createTable('waiting_visitors')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('arrived_at', 'timestamptz', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('logged_by', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('request_key', 'text', (c) => c.unique())
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id'))
    .addColumn('left_at', 'timestamptz')
    .addUniqueConstraint('waiting_visitors_number', ['team_id', 'day', 'number'])
    .execute();
  // The rotation's 'wait', 'left' and 'visit' events name the waiting visitor by that number.
  await db.schema.alterTable('rotation_events').addColumn('waiting_no', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rotation_events').dropColumn('waiting_no').execute();
  await db.schema.dropTable('waiting_visitors').execute();
}
