import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // People who have written to a bot that may write first only to them (WeCom's smart bot):
  // their private messages go through the bot's own conversation, with its buttons; the
  // others through the self-built app.
  await db.schema
    .createTable('bot_chats')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('wrote_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('bot_chats_pk', ['platform', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bot_chats').execute();
}
