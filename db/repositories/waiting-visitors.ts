import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { Db } from '../database';

/** A walk-in waiting for a free consultant, as the front desk typed them in. */
export interface WaitingVisitor {
  readonly id: number;
  /** Their number in the team's day: W1, W2 … */
  readonly number: number;
  readonly arrivedAt: Date;
  readonly customerName: string;
  readonly phone: string | null;
  readonly note: string;
  readonly loggedBy: string;
  readonly ownerUserId: string | null;
  /** The visit contact written when they were received; null while waiting (or gone). */
  readonly contactId: number | null;
  readonly leftAt: Date | null;
}

type Row = {
  id: number;
  number: number;
  arrived_at: Date | string;
  customer_name: string;
  phone: string | null;
  note: string;
  logged_by: string;
  owner_user_id: string | null;
  contact_id: number | null;
  left_at: Date | string | null;
};

const toVisitor = (r: Row): WaitingVisitor => ({
  id: r.id,
  number: r.number,
  arrivedAt: new Date(r.arrived_at),
  customerName: r.customer_name,
  phone: r.phone,
  note: r.note,
  loggedBy: r.logged_by,
  ownerUserId: r.owner_user_id,
  contactId: r.contact_id,
  leftAt: r.left_at === null ? null : new Date(r.left_at),
});

const COLUMNS = ['id', 'number', 'arrived_at', 'customer_name', 'phone', 'note', 'logged_by', 'owner_user_id', 'contact_id', 'left_at'] as const;

/**
 * The day's waiting visitors (候客). Written under the rotation's lock (see
 * rotationRepository.lock), which is what makes the day's numbers unique in turn.
 */
export const waitingVisitorRepository = Object.freeze({
  /**
   * Adds a waiting visitor with the next number of the team's day, claiming the request's key
   * in the same statement as a contact's logging does; null when the key was taken (a retry).
   */
  async add(
    db: Db,
    v: { teamId: number; day: string; arrivedAt: DateTime; customerName: string; phone: string | null; note: string; loggedBy: string; ownerUserId: string | null; requestKey: string | null },
  ): Promise<WaitingVisitor | null> {
    const claim = v.requestKey
      ? sql`insert into request_keys (key, created_at) values (${v.requestKey}, ${v.arrivedAt.toJSDate()}) on conflict (key) do nothing returning key`
      : sql`select 'unkeyed' as key`;
    const result = await sql<Row>`
      with claim as (${claim})
      insert into waiting_visitors (team_id, day, number, arrived_at, customer_name, phone, note, logged_by, owner_user_id, request_key)
      select ${v.teamId}, ${v.day},
             (select coalesce(max(number), 0) + 1 from waiting_visitors where team_id = ${v.teamId} and day = ${v.day}),
             ${v.arrivedAt.toJSDate()}, ${v.customerName}, ${v.phone}, ${v.note}, ${v.loggedBy}, ${v.ownerUserId}, ${v.requestKey}
      from claim
      on conflict (request_key) do nothing
      returning id, number, arrived_at, customer_name, phone, note, logged_by, owner_user_id, contact_id, left_at`.execute(db);
    const row = result.rows[0];
    return row ? toVisitor(row) : null;
  },

  /** The teams on a platform with someone still waiting who came since `since` (a day's visitors, whatever the team's zone). */
  async teamsWithWaiting(db: Db, platform: string, since: Date): Promise<number[]> {
    const rows = await db
      .selectFrom('waiting_visitors')
      .innerJoin('teams', 'teams.id', 'waiting_visitors.team_id')
      .select('waiting_visitors.team_id')
      .distinct()
      .where('teams.platform', '=', platform)
      .where('waiting_visitors.contact_id', 'is', null)
      .where('waiting_visitors.left_at', 'is', null)
      .where('waiting_visitors.arrived_at', '>=', since)
      .execute();
    return rows.map((r) => r.team_id);
  },

  /** The team's day's waiting visitors by number (all of them: waiting, received or gone). */
  async ofDay(db: Db, teamId: number, day: string): Promise<Map<number, WaitingVisitor>> {
    const rows = await db.selectFrom('waiting_visitors').select(COLUMNS).where('team_id', '=', teamId).where('day', '=', day).orderBy('number').execute();
    return new Map(rows.map((r) => [r.number, toVisitor(r)]));
  },

  async findByRequestKey(db: Db, key: string): Promise<WaitingVisitor | null> {
    const row = await db.selectFrom('waiting_visitors').select(COLUMNS).where('request_key', '=', key).executeTakeFirst();
    return row ? toVisitor(row) : null;
  },

  /** Those who came in a period and left while waiting, never received: for the visitor log. */
  async leftBetween(db: Db, teamId: number, from: Date, to: Date): Promise<WaitingVisitor[]> {
    const rows = await db
      .selectFrom('waiting_visitors')
      .select(COLUMNS)
      .where('team_id', '=', teamId)
      .where('left_at', 'is not', null)
      .where('arrived_at', '>=', from)
      .where('arrived_at', '<', to)
      .orderBy('arrived_at')
      .orderBy('id')
      .execute();
    return rows.map(toVisitor);
  },

  /** Received: the visit contact written for them. */
  async received(db: Db, id: number, contactId: number): Promise<void> {
    await db.updateTable('waiting_visitors').set({ contact_id: contactId }).where('id', '=', id).execute();
  },

  /** Gone without being received. */
  async left(db: Db, id: number, at: DateTime): Promise<void> {
    await db.updateTable('waiting_visitors').set({ left_at: at.toJSDate() }).where('id', '=', id).execute();
  },
});
