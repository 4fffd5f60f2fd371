import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { ClockKind } from '../../src/core/policy';
import type { NagStep } from '../../src/core/nag-plan';
import type { Platform, Team } from '../../src/core/model';
import type { Db } from '../database';
import { NAG_WAKEUP_CHANNEL } from '../wakeups';

/** A nag claimed for sending, with what its message needs. */
export interface ClaimedNag {
  readonly id: number;
  readonly teamId: number;
  readonly contactId: number;
  readonly clock: ClockKind;
  readonly step: NagStep;
  readonly fireAt: Date;
  readonly attempts: number;
  /** Recipients it has already reached (a retry after a partial failure). */
  readonly deliveredTo: readonly string[];
}

/** The most nags one claim takes: a backlog after a long outage goes out in several claims, each a bounded statement. */
export const MAX_NAGS_PER_CLAIM = 5_000;

/** `= any($1)`: one parameter however many ids (an IN list has one each, and PostgreSQL takes at most 65,535). */
const anyOf = (ids: readonly number[]) => sql<number>`any(${[...ids]}::int[])`;

/** The reminder outbox: written with the contact, claimed by one replica at a time, marked sent after delivery. */
export const nagRepository = Object.freeze({
  /**
   * Claims nags due by `now`: pending ones, and ones whose claim lease ran out (a
   * replica died between claim and send). A replica claims whole teams, up to
   * `teamLimit` of them: the teams with something due are locked (SKIP LOCKED, so
   * replicas never wait for or double each other), then their due nags taken: whole teams
   * up to `claim.maxNags` nags (always at least one team; a backlog after a long outage is
   * taken in several claims), so each member hears from one replica, in one message, per
   * pass. The claim carries the
   * token `claim.by`: only its holder may renew it or record what became of it.
   */
  async claimDue(db: Db, platform: Platform, now: DateTime, leaseMs: number, teamLimit = 200, claim: { by?: string; maxNags?: number } = {}): Promise<ClaimedNag[]> {
    const at = now.toJSDate();
    const until = new Date(now.toMillis() + leaseMs);
    const result = await sql<{ id: number; team_id: number; contact_id: number; clock: string; step: string; fire_at: Date; attempts: number }>`
      with due_teams as (
        select team_id, count(*) as n from nags
        where platform = ${platform} and status = 'pending' and coalesce(next_attempt_at, fire_at) <= ${at}
          and (claimed_until is null or claimed_until < ${at})
        group by team_id
      ),
      locked as (
        -- NO KEY UPDATE: it does not wait on (or hold up) contacts being written for the team.
        select id from teams where id in (select team_id from due_teams)
        order by id limit ${teamLimit}
        for no key update skip locked
      ),
      -- Whole teams, as many as fit under the cap (always the first): a person's reminders are
      -- never split across claims, so each hears once per pass however large the backlog.
      chosen as (
        select id from (
          select locked.id, due_teams.n, sum(due_teams.n) over (order by locked.id) as running
          from locked join due_teams on due_teams.team_id = locked.id
        ) t
        where running - n < ${claim.maxNags ?? MAX_NAGS_PER_CLAIM}
      ),
      due as (
        select id from nags
        where team_id in (select id from chosen)
          and platform = ${platform} and status = 'pending' and coalesce(next_attempt_at, fire_at) <= ${at}
          and (claimed_until is null or claimed_until < ${at})
        for update skip locked
      )
      update nags set claimed_until = ${until}, claimed_by = ${claim.by ?? null}, attempts = nags.attempts + 1
      from due where nags.id = due.id
      returning nags.id, nags.team_id, nags.contact_id, nags.clock, nags.step, nags.fire_at, nags.attempts`.execute(db);
    if (result.rows.length === 0) return [];
    const delivered = await db
      .selectFrom('nag_deliveries')
      .select(['nag_id', 'recipient'])
      .where('nag_id', '=', anyOf(result.rows.map((r) => r.id)))
      .execute();
    const deliveredTo = new Map<number, string[]>();
    for (const d of delivered) deliveredTo.set(d.nag_id, [...(deliveredTo.get(d.nag_id) ?? []), d.recipient]);
    return result.rows.map((r) => ({
      id: r.id,
      teamId: r.team_id,
      contactId: r.contact_id,
      clock: r.clock as ClockKind,
      step: r.step as NagStep,
      fireAt: r.fire_at,
      attempts: r.attempts,
      deliveredTo: deliveredTo.get(r.id) ?? [],
    }));
  },

  /**
   * Extends a claim on nags its holder is still working on, so no one takes them over
   * meanwhile. Returns the ids still held: one missing was lost (the lease ran out and
   * another replica took it) and must not be sent by this holder.
   */
  async renewClaims(db: Db, nagIds: readonly number[], until: DateTime, by: string): Promise<Set<number>> {
    if (nagIds.length === 0) return new Set();
    const rows = await db
      .updateTable('nags')
      .set({ claimed_until: until.toJSDate() })
      .where('id', '=', anyOf(nagIds))
      .where('status', '=', 'pending')
      .where('claimed_by', '=', by)
      .returning('id')
      .execute();
    return new Set(rows.map((r) => r.id));
  },

  /** Records that nags reached a recipient (one message for several nags). */
  async markDelivered(db: Db, nagIds: readonly number[], recipient: string, at: DateTime): Promise<void> {
    if (nagIds.length === 0) return;
    await db
      .insertInto('nag_deliveries')
      .values(nagIds.map((id) => ({ nag_id: id, recipient, sent_at: at.toJSDate() })))
      .onConflict((oc) => oc.columns(['nag_id', 'recipient']).doNothing())
      .execute();
  },

  /** Marks nags sent; with `by`, only those the claim `by` still holds. */
  async markSent(db: Db, nagIds: readonly number[], at: DateTime, by?: string): Promise<void> {
    if (nagIds.length === 0) return;
    await db
      .updateTable('nags')
      .set({ status: 'sent', sent_at: at.toJSDate(), claimed_until: null, claimed_by: null, last_error: null })
      .where('id', '=', anyOf(nagIds))
      .$if(by !== undefined, (q) => q.where('claimed_by', '=', by!))
      .execute();
  },

  /** Gives claimed nags back for another try at `retryAt` (a chat outage, a rate limit); with `by`, only those it still holds. */
  async retryLater(db: Db, nagIds: readonly number[], retryAt: DateTime, error: string, by?: string): Promise<void> {
    if (nagIds.length === 0) return;
    await db
      .updateTable('nags')
      .set({ status: 'pending', next_attempt_at: retryAt.toJSDate(), claimed_until: null, claimed_by: null, last_error: error.slice(0, 500) })
      .where('id', '=', anyOf(nagIds))
      .$if(by !== undefined, (q) => q.where('claimed_by', '=', by!))
      .execute();
  },

  async cancel(db: Db, nagIds: readonly number[], by?: string): Promise<void> {
    if (nagIds.length === 0) return;
    await db
      .updateTable('nags')
      .set({ status: 'cancelled', claimed_until: null, claimed_by: null })
      .where('id', '=', anyOf(nagIds))
      .$if(by !== undefined, (q) => q.where('claimed_by', '=', by!))
      .execute();
  },

  /**
   * Re-arms a clock's due-soon reminder for `fireAt` (a snooze): pending again,
   * and its past deliveries forgotten so the owner hears it once more.
   */
  async snooze(db: Db, team: Pick<Team, 'id' | 'platform'>, contactId: number, clock: ClockKind, fireAt: DateTime): Promise<void> {
    const row = await db
      .insertInto('nags')
      .values({ platform: team.platform, team_id: team.id, contact_id: contactId, clock, step: 'due_soon', fire_at: fireAt.toJSDate() })
      .onConflict((oc) =>
        oc.constraint('nags_contact_clock_step_unique').doUpdateSet({
          status: 'pending',
          fire_at: fireAt.toJSDate(),
          next_attempt_at: null,
          claimed_until: null,
          claimed_by: null,
          sent_at: null,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('nag_deliveries').where('nag_id', '=', row.id).execute();
  },

  /**
   * Writes a clock's reminders again after its deadline moved (a complaint's level
   * changed) or it started (the follow-up clock): steps still to come are set to
   * their new moments; a step already sent is not sent again; steps the new plan
   * leaves out are cancelled. Wakes every replica's scheduler on commit.
   */
  async replan(
    db: Db,
    team: Pick<Team, 'id' | 'platform'>,
    contactId: number,
    clocks: readonly ClockKind[],
    nags: ReadonlyArray<{ clock: ClockKind; step: NagStep; fireAt: DateTime }>,
  ): Promise<void> {
    if (clocks.length === 0) return;
    await nagRepository.cancelForClock(db, contactId, clocks);
    if (nags.length > 0) {
      await db
        .insertInto('nags')
        .values(nags.map((n) => ({ platform: team.platform, team_id: team.id, contact_id: contactId, clock: n.clock, step: n.step, fire_at: n.fireAt.toJSDate() })))
        .onConflict((oc) =>
          oc
            .constraint('nags_contact_clock_step_unique')
            .doUpdateSet((eb) => ({ status: 'pending', fire_at: eb.ref('excluded.fire_at'), next_attempt_at: null, claimed_until: null, claimed_by: null }))
            .where('nags.status', '<>', 'sent'),
        )
        .execute();
    }
    await sql`select pg_notify(${NAG_WAKEUP_CHANNEL}, '')`.execute(db);
  },

  /** Stops a clock's reminders once it is met (a reply, a resolution). */
  async cancelForClock(db: Db, contactId: number, clocks: readonly ClockKind[]): Promise<void> {
    await db
      .updateTable('nags')
      .set({ status: 'cancelled' })
      .where('contact_id', '=', contactId)
      .where('clock', 'in', [...clocks])
      .where('status', '=', 'pending')
      .execute();
  },

  /** Whether any nag is due by `now` and free to claim (the idle sweep's cheap first look). */
  async anyDue(db: Db, platform: Platform, now: DateTime): Promise<boolean> {
    const at = now.toJSDate();
    const row = await sql<{ one: number }>`
      select 1 as one from nags
      where platform = ${platform} and status = 'pending' and coalesce(next_attempt_at, fire_at) <= ${at}
        and (claimed_until is null or claimed_until < ${at})
      -- The order makes it walk the partial index from the earliest; without it the
      -- planner may scan every pending row hoping to meet a due one early.
      order by coalesce(next_attempt_at, fire_at)
      limit 1`.execute(db);
    return row.rows.length > 0;
  },

  /** How many reminders are due and unsent, and how long the oldest has waited (for the operator's metrics). */
  async outboxReading(db: Db, platform: Platform, now: DateTime): Promise<{ due: number; oldestDueSeconds: number }> {
    const at = now.toJSDate();
    const row = await sql<{ due: string | number; oldest: Date | null }>`
      select count(*) as due, min(fire_at) as oldest from nags
      where platform = ${platform} and status = 'pending' and coalesce(next_attempt_at, fire_at) <= ${at}`.execute(db);
    const r = row.rows[0];
    return { due: Number(r?.due ?? 0), oldestDueSeconds: r?.oldest ? Math.max(0, (at.getTime() - new Date(r.oldest).getTime()) / 1000) : 0 };
  },

  /**
   * When the earliest pending nag is due, for the precise timer (it may be in the
   * past while another replica holds it); null when nothing waits.
   */
  async nextDueAt(db: Db, platform: Platform): Promise<Date | null> {
    const row = await sql<{ at: Date | null }>`
      select min(coalesce(next_attempt_at, fire_at)) as at from nags where platform = ${platform} and status = 'pending'`.execute(db);
    return row.rows[0]?.at ?? null;
  },
});
