import pg from 'pg';
import type { Logger } from '../src/app/logger';

/** The PostgreSQL notification channel on which a new deadline wakes every replica's reminder scheduler. */
export const NAG_WAKEUP_CHANNEL = 'cs_nag_wakeup';

/**
 * Listens on a connection of its own for wake-ups sent by other replicas; reconnects
 * after a lost connection (the cron sweep covers the gap). Resolves with a stop function.
 */
export async function listenForWakeups(url: string, onWake: () => void, logger: Logger, schema?: string): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(delayMs: number): Promise<void> {
    const next = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    next.on('notification', (message) => {
      if (message.channel === NAG_WAKEUP_CHANNEL) onWake();
    });
    next.on('error', (error) => {
      logger.warn({ err: error }, 'wake-up listener lost its connection; reconnecting');
      void next.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(Math.min(delayMs * 2, 60_000)), delayMs);
    });
    try {
      await next.connect();
      await next.query(`listen ${NAG_WAKEUP_CHANNEL}`);
      client = next;
    } catch (error) {
      logger.warn({ err: error }, 'wake-up listener could not connect; retrying');
      await next.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(Math.min(delayMs * 2, 60_000)), delayMs);
    }
  }

  await connect(1000);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
