import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { Db } from '../database';

/**
 * Keys of requests already handled (Slack event ids, trigger ids, client message
 * ids, view ids). Kept in the database so a retry that lands on another replica
 * is recognised too. They are claimed in the same statement as the write they
 * guard (contactRepository.logWithCustomer); the contact keeps its key as well.
 */
export const requestKeyRepository = Object.freeze({
  /**
   * Takes an inbound message for handling: true when this caller should handle it.
   * False when it was handled already, or is being handled (by another replica, or a
   * re-push of it arrived meanwhile). A holder that died leaves its hold to run out,
   * after which a re-pushed copy is handled.
   */
  async hold(db: Db, key: string, now: DateTime, holdMs: number): Promise<boolean> {
    const until = new Date(now.toMillis() + holdMs);
    const result = await sql<{ key: string }>`
      insert into request_keys (key, created_at, held_until) values (${key}, ${now.toJSDate()}, ${until})
      on conflict (key) do update set held_until = excluded.held_until
        where request_keys.held_until is not null and request_keys.held_until < ${now.toJSDate()}
      returning key`.execute(db);
    return result.rows.length === 1;
  },

  /** Extends the hold of a message still being handled (a slow handler is not taken over meanwhile). */
  async renewHold(db: Db, key: string, now: DateTime, holdMs: number): Promise<void> {
    await db
      .updateTable('request_keys')
      .set({ held_until: new Date(now.toMillis() + holdMs) })
      .where('key', '=', key)
      .where('held_until', 'is not', null)
      .execute();
  },

  /** Whether a message was handled for good (not merely held). */
  async isHandled(db: Db, key: string): Promise<boolean> {
    const row = await db.selectFrom('request_keys').select('held_until').where('key', '=', key).executeTakeFirst();
    return row !== undefined && row.held_until === null;
  },

  /** Marks a held message handled for good. */
  async handled(db: Db, key: string): Promise<void> {
    await db.updateTable('request_keys').set({ held_until: null }).where('key', '=', key).execute();
  },

  /** Forgets keys older than `before`; Slack stops retrying after minutes, so a day is plenty. */
  async purgeOlderThan(db: Db, before: DateTime): Promise<number> {
    const result = await db.deleteFrom('request_keys').where('created_at', '<', before.toJSDate()).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
