import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Cards the bot sent into groups (DingTalk's interactive cards): what each shows and which
  // buttons are left, so a click updates its card after a restart or on another replica.
  await db.schema
    .createTable('chat_cards')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('card', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_cards_pk', ['platform', 'card_id'])
    .execute();
  await db.schema.createIndex('chat_cards_created_at').on('chat_cards').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chat_cards').execute();
}
