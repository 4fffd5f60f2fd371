import type { DigestPoster } from '../src/app/reports/digest-poster';

/**
 * Every minute: each team whose local digest moment has come gets its digest, each
 * in its own zone; on start-up the same pass catches up on one missed while down.
 */
export const DAILY_DIGEST_CRON = '0 * * * * *';

export async function postDailyDigests(poster: DigestPoster): Promise<void> {
  await poster.postDue();
}
