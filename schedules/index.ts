import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import type { Scheduler } from '../src/app/cron';
import type { Logger } from '../src/app/logger';
import type { Clock } from '../src/core/clock';
import { purgeRequestKeys } from './purge-request-keys';

/** Registers every recurring job; the sandbox and production run the same ones. */
export function registerSchedules(scheduler: Scheduler, deps: { db: Kysely<Database>; clock: Clock; logger: Logger }): void {
  scheduler.every('17 * * * *', 'purge-request-keys', async () => {
    await purgeRequestKeys(deps);
  });
}
