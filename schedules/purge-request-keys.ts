import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import { chatCardRepository } from '../db/repositories/chat-cards';
import { requestKeyRepository } from '../db/repositories/request-keys';
import type { Logger } from '../src/runtime/logger';
import type { Clock } from '../src/core/time/clock';

/** Slack gives up retrying within minutes; a day of request keys is plenty to spot a duplicate. */
export const REQUEST_KEY_RETENTION_HOURS = 24;

/** Forgets request keys older than the retention, so the dedupe table stays small. */
export async function purgeRequestKeys(deps: { db: Kysely<Database>; clock: Clock; logger: Logger }): Promise<number> {
  const removed = await requestKeyRepository.purgeOlderThan(deps.db, deps.clock.now().minus({ hours: REQUEST_KEY_RETENTION_HOURS }));
  if (removed) deps.logger.info({ removed }, 'old request keys purged');
  return removed;
}

/** A group card is clicked within days; after a month its buttons do nothing more and it is forgotten. */
const CARD_RETENTION_DAYS = 30;

/** Forgets the group cards sent before the retention. */
export async function purgeOldCards(deps: { db: Kysely<Database>; clock: Clock; logger: Logger }): Promise<number> {
  const removed = await chatCardRepository.purgeOlderThan(deps.db, deps.clock.now().minus({ days: CARD_RETENTION_DAYS }).toJSDate());
  if (removed) deps.logger.info({ removed }, 'old group cards purged');
  return removed;
}
