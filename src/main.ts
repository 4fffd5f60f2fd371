import { existsSync } from 'node:fs';
import { ensureDataDir } from '../db/pglite-init';
import type { Bot } from './bot';
import { ConfigError, loadConfig, type Config } from './config';

/**
 * Entry point: config → (a new embedded database, made while the rest loads) → db → the
 * bot → signals. Everything else is loaded after the configuration is known, so a new
 * database's initdb runs beside the loading.
 */
async function main(config: Config): Promise<void> {
  const preparing = config.database.kind === 'pglite' ? ensureDataDir(config.database.dataDir) : null;
  // Not a rejection left alone while the rest loads: openDatabase waits for it and reports it.
  preparing?.catch(() => {});
  const [{ migrateToLatest, openDatabase }, { createLogger }] = await Promise.all([import('../db/connect'), import('./runtime/logger')]);
  const logger = createLogger({ level: config.logLevel });
  // The database opens (PGlite compiles its WebAssembly off the main thread) while the bot's modules load.
  const opening = openDatabase(
    config.database.kind === 'postgres' ? { kind: 'postgres', url: config.database.url } : { kind: 'pglite', dataDir: config.database.dataDir },
    // Only what went wrong: never the connection's user, host or database.
    (error) => logger.warn({ code: (error as { code?: string }).code, err: error.message }, 'a database connection was lost; the pool opens a new one'),
  );
  opening.catch(() => {});
  const [{ DateTime }, { startBot }] = await Promise.all([import('luxon'), import('./bot')]);
  const database = await opening;
  let bot: Bot;
  try {
    await migrateToLatest(database.db);
    bot = await startBot({ config, db: database.db, clock: { now: () => DateTime.utc() }, logger });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  const stop = async () => {
    await bot.stop();
    await database.close();
  };
  // The terminal ends with its input; a chat platform runs until a signal.
  if (bot.finished) {
    await bot.finished;
    await stop();
    return;
  }
  logger.info({ platform: config.platform.kind, database: database.kind }, 'bot started');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      void stop().then(() => process.exit(0));
    });
  }
}

let config: Config;
try {
  // A .env file beside package.json, when there is one; the environment wins over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
main(config).catch(async (error: unknown) => {
  const { scrubText } = await import('./runtime/logger');
  process.stderr.write(`Start-up failed: ${scrubText(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
