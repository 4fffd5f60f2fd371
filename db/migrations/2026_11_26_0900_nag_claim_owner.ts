import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Which claim holds a nag: only its holder may renew it or record its outcome, so a
  // replica that lost its lease (a stall, a partition) cannot overwrite the next holder's work.
  await db.schema.alterTable('nags').addColumn('claimed_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('nags').dropColumn('claimed_by').execute();
}
