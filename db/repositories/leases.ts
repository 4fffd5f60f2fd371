import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { Db } from '../database';

/**
 * Leases on what only one process may hold at a time (WeCom's one connection per bot),
 * and the per-person send counts a platform caps.
 */
export const leaseRepository = Object.freeze({
  /**
   * Takes the lease `name` for `holder` until `until`, or extends it when `holder` has it:
   * true when `holder` holds it now. Another's lease is taken only once it has run out.
   */
  async acquire(db: Db, name: string, holder: string, now: DateTime, until: DateTime): Promise<boolean> {
    const rows = await sql<{ holder: string }>`
      insert into platform_leases (name, holder, held_until) values (${name}, ${holder}, ${until.toJSDate()})
      on conflict (name) do update set holder = excluded.holder, held_until = excluded.held_until
        where platform_leases.holder = excluded.holder or platform_leases.held_until < ${now.toJSDate()}
      returning holder`.execute(db);
    return rows.rows.length === 1;
  },

  /** Gives the lease up at once (a clean stop), if `holder` has it. */
  async release(db: Db, name: string, holder: string): Promise<void> {
    await db.deleteFrom('platform_leases').where('name', '=', name).where('holder', '=', holder).execute();
  },

  /** When each of `recipient`'s messages on `platform` in the hour before `now` went out (epoch ms, oldest first). */
  async recentSends(db: Db, platform: string, recipient: string, now: DateTime): Promise<number[]> {
    const rows = await db
      .selectFrom('recipient_sends')
      .select('sent_at')
      .where('platform', '=', platform)
      .where('recipient', '=', recipient)
      .where('sent_at', '>', now.minus({ hours: 1 }).toJSDate())
      .orderBy('sent_at')
      .execute();
    return rows.map((r) => new Date(r.sent_at).getTime());
  },

  /** Notes a message sent to `recipient`; forgets their sends older than an hour. */
  async noteSend(db: Db, platform: string, recipient: string, at: DateTime): Promise<void> {
    await db.insertInto('recipient_sends').values({ platform, recipient, sent_at: at.toJSDate() }).execute();
    await db.deleteFrom('recipient_sends').where('platform', '=', platform).where('recipient', '=', recipient).where('sent_at', '<', at.minus({ hours: 1 }).toJSDate()).execute();
  },
});
