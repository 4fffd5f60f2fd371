import { sql } from 'kysely';
import type { RotationEvent, VisitKind } from '../../src/core/rotation';
import type { Db } from '../database';

/** A rotation event as stored: the team's local day it belongs to, who recorded it and why. */
export type StoredRotationEvent = RotationEvent & { readonly id: number };

/** The sales office's day: its rotation events, kept so the order can be rebuilt and audited. */
export const rotationRepository = Object.freeze({
  /**
   * Locks the team's rotation for the rest of the transaction: two visits typed at the same
   * moment (from two people, on two replicas) are assigned one after the other, never both to
   * the same consultant. NO KEY UPDATE does not hold up contacts being written for the team.
   */
  async lock(db: Db, teamId: number): Promise<void> {
    await sql`select id from teams where id = ${teamId} for no key update`.execute(db);
  },

  async day(db: Db, teamId: number, day: string): Promise<StoredRotationEvent[]> {
    const rows = await db
      .selectFrom('rotation_events as r')
      // A waiting visitor's consultant (an existing customer's), as found when they came in.
      .leftJoin('waiting_visitors as w', (join) => join.onRef('w.team_id', '=', 'r.team_id').onRef('w.day', '=', 'r.day').onRef('w.number', '=', 'r.waiting_no'))
      .selectAll('r')
      .select('w.owner_user_id as waiting_owner')
      .where('r.team_id', '=', teamId)
      .where('r.day', '=', day)
      .orderBy('r.at')
      .orderBy('r.id')
      .execute();
    return rows.map((r): StoredRotationEvent => {
      const base = { id: r.id, user: r.user_id, at: new Date(r.at).getTime() };
      switch (r.kind) {
        case 'away':
          return { ...base, kind: 'away', until: new Date(r.until!).getTime() };
        case 'visit':
          return { ...base, kind: 'visit', visit: r.visit_id!, how: r.how as VisitKind, ...(r.waiting_no !== null ? { waiting: r.waiting_no } : {}) };
        case 'wait':
          return { ...base, kind: 'wait', waiting: r.waiting_no!, owner: r.waiting_owner ?? null };
        case 'left':
          return { ...base, kind: 'left', waiting: r.waiting_no! };
        case 'done':
          return { ...base, kind: 'done', visit: r.visit_id! };
        case 'forfeit':
          return { ...base, kind: 'forfeit', ...(r.by_user ? { by: r.by_user } : {}), ...(r.reason ? { reason: r.reason } : {}) };
        case 'move':
          return { ...base, kind: 'move', place: r.place!, by: r.by_user ?? '', reason: r.reason ?? '' };
        default:
          return { ...base, kind: r.kind as 'checkin' | 'checkout' | 'back' };
      }
    });
  },

  /** Records events of a team's day (in the order given). */
  async add(db: Db, teamId: number, day: string, events: readonly RotationEvent[]): Promise<void> {
    if (events.length === 0) return;
    await db
      .insertInto('rotation_events')
      .values(
        events.map((e) => ({
          team_id: teamId,
          day,
          kind: e.kind,
          user_id: e.user,
          at: new Date(e.at),
          visit_id: 'visit' in e ? e.visit : null,
          how: e.kind === 'visit' ? e.how : null,
          until: e.kind === 'away' ? new Date(e.until) : null,
          place: e.kind === 'move' ? e.place : null,
          by_user: 'by' in e && e.by ? e.by : null,
          reason: 'reason' in e && e.reason ? e.reason : null,
          waiting_no: 'waiting' in e && e.waiting !== undefined ? e.waiting : null,
        })),
      )
      .execute();
  },

  /** The visits of a period (the visitor log, the weekly summary): who received whom, how, and when it ended. */
  async visits(db: Db, teamId: number, from: Date, to: Date): Promise<Array<{ visitId: number; user: string; how: VisitKind; at: Date; doneAt: Date | null }>> {
    const rows = await sql<{ visit_id: number; user_id: string; how: string; at: Date; done_at: Date | null }>`
      select v.visit_id, v.user_id, v.how, v.at,
             (select min(d.at) from rotation_events d where d.team_id = v.team_id and d.kind = 'done' and d.visit_id = v.visit_id) as done_at
      from rotation_events v
      where v.team_id = ${teamId} and v.kind = 'visit' and v.at >= ${from} and v.at < ${to}
      order by v.at, v.id`.execute(db);
    return rows.rows.map((r) => ({ visitId: r.visit_id, user: r.user_id, how: r.how as VisitKind, at: new Date(r.at), doneAt: r.done_at ? new Date(r.done_at) : null }));
  },

  /** Forfeits of a period, per person. */
  async forfeits(db: Db, teamId: number, from: Date, to: Date): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('rotation_events')
      .select(['user_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('team_id', '=', teamId)
      .where('kind', '=', 'forfeit')
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
  },
});
