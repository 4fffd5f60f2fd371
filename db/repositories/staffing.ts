import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { Db } from '../database';

/** 代班 and 离职交接: who covers for whom, and moving a leaver's customers and contacts. */
export const staffingRepository = Object.freeze({
  /** Starts a cover (ending any other for `from`). */
  async startCover(db: Db, c: { teamId: number; from: string; to: string; until: Date | null; by: string; at: DateTime }): Promise<void> {
    await db.updateTable('covers').set({ ended_at: c.at.toJSDate() }).where('team_id', '=', c.teamId).where('from_user', '=', c.from).where('ended_at', 'is', null).execute();
    await db.insertInto('covers').values({ team_id: c.teamId, from_user: c.from, to_user: c.to, until: c.until, created_by: c.by, created_at: c.at.toJSDate() }).execute();
  },

  /** Ends `from`'s cover; false when there was none. */
  async endCover(db: Db, teamId: number, from: string, at: DateTime): Promise<boolean> {
    const result = await db.updateTable('covers').set({ ended_at: at.toJSDate() }).where('team_id', '=', teamId).where('from_user', '=', from).where('ended_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Who covers for whom at `now`, by `${teamId}:${from}`. */
  async activeCovers(db: Db, teamIds: readonly number[], now: DateTime): Promise<Map<string, string>> {
    if (teamIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('covers')
      .select(['team_id', 'from_user', 'to_user'])
      .where('team_id', '=', sql<number>`any(${[...teamIds]}::int[])`)
      .where('ended_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now.toJSDate())]))
      .orderBy('id')
      .execute();
    return new Map(rows.map((r) => [`${r.team_id}:${r.from_user}`, r.to_user]));
  },

  /** The customers `from` owns in a team, oldest first. */
  async customersOf(db: Db, teamId: number, from: string): Promise<number[]> {
    const rows = await db.selectFrom('customers').select('id').where('team_id', '=', teamId).where('owner_user_id', '=', from).orderBy('id').execute();
    return rows.map((r) => r.id);
  },

  /**
   * Moves customers to a new owner with every contact of theirs still owned by `from`
   * (open ones, complaints, follow-ups: their reminders follow the owner), each contact's
   * move audited. Returns how many open contacts moved.
   */
  async moveCustomers(db: Db, m: { teamId: number; from: string; to: string; customerIds: readonly number[]; by: string; at: DateTime }): Promise<number> {
    if (m.customerIds.length === 0) return 0;
    const ids = sql<number>`any(${[...m.customerIds]}::int[])`;
    await db.updateTable('customers').set({ owner_user_id: m.to }).where('id', '=', ids).execute();
    const moved = await sql<{ id: number; status: string }>`
      with moved as (
        update contacts set owner_user_id = ${m.to}, updated_at = ${m.at.toJSDate()}
        where team_id = ${m.teamId} and customer_id = ${ids} and owner_user_id = ${m.from}
        returning id, status
      ),
      audited as (
        insert into contact_events (contact_id, team_id, actor_user_id, kind, at, before, after)
        select id, ${m.teamId}, ${m.by}, 'reassigned', ${m.at.toJSDate()},
               jsonb_build_object('owner', ${m.from}::text), jsonb_build_object('owner', ${m.to}::text, 'handover', true)
        from moved
      )
      select id, status from moved`.execute(db);
    return moved.rows.filter((r) => r.status !== 'resolved').length;
  },

  /** Ends every cover from or to someone who left. */
  async endCoversOf(db: Db, teamId: number, user: string, at: DateTime): Promise<void> {
    await db
      .updateTable('covers')
      .set({ ended_at: at.toJSDate() })
      .where('team_id', '=', teamId)
      .where('ended_at', 'is', null)
      .where((eb) => eb.or([eb('from_user', '=', user), eb('to_user', '=', user)]))
      .execute();
  },

  /** Open contacts a member owns (whoever owns their customer). */
  async openContactsOf(db: Db, teamId: number, user: string): Promise<number[]> {
    const rows = await db.selectFrom('contacts').select('id').where('team_id', '=', teamId).where('owner_user_id', '=', user).where('status', '<>', 'resolved').orderBy('id').execute();
    return rows.map((r) => r.id);
  },

  /** Moves one contact to a new owner, audited. */
  async moveContact(db: Db, m: { teamId: number; from: string; to: string; contactId: number; by: string; at: DateTime }): Promise<void> {
    await db.updateTable('contacts').set({ owner_user_id: m.to, updated_at: m.at.toJSDate() }).where('id', '=', m.contactId).execute();
    await db
      .insertInto('contact_events')
      .values({
        contact_id: m.contactId,
        team_id: m.teamId,
        actor_user_id: m.by,
        kind: 'reassigned',
        at: m.at.toJSDate(),
        before: JSON.stringify({ owner: m.from }),
        after: JSON.stringify({ owner: m.to, handover: true }),
      })
      .execute();
  },
});
