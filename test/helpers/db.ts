import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../db/connect';
import type { Database } from '../../db/database';

export interface TestDatabase {
  readonly db: Kysely<Database>;
  /** Empties every table and restarts the ids, between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL: the schema of its own this database lives in (for replicas opened on it). */
  readonly schema?: string;
}

export interface TestDatabaseKind {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

const TABLES = [
  'team_audit',
  'intake_deliveries',
  'intake_calls',
  'member_phones',
  'intake_sources',
  'bot_chats',
  'chat_cards',
  'team_weeklies',
  'covers',
  'rotation_events',
  'waiting_visitors',
  'recipient_sends',
  'platform_leases',
  'conversations',
  'nag_deliveries',
  'nags',
  'team_notices',
  'request_keys',
  'contact_events',
  'contacts',
  'customers',
  'members',
  'teams',
];

async function truncateAll(db: Kysely<Database>): Promise<void> {
  await sql`truncate ${sql.join(TABLES.map((t) => sql.table(t)))} restart identity cascade`.execute(db);
}

/** PGlite in memory: a real PostgreSQL in WebAssembly, migrated as in production. */
export const pgliteKind: TestDatabaseKind = {
  name: 'pglite',
  async open() {
    const { db, close } = await openDatabase({ kind: 'pglite' });
    await migrateToLatest(db);
    return { db, reset: () => truncateAll(db), close };
  },
};

/**
 * The PostgreSQL at TEST_DATABASE_URL, in a schema of its own so test files can
 * run side by side; the schema is dropped on close.
 */
export function postgresKind(url: string): TestDatabaseKind {
  return {
    name: 'postgres',
    async open() {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const { db, close } = await openDatabase({ kind: 'postgres', url, schema, poolSize: 5 });
      await migrateToLatest(db, schema);
      return {
        db,
        schema,
        reset: () => truncateAll(db),
        async close() {
          await close();
          const cleanup = new pg.Client({ connectionString: url });
          await cleanup.connect();
          await cleanup.query(`drop schema ${schema} cascade`);
          await cleanup.end();
        },
      };
    },
  };
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function databaseKinds(): TestDatabaseKind[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [pgliteKind, postgresKind(url)] : [pgliteKind];
}

/**
 * A test database for a describe block: opened before its tests, closed after them; with
 * `offline`, nock refuses real connections meanwhile (the chat APIs are played by nock).
 * The object stands for the database once it is open (`db`, `schema`, `reset`).
 */
export function useTestDatabase(kind: () => TestDatabaseKind, opts: { readonly offline?: boolean } = {}): TestDatabase {
  let opened: TestDatabase | null = null;
  const current = () => {
    if (!opened) throw new Error('the test database is not open yet');
    return opened;
  };
  beforeAll(async () => {
    if (opts.offline) nock.disableNetConnect();
    opened = await kind().open();
  });
  afterAll(async () => {
    if (opts.offline) {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    await opened?.close();
  });
  return {
    get db() {
      return current().db;
    },
    get schema() {
      return current().schema;
    },
    reset: () => current().reset(),
    close: async () => {},
  };
}

/**
 * A PostgreSQL database of its own on the server at `url` (created before a describe block's
 * tests, dropped after), for tests that run the real entry point against it. Its name.
 */
export function useScratchDatabase(url: () => string, prefix: string): string {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  beforeAll(() => admin(`create database ${name}`));
  afterAll(() => admin(`drop database if exists ${name} with (force)`));
  return name;
}
