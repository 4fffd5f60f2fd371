import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a command ended, for the operator. */
export type CommandResult = 'ok' | 'user_error' | 'database_unavailable' | 'internal_error';
/** What became of a reminder in a pass. */
export type ReminderResult = 'sent' | 'retried' | 'cancelled' | 'undeliverable';

/** What the bot counts for its operators; every recorder is cheap and never throws. */
export interface Metrics {
  command(kind: string, result: CommandResult, seconds: number): void;
  reminder(platform: string, step: string, result: ReminderResult, count?: number): void;
  /** From a reminder's moment to its delivery. */
  reminderLag(platform: string, step: string, seconds: number): void;
  digestPosted(platform: string, late: boolean): void;
  databaseUnavailable(): void;
  rateLimitPause(platform: string, scope: string): void;
  /** The platform closed the chat connection for another one (WeCom's kick). */
  chatKicked(platform: string): void;
  /** Something outside this bot's replicas keeps taking the chat connection (1), or no longer (0). */
  chatContested(platform: string, contested: boolean): void;
  /** A callback from the platform the bot could not read (acknowledged, so it does not come back), by kind. */
  malformedCallback(platform: string, kind: string): void;
  /** One event posted to the intake: `cti` or `events`, its type (newCall, contact.received), and what came of it. */
  intakeEvent(protocol: string, type: string, outcome: string): void;
  /** From a missed call's hangup reaching the bot to its owner's DM being sent. */
  missedCallDm(seconds: number): void;
}

/** Counts nothing: tests and tools that have no operator. */
export const NO_METRICS: Metrics = {
  command: () => {},
  reminder: () => {},
  reminderLag: () => {},
  digestPosted: () => {},
  databaseUnavailable: () => {},
  rateLimitPause: () => {},
  chatKicked: () => {},
  chatContested: () => {},
  malformedCallback: () => {},
  intakeEvent: () => {},
  missedCallDm: () => {},
};

/** The outbox as a scrape sees it, read from the database when scraped. */
export interface OutboxReading {
  /** Reminders due and not yet sent. */
  readonly due: number;
  /** How long the oldest of them has been due, in seconds (0 when none). */
  readonly oldestDueSeconds: number;
}

/**
 * Prometheus metrics with prom-client: commands by kind and result and their duration,
 * reminders by step, platform and result, the lag from a reminder's moment to its
 * delivery, the outbox's depth and oldest due age (read at each scrape), digests posted,
 * database outages seen, rate-limit pauses, intake events and the lag from a missed call to its
 * DM; and the process's own (memory, CPU, event loop).
 */
export function createMetrics(readOutbox: () => Promise<OutboxReading>): { metrics: Metrics; registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'csbot_' });
  const commands = new Counter({ name: 'csbot_commands_total', help: 'Commands handled, by kind and result.', labelNames: ['kind', 'result'], registers: [registry] });
  const duration = new Histogram({
    name: 'csbot_command_duration_seconds',
    help: 'Time to handle a command, from its text to its answer.',
    labelNames: ['kind'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const reminders = new Counter({ name: 'csbot_reminders_total', help: 'Reminders by platform, step and result.', labelNames: ['platform', 'step', 'result'], registers: [registry] });
  const lag = new Histogram({
    name: 'csbot_reminder_lag_seconds',
    help: "From a reminder's moment to its delivery.",
    labelNames: ['platform', 'step'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const digests = new Counter({ name: 'csbot_digests_posted_total', help: 'Daily digests posted, late or on time.', labelNames: ['platform', 'late'], registers: [registry] });
  const dbDown = new Counter({ name: 'csbot_database_unavailable_total', help: 'Times a command or a pass found the database unavailable.', registers: [registry] });
  const pauses = new Counter({ name: 'csbot_rate_limit_pauses_total', help: 'Waits a platform imposed (429, flow control), by scope.', labelNames: ['platform', 'scope'], registers: [registry] });
  const kicks = new Counter({ name: 'csbot_chat_kicks_total', help: 'Times the platform closed the chat connection for another one (WeCom).', labelNames: ['platform'], registers: [registry] });
  const contested = new Gauge({
    name: 'csbot_chat_contested',
    help: "1 while something outside this bot's replicas keeps taking its chat connection (another deployment with the same bot id).",
    labelNames: ['platform'],
    registers: [registry],
  });
  const malformed = new Counter({
    name: 'csbot_malformed_callbacks_total',
    help: 'Callbacks from the platform that could not be read (acknowledged so they do not come back), by kind.',
    labelNames: ['platform', 'kind'],
    registers: [registry],
  });
  const intake = new Counter({
    name: 'csbot_intake_events_total',
    help: 'Events posted to the intake, by protocol (cti, events), type and outcome.',
    labelNames: ['protocol', 'type', 'outcome'],
    registers: [registry],
  });
  const missedDm = new Histogram({
    name: 'csbot_intake_missed_call_dm_seconds',
    help: "From a missed call's hangup reaching the bot to the DM to whoever calls back.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  let reading: Promise<OutboxReading> | null = null;
  // Both gauges come from one read per scrape.
  // The database away (an outage) must not fail the whole scrape: the gauges read NaN meanwhile.
  const outbox = () =>
    (reading ??= readOutbox()
      .catch((): OutboxReading => ({ due: Number.NaN, oldestDueSeconds: Number.NaN }))
      .finally(() => setTimeout(() => (reading = null), 0)));
  new Gauge({
    name: 'csbot_outbox_due',
    help: 'Reminders due and not yet sent.',
    registers: [registry],
    async collect() {
      this.set((await outbox()).due);
    },
  });
  new Gauge({
    name: 'csbot_outbox_oldest_due_seconds',
    help: 'How long the oldest unsent due reminder has been due.',
    registers: [registry],
    async collect() {
      this.set((await outbox()).oldestDueSeconds);
    },
  });
  const safe = (record: () => void) => {
    try {
      record();
    } catch {
      // A metric must never break the work it counts.
    }
  };
  return {
    registry,
    metrics: {
      command: (kind, result, seconds) =>
        safe(() => {
          commands.inc({ kind, result });
          duration.observe({ kind }, seconds);
        }),
      reminder: (platform, step, result, count = 1) => safe(() => reminders.inc({ platform, step, result }, count)),
      reminderLag: (platform, step, seconds) => safe(() => lag.observe({ platform, step }, Math.max(0, seconds))),
      digestPosted: (platform, late) => safe(() => digests.inc({ platform, late: String(late) })),
      databaseUnavailable: () => safe(() => dbDown.inc()),
      rateLimitPause: (platform, scope) => safe(() => pauses.inc({ platform, scope })),
      chatKicked: (platform) => safe(() => kicks.inc({ platform })),
      chatContested: (platform, on) => safe(() => contested.set({ platform }, on ? 1 : 0)),
      malformedCallback: (platform, kind) => safe(() => malformed.inc({ platform, kind })),
      intakeEvent: (protocol, type, outcome) => safe(() => intake.inc({ protocol, type, outcome })),
      missedCallDm: (seconds) => safe(() => missedDm.observe(Math.max(0, seconds))),
    },
  };
}
