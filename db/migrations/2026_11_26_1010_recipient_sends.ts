import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Messages a platform counts per person (WeCom's self-built app drops beyond 30 a minute,
  // 1,000 an hour): kept here so a restart or another replica knows what was sent.
  await db.schema
    .createTable('recipient_sends')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recipient_sends_by_recipient').on('recipient_sends').columns(['platform', 'recipient', 'sent_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recipient_sends').execute();
}
