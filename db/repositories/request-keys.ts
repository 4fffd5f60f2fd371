import type { DateTime } from 'luxon';
import type { Db } from '../database';

/**
 * Keys of requests already handled (Slack event ids, trigger ids, client message
 * ids, view ids). Kept in the database so a retry that lands on another replica
 * is recognised too. They are claimed in the same statement as the write they
 * guard (contactRepository.logWithCustomer); the contact keeps its key as well.
 */
export const requestKeyRepository = Object.freeze({
  /** Forgets keys older than `before`; Slack stops retrying after minutes, so a day is plenty. */
  async purgeOlderThan(db: Db, before: DateTime): Promise<number> {
    const result = await db.deleteFrom('request_keys').where('created_at', '<', before.toJSDate()).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
