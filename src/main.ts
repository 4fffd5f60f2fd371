import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { migrateToLatest, openDatabase } from '../db/connect';
import { listenForWakeups } from '../db/wakeups';
import { registerSchedules } from '../schedules';
import { createCommandService } from './app/command-service';
import { createCronScheduler } from './app/cron';
import { createDigestPoster } from './app/digest-poster';
import { createNagScheduler } from './app/nag-scheduler';
import { createNagSweeper } from './app/nag-sweeper';
import { chineseHolidayData } from './app/holidays';
import { seedDemoTeam } from './app/demo-seed';
import { createLogger, scrubText } from './app/logger';
import { createSandboxGateway } from './chat/sandbox/gateway';
import { runSandbox } from './chat/sandbox/sandbox';
import { createOutboxClient, startSlack } from './chat/slack/app';
import { createSlackGateway } from './chat/slack/gateway';
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
  const db = database.db;
  const cron = createCronScheduler(logger);

  // Reminders go out through the same chat as everything else: the terminal, or Slack's Web API.
  const gateway = config.slack
    ? createSlackGateway(createOutboxClient(config.slack.botToken, config.slackApiUrl, logger))
    : createSandboxGateway((text) => process.stdout.write(text), config.exportDir);
  const sweeper = createNagSweeper({ db, gateway, clock: systemClock, logger });
  const nags = createNagScheduler({ db, sweeper, clock: systemClock, logger, cron, sweepCron: config.sweepCron });
  const digests = createDigestPoster({ db, gateway, clock: systemClock, logger });
  registerSchedules(cron, { db, clock: systemClock, logger, digests });
  // A digest whose moment passed while the bot was down goes out now, marked late.
  const catchUp = () => digests.postDue().catch((error: unknown) => logger.error({ err: error }, 'digest catch-up failed'));

  const service = createCommandService({
    db,
    clock: systemClock,
    logger,
    holidays: chineseHolidayData(),
    defaultLang: config.defaultLang,
    bootstrapAdmins: new Set(config.bootstrapAdmins),
    onDeadlinesChanged: () => nags.wake(),
  });

  // Other replicas' new deadlines wake this one's timer too (on PGlite there is only this process).
  const stopListening = config.database.kind === 'postgres' ? await listenForWakeups(config.database.url, () => nags.wake(), logger) : async () => {};

  const shutdown = async (stopChat: () => Promise<void>) => {
    await stopChat();
    await stopListening();
    await nags.stop();
    await cron.stop();
    await database.close();
  };

  if (!config.slack) {
    await seedDemoTeam(db, config.defaultLang);
    await nags.start();
    await catchUp();
    await runSandbox({ service, gateway, input: process.stdin, output: process.stdout, user: config.sandboxUser, defaultLang: config.defaultLang });
    await shutdown(async () => {});
    return;
  }

  const slack = await startSlack({ config, slack: config.slack, service, logger });
  await nags.start();
  await catchUp();
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
