import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../db/connect';
import type { Database } from '../../db/database';

/** What the benchmarks share: a throw-away PostgreSQL schema, timing, and how they end. */

export const benchDatabaseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Runs `fn` on a migrated schema of its own in DATABASE_URL's database, dropped afterwards. */
export async function withBenchSchema(name: string, fn: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  if (!benchDatabaseUrl) {
    console.error(`bench:${name} needs PostgreSQL: set DATABASE_URL (or TEST_DATABASE_URL) to a database it may create a schema in.`);
    process.exit(2);
  }
  const schema = `bench_${name}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: benchDatabaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ kind: 'postgres', url: benchDatabaseUrl, schema, poolSize: 4 });
  try {
    await migrateToLatest(database.db, schema);
    await fn(database.db);
  } finally {
    await database.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

/** Ends the process when the benchmark is done: 0, or 1 with the error. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
