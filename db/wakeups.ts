import pg from 'pg';

/** The PostgreSQL notification channel on which a new deadline wakes every replica's reminder scheduler. */
export const NAG_WAKEUP_CHANNEL = 'cs_nag_wakeup';

/**
 * Listens on a connection of its own for wake-ups sent by other replicas; reconnects
 * after a lost connection (the cron sweep covers the gap). Resolves with a stop function.
 */
/** What the listener says when it loses its connection: any logger of the process will do (storage imports no app code). */
export interface WarningLog {
  warn(fields: object, message: string): void;
}

export async function listenForWakeups(url: string, onWake: () => void, logger: WarningLog, schema?: string): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  let backoffMs = 1000;
  let recovering = false;

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    let lost = false;
    // Once per connection, however it ends (an error, the server going away): the next try after a backoff.
    const reconnect = (why: string, error?: unknown) => {
      if (lost || stopped) return;
      lost = true;
      recovering = true;
      if (client === next) client = null;
      logger.warn({ code: (error as { code?: string } | undefined)?.code, err: error instanceof Error ? error.message : undefined }, `wake-up listener ${why}; reconnecting`);
      void next.end().catch(() => {});
      const wait = backoffMs;
      backoffMs = Math.min(backoffMs * 2, 30_000);
      retry = setTimeout(() => void connect(), wait);
    };
    next.on('notification', (message) => {
      if (message.channel === NAG_WAKEUP_CHANNEL) onWake();
    });
    next.on('error', (error) => reconnect('lost its connection', error));
    next.on('end', () => reconnect('connection ended'));
    try {
      await next.connect();
      await next.query(`listen ${NAG_WAKEUP_CHANNEL}`);
      client = next;
      backoffMs = 1000;
      // Back after a gap: anything written meanwhile needs a look now.
      if (recovering) onWake();
      recovering = false;
    } catch (error) {
      reconnect('could not connect', error);
    }
  }

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
