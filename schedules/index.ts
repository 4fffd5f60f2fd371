import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import type { Scheduler } from '../src/runtime/cron';
import type { DigestPoster } from '../src/app/reports/digest-poster';
import type { WeeklyPoster } from '../src/app/front-desk/weekly';
import type { Logger } from '../src/runtime/logger';
import type { Clock } from '../src/core/time/clock';
import { DAILY_DIGEST_CRON, postDailyDigests } from './daily-digest';
import { purgeOldCards, purgeRequestKeys } from './purge-request-keys';

/** Registers every recurring job; the sandbox and production run the same ones. */
export function registerSchedules(
  scheduler: Scheduler,
  deps: { db: Kysely<Database>; clock: Clock; logger: Logger; digests: DigestPoster; weekly?: WeeklyPoster; admitWaiting?: () => Promise<void> },
): void {
  scheduler.every('17 * * * *', 'purge-request-keys', async () => {
    await purgeRequestKeys(deps);
    await purgeOldCards(deps);
  });
  scheduler.every(DAILY_DIGEST_CRON, 'daily-digest', () => postDailyDigests(deps.digests));
  // Each team's weekly summary once its moment of the week has come (the same minute beat as the digests).
  const weekly = deps.weekly;
  if (weekly) scheduler.every(DAILY_DIGEST_CRON, 'weekly-summary', async () => void (await weekly.postDue()));
  // A visitor waiting when a consultant's lunch ends (without \`/cs back\`) is received within the minute.
  const admitWaiting = deps.admitWaiting;
  if (admitWaiting) scheduler.every('* * * * *', 'front-desk-waiting', admitWaiting);
}
