import { hostname } from 'node:os';
import { sql } from 'kysely';
import { nagRepository } from '../db/repositories/nags';
import { registerSchedules } from '../schedules';
import { createCommandService, type CommandService } from './app/commands/command-service';
import { createCronScheduler, type Scheduler } from './runtime/cron';
import { createDigestPoster, type DigestPoster } from './app/reports/digest-poster';
import { createWeeklyPoster, type WeeklyPoster } from './app/front-desk/weekly';
import { chineseHolidayData, withHolidayNotice } from './app/team/holidays';
import type { Logger } from './runtime/logger';
import { NO_METRICS, type Metrics } from './runtime/metrics';
import { createNagScheduler, type NagScheduler } from './app/reminders/nag-scheduler';
import { createNagSweeper } from './app/reminders/nag-sweeper';
import { createLogForm } from './chat/conversation/log-form';
import { maskingGateway, type ChatGateway } from './chat/gateway';
import { createPacer } from './chat/pacer';
import type { Config } from './config';
import type { HolidayData } from './core/time/calendar';
import { loadPlatform } from './platforms';
import type { PlatformSettings, RunningPlatform } from './platforms/platform';

export interface BotDeps extends PlatformSettings {
  /** The recurring jobs' timer; node-cron unless a test drives them. */
  readonly scheduler?: Scheduler;
}

/** A running bot: its parts a test or the process may drive, and how to stop it. */
export interface Bot {
  readonly service: CommandService;
  readonly gateway: ChatGateway;
  readonly nags: NagScheduler;
  readonly digests: DigestPoster;
  readonly weekly: WeeklyPoster;
  /** Resolves when the terminal's input has ended; null on a chat platform, which runs until stopped. */
  readonly finished: Promise<void> | null;
  /** The port Slack's HTTP mode listens on; null otherwise. */
  readonly httpPort: number | null;
  /** The port of /healthz, /readyz and /metrics; null when off (and in the sandbox). */
  readonly opsPort: number | null;
  /** The intake server's port (calls, signed events); null when off. */
  readonly intakePort: number | null;
  /** Stops taking messages, lets work under way finish, stops the jobs. The database stays open. */
  stop(): Promise<void>;
}

/** China's statutory holidays from chinese-days, and the years the operator's notice file gives laid over them. */
function holidayData(config: Config, logger: Logger): HolidayData {
  const base = chineseHolidayData();
  const notice = config.holidayNotice;
  if (!notice) return base;
  logger.info({ years: notice.years, holidays: notice.holidays.length, workdays: notice.workdays.length }, 'holiday notice loaded');
  const known = notice.years.filter((year) => base.covers(year));
  if (known.length > 0) logger.warn({ years: known }, 'the holiday notice gives years chinese-days knows too: the notice is used for them');
  return withHolidayNotice(base, notice);
}

/** Wires the bot for the configured platform: core services → chat adapter → schedules; starts it. */
export async function startBot(deps: BotDeps): Promise<Bot> {
  const { config, db, clock, logger } = deps;
  const cron = deps.scheduler ?? createCronScheduler(logger);
  const platform = config.platform.kind;
  // The configured platform's module (only its code is loaded).
  const configured = await loadPlatform(config.platform);
  // The operator's counters, on every platform but the terminal.
  const observed = configured.observed && config.metricsPort !== null ? (await import('./runtime/metrics')).createMetrics(() => nagRepository.outboxReading(db, platform, clock.now())) : null;
  const metrics: Metrics = observed?.metrics ?? NO_METRICS;

  // Reminders and digests go out through the same chat as everything else, paced by what it last said.
  // When the chat becomes able to send (WeCom: this replica took the connection), what waited goes out.
  let chatReady = () => {};
  const chat = configured.open({ ...deps, metrics, onReady: () => chatReady() });
  // Everything sent passes the one masking step (a whole phone number only to a reader allowed it).
  const gateway = maskingGateway(chat.gateway);
  const pacer = createPacer(clock, (scope) => metrics.rateLimitPause(platform, scope));
  // One holiday table for every clock: the package's, with the operator's notice (HOLIDAYS_FILE) over it.
  const holidays = holidayData(config, logger);
  const sweeper = createNagSweeper({ platform, db, gateway, clock, logger, pacer, metrics, holidays });
  const digests = createDigestPoster({ platform, db, gateway, clock, logger, pacer, metrics });
  const weekly = createWeeklyPoster({ platform, db, gateway, clock, logger });
  // Back from a database outage: the reminders that fell due go out, and so does a digest whose moment passed.
  const catchUpDigests = () => {
    void digests.postDue().catch((error: unknown) => logger.error({ err: error }, 'digest catch-up failed'));
    void weekly.postDue().catch((error: unknown) => logger.error({ err: error }, 'weekly summary catch-up failed'));
  };
  const nags = createNagScheduler({ db, sweeper, clock, logger, cron, sweepCron: config.sweepCron, onRecovered: catchUpDigests, onOutage: () => metrics.databaseUnavailable() });
  chatReady = () => {
    nags.wake();
    catchUpDigests();
  };

  // Where the intake answers, once it listens: the addresses `/cs team intake on` gives start with it.
  let intakeBaseUrl: string | null = null;
  const serviceDeps = {
    platform,
    db,
    clock,
    logger,
    holidays,
    defaultLang: config.defaultLang,
    bootstrapAdmins: new Set(config.bootstrapAdmins),
    onDeadlinesChanged: () => nags.wake(),
    metrics,
    intakeBaseUrl: () => intakeBaseUrl,
  };
  const service = createCommandService(serviceDeps);
  // Visitors waiting when a lunch ends by the clock are received by the minute job, its notices sent like any.
  const admitWaiting = async () => {
    for (const notice of await service.admitFreedByClock()) await gateway.send(notice).catch((error: unknown) => logger.warn({ err: error }, 'front-desk notice not delivered'));
  };
  registerSchedules(cron, { db, clock, logger, digests, weekly, admitWaiting });
  // The log form as a conversation, where the platform has no modal.
  const forms = createLogForm({ db, service, clock, platform });

  // Other replicas' new deadlines wake this one's timer too (on PGlite there is only this process).
  const stopListening = config.database.kind === 'postgres' ? await (await import('../db/wakeups')).listenForWakeups(config.database.url, () => nags.wake(), logger) : async () => {};
  const stopJobs = async () => {
    await stopListening();
    await nags.stop();
    await cron.stop();
  };

  // Messages on a platform without Slack's features (DingTalk, WeCom), handled the same way on each.
  const inbound = async () => (await import('./chat/conversation/inbound')).createInboundHandler({ platform, db, service, forms, gateway, pacer, clock, logger, defaultLang: config.defaultLang });
  let running: RunningPlatform;
  let intake: { port: number; stop(): Promise<void> } | null = null;
  try {
    running = await chat.start({ service, forms, gateway, inbound });
    // Calls from a phone system and signed events from other systems, on every platform and in the sandbox.
    if (config.intake) {
      const { startIntakeServer } = await import('./app/intake/server');
      intake = await startIntakeServer({ ...serviceDeps, gateway, port: config.intake.port, host: config.intake.host });
      intakeBaseUrl = config.intake.publicUrl ?? `http://${urlHost(config.intake.host)}:${intake.port}`;
      logger.info({ port: intake.port }, 'intake listening');
    }
  } catch (error) {
    await stopJobs();
    throw error;
  }
  // The operator's endpoints, on every platform but the terminal.
  const ops =
    observed && config.metricsPort !== null
      ? await (await import('./runtime/ops-server')).startOpsServer({
          port: config.metricsPort,
          registry: observed.registry,
          logger,
          readiness: {
            database: async () => {
              await sql`select 1`.execute(db);
              return true;
            },
            chat: () => running.connected(),
          },
        })
      : null;
  await nags.start();
  // A digest whose moment passed while the bot was down goes out now, marked late.
  await digests.postDue().catch((error: unknown) => logger.error({ err: error }, 'digest catch-up failed'));
  await weekly.postDue().catch((error: unknown) => logger.error({ err: error }, 'weekly summary catch-up failed'));
  // The terminal's session begins once the jobs run.
  const finished = running.session?.() ?? null;
  return {
    service,
    gateway,
    nags,
    digests,
    weekly,
    finished,
    httpPort: running.httpPort ?? null,
    opsPort: ops?.port ?? null,
    intakePort: intake?.port ?? null,
    async stop() {
      await intake?.stop();
      await running.stop();
      await stopJobs();
      await ops?.stop();
    },
  };
}

/** A listening host as senders write it: this machine's name for all interfaces, brackets round IPv6. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return hostname();
  return host.includes(':') ? `[${host}]` : host;
}
