import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { migrateToLatest, openDatabase } from '../db/connect';
import { registerSchedules } from '../schedules';
import { createCommandService } from './app/command-service';
import { createCronScheduler } from './app/cron';
import { chineseHolidayData } from './app/holidays';
import { seedDemoTeam } from './app/demo-seed';
import { createLogger, scrubText } from './app/logger';
import { createSandboxGateway } from './chat/sandbox/gateway';
import { runSandbox } from './chat/sandbox/sandbox';
import { startSlack } from './chat/slack/app';
import { ConfigError, loadConfig, type Config } from './config';
import type { Clock } from './core/clock';

const systemClock: Clock = { now: () => DateTime.utc() };

/** Composition root: config → db → core services → chat adapter → schedules. */
async function main(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase(
    config.database.kind === 'postgres' ? { kind: 'postgres', url: config.database.url } : { kind: 'pglite', dataDir: config.database.dataDir },
  );
  await migrateToLatest(database.db);
  const service = createCommandService({
    db: database.db,
    clock: systemClock,
    logger,
    holidays: chineseHolidayData(),
    defaultLang: config.defaultLang,
    bootstrapAdmins: new Set(config.bootstrapAdmins),
  });
  const scheduler = createCronScheduler(logger);
  registerSchedules(scheduler, { db: database.db, clock: systemClock, logger });

  const shutdown = async (stopChat: () => Promise<void>) => {
    await stopChat();
    await scheduler.stop();
    await database.close();
  };

  if (!config.slack) {
    await seedDemoTeam(database.db, config.defaultLang);
    const write = (text: string) => process.stdout.write(text);
    await runSandbox({
      service,
      gateway: createSandboxGateway(write),
      input: process.stdin,
      output: process.stdout,
      user: config.sandboxUser,
      defaultLang: config.defaultLang,
    });
    await shutdown(async () => {});
    return;
  }

  const slack = await startSlack({ config, slack: config.slack, service, logger });
  logger.info({ mode: config.slack.kind, database: database.kind }, 'bot started');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      void shutdown(slack.stop).then(() => process.exit(0));
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
