import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The outbox of reminders: one row per (contact, clock, step), written with the contact,
  // claimed under a lease by whichever replica sweeps first, marked sent after delivery.
  await db.schema
    .createTable('nags')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('clock', 'text', (c) => c.notNull().check(sql`clock in ('response', 'resolution')`))
    .addColumn('step', 'text', (c) => c.notNull().check(sql`step in ('due_soon', 'overdue', 'escalation')`))
    .addColumn('fire_at', 'timestamptz', (c) => c.notNull())
    // A claimed nag stays 'pending' with a lease in claimed_until, so claiming it does not touch the indexed status.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'cancelled')`))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('nags_contact_clock_step_unique', ['contact_id', 'clock', 'step'])
    .execute();
  // The sweep reads only nags still to send, by when they are due: its cost follows the due rows, not the table.
  await sql`create index nags_due_idx on nags ((coalesce(next_attempt_at, fire_at))) where status = 'pending'`.execute(db);
  // Room in each page for a claim's new row version, so it stays a heap-only (HOT) update.
  await sql`alter table nags set (fillfactor = 80)`.execute(db);

  // Who a nag has reached, so a retry after a partial failure reaches only the others.
  await db.schema
    .createTable('nag_deliveries')
    .addColumn('nag_id', 'integer', (c) => c.notNull().references('nags.id').onDelete('cascade'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('nag_deliveries_pk', ['nag_id', 'recipient'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('nag_deliveries').execute();
  await db.schema.dropTable('nags').execute();
}
