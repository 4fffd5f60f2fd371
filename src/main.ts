import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { migrateToLatest, openDatabase } from '../db/connect';
import { createLogger, scrubText } from './app/logger';
import { startBot } from './bot';
import { ConfigError, loadConfig, type Config } from './config';
import type { Clock } from './core/clock';

const systemClock: Clock = { now: () => DateTime.utc() };

/** Composition root: config → db → the bot for the configured platform → signals. */
async function main(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase(
    config.database.kind === 'postgres' ? { kind: 'postgres', url: config.database.url } : { kind: 'pglite', dataDir: config.database.dataDir },
    // Only what went wrong: never the connection's user, host or database.
    (error) => logger.warn({ code: (error as { code?: string }).code, err: error.message }, 'a database connection was lost; the pool opens a new one'),
  );
  let bot;
  try {
    await migrateToLatest(database.db);
    bot = await startBot({ config, db: database.db, clock: systemClock, logger });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  const stop = async () => {
    await bot.stop();
    await database.close();
  };
  if (config.platform.kind === 'sandbox') {
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
main(config).catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${scrubText(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
