import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Whether the digest, the weekly summary and `/cs kpi … chart` carry a chart beside their text; on unless a team turns it off.
  await db.schema
    .alterTable('teams')
    .addColumn('charts', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').dropColumn('charts').execute();
}
