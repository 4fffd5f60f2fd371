import type { DateTime } from 'luxon';
import type { Db } from '../database';

/**
 * Keys of requests already handled (Slack event ids, trigger ids, client message
 * ids, view ids). Kept in the database so a retry that lands on another replica
 * is recognised too; claimed in the same statement or transaction as the write it guards.
 */
export const requestKeyRepository = Object.freeze({
  /** Claims a key; false when another request already holds it. */
  async claim(db: Db, key: string, at: DateTime): Promise<boolean> {
    const row = await db
      .insertInto('request_keys')
      .values({ key, created_at: at.toJSDate() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Forgets keys older than `before`; Slack stops retrying after minutes, so a day is plenty. */
  async purgeOlderThan(db: Db, before: DateTime): Promise<number> {
    const result = await db.deleteFrom('request_keys').where('created_at', '<', before.toJSDate()).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
