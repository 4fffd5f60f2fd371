import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A team's own out-of-hours auto-reply per channel (text with {due}); absent: the default.
  await db.schema
    .alterTable('teams')
    .addColumn('autoreplies', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').dropColumn('autoreplies').execute();
}
