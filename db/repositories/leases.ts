import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { Db } from '../database';

/** Leases on what only one process may hold at a time (WeCom's one connection per bot). */
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
});
