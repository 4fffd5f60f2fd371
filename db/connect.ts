import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type { Database } from './database';
import { migrationProvider } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import { ensureDataDir, PGLITE_CONF } from './pglite-init';

export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string; readonly poolSize?: number; readonly queryTimeoutMs?: number }
  | { readonly kind: 'pglite'; readonly dataDir?: string };

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget['kind'];
  close(): Promise<void>;
}

/** The longest any statement of the bot may take before its connection is given up on (the slowest, a 1,000,000-contact digest, takes under 2 s). */
const QUERY_TIMEOUT_MS = 60_000;

/**
 * Opens PostgreSQL through a pg Pool, or PGlite persisted in a folder (in memory without one).
 * A pooled connection that dies while idle (a restart: 57P01) is reported through `onError`
 * and dropped by the pool; without a listener pg would end the process with an unhandled
 * 'error' event. Queries made while the server is away fail fast and are retried by their callers.
 */
export async function openDatabase(target: DatabaseTarget, onError: (error: Error) => void = () => {}): Promise<OpenDatabase> {
  // Each driver is loaded only when used: the sandbox never waits for pg, production never for PGlite.
  if (target.kind === 'postgres') {
    const [{ default: pg }, { PreparingClient }] = await Promise.all([import('pg'), import('./prepared-statements')]);
    const pool = new pg.Pool({
      // Statements run often are prepared on each connection (see prepared-statements.ts).
      Client: PreparingClient,
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // A server that does not answer is given up on rather than waited for: at connect, and
      // on a connection gone silent (a dropped NAT entry, a frozen host), which TCP alone would
      // notice only after many minutes. Keep-alive probes find idle dead connections.
      connectionTimeoutMillis: 5_000,
      query_timeout: target.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    });
    pool.on('error', onError);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (target.dataDir) await ensureDataDir(target.dataDir);
  const { PGlite } = await import('@electric-sql/pglite');
  // One process, one small team's data: small buffers keep the embedded server's memory down
  // (PGlite's defaults held 280 MB resident; these about 150 MB).
  const pglite = new PGlite(target.dataDir, { postgresqlconf: PGLITE_CONF });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/** Whether every migration is recorded as applied. */
async function upToDate(db: Kysely<Database>, schema?: string): Promise<boolean> {
  const names = Object.keys(await migrationProvider.getMigrations());
  try {
    const table = schema ? sql.id(schema, 'kysely_migration') : sql.id('kysely_migration');
    const rows = await sql<{ name: string }>`select name from ${table}`.execute(db);
    const applied = new Set(rows.rows.map((row) => row.name));
    return names.every((name) => applied.has(name));
  } catch {
    // No migration table yet: a new database.
    return false;
  }
}

/**
 * Brings the schema up to date. kysely's Migrator takes a PostgreSQL advisory
 * lock, so replicas starting together run each migration once.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<void> {
  // Already up to date (nearly every start): one read instead of the Migrator's locking round (half a second on PGlite).
  if (await upToDate(db, schema)) return;
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
