import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The front desk's minute job asks which teams have someone still waiting: only those rows
  // are indexed, so the question costs the same on the thousandth day as on the first.
  await sql`create index waiting_visitors_still_waiting on waiting_visitors (arrived_at) where contact_id is null and left_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index waiting_visitors_still_waiting`.execute(db);
}
