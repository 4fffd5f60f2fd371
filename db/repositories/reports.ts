import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { KpiContact } from '../../src/core/kpi';
import type { Contact } from '../../src/core/model';
import type { Db } from '../database';
import { selectContacts, toContact } from './contact-rows';

/** What the digest, the KPIs and the export read, and the digest's once-a-day claim. */
export const reportRepository = Object.freeze({
  /**
   * The complaints a digest needs, for many teams in one statement: those that moved
   * (received, answered, resolved, followed up …) since `since`, and those still
   * needing someone. Two partial indexes keep it to those rows, whatever the history.
   */
  async digestComplaints(db: Db, teamIds: readonly number[], since: DateTime): Promise<Map<number, Contact[]>> {
    const byTeam = new Map<number, Contact[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return byTeam;
    const rows = await reportRepository.digestComplaintsQuery(db, teamIds, since).execute();
    for (const row of rows) byTeam.get(row.team_id)?.push(toContact(row));
    return byTeam;
  },

  /** The statement behind `digestComplaints` (the benchmark reads its plan). */
  digestComplaintsQuery(db: Db, teamIds: readonly number[], since: DateTime) {
    const complaintIds = () =>
      db
        .selectFrom('contacts')
        .select('id')
        .where('team_id', 'in', [...teamIds])
        .where('channel', '=', 'complaint');
    // Two branches, each matching one partial index: an OR of both would read every complaint.
    // Ids first, then the few rows with their customers by primary key.
    const ids = complaintIds()
      .where('updated_at', '>=', since.toJSDate())
      .union(complaintIds().where('digest_live', '=', true));
    return selectContacts(db).where('contacts.id', 'in', ids).orderBy('contacts.id');
  },

  /** A team's (or one owner's) contacts received in [from, to), each with whether its customer came back within 7 days. */
  async kpiContacts(db: Db, teamId: number, from: DateTime, to: DateTime, ownerUserId: string | null): Promise<KpiContact[]> {
    let q = selectContacts(db)
      .select(
        sql<boolean>`exists (
          select 1 from contacts later
          where later.customer_id = contacts.customer_id and later.id <> contacts.id
            and later.received_at > contacts.received_at and later.received_at <= contacts.received_at + interval '7 days'
        )`.as('contacted_again'),
      )
      .where('contacts.team_id', '=', teamId)
      .where('contacts.received_at', '>=', from.toJSDate())
      .where('contacts.received_at', '<', to.toJSDate());
    if (ownerUserId) q = q.where('contacts.owner_user_id', '=', ownerUserId);
    const rows = await q.orderBy('contacts.received_at').execute();
    return rows.map((row) => ({ contact: toContact(row), contactedAgain: Boolean(row.contacted_again) }));
  },

  /** A team's contacts received in [from, to), oldest first, for the CSV export. */
  async contactsReceived(db: Db, teamId: number, from: DateTime, to: DateTime): Promise<Contact[]> {
    const rows = await selectContacts(db)
      .where('contacts.team_id', '=', teamId)
      .where('contacts.received_at', '>=', from.toJSDate())
      .where('contacts.received_at', '<', to.toJSDate())
      .orderBy('contacts.received_at')
      .orderBy('contacts.id')
      .execute();
    return rows.map(toContact);
  },

  /**
   * Claims a team's digest of a local date: true for exactly one caller across replicas,
   * unless that caller's lease ran out before it posted (it crashed), when the next may take it.
   */
  async claimDigest(db: Db, teamId: number, day: string, dueAt: DateTime, now: DateTime, leaseMs: number): Promise<boolean> {
    const until = new Date(now.toMillis() + leaseMs);
    const row = await db
      .insertInto('team_digests')
      .values({ team_id: teamId, day, due_at: dueAt.toJSDate(), status: 'claimed', claimed_until: until })
      .onConflict((oc) => oc.columns(['team_id', 'day']).doUpdateSet({ claimed_until: until }).where('team_digests.status', '=', 'claimed').where('team_digests.claimed_until', '<', now.toJSDate()))
      .returning('day')
      .executeTakeFirst();
    return row !== undefined;
  },

  async markDigestPosted(db: Db, teamId: number, day: string, at: DateTime, late: boolean): Promise<void> {
    await db.updateTable('team_digests').set({ status: 'posted', posted_at: at.toJSDate(), late, claimed_until: null }).where('team_id', '=', teamId).where('day', '=', day).execute();
  },

  /** Marks a day's digest as not to be posted (its moment passed before the time was set). */
  async skipDigest(db: Db, teamId: number, day: string, dueAt: DateTime): Promise<void> {
    await db
      .insertInto('team_digests')
      .values({ team_id: teamId, day, due_at: dueAt.toJSDate(), status: 'skipped' })
      .onConflict((oc) => oc.columns(['team_id', 'day']).doNothing())
      .execute();
  },

  /** Undoes a skip: the day's moment was moved to later on that day. */
  async unskipDigest(db: Db, teamId: number, day: string): Promise<void> {
    await db.deleteFrom('team_digests').where('team_id', '=', teamId).where('day', '=', day).where('status', '=', 'skipped').execute();
  },

  /** Holds a digest whose post failed (the chat API was down) until `retryAt`, when any replica may take it again. */
  async retryDigestAt(db: Db, teamId: number, day: string, retryAt: DateTime): Promise<void> {
    await db.updateTable('team_digests').set({ claimed_until: retryAt.toJSDate() }).where('team_id', '=', teamId).where('day', '=', day).where('status', '=', 'claimed').execute();
  },

  /** `team:day` of the digests among `days` already posted, skipped, or held under a live claim at `now`. */
  async digestDaysTaken(db: Db, teamIds: readonly number[], days: readonly string[], now: DateTime): Promise<Set<string>> {
    if (teamIds.length === 0 || days.length === 0) return new Set();
    const rows = await db
      .selectFrom('team_digests')
      .select(['team_id', 'day', 'status', 'claimed_until'])
      .where('team_id', 'in', [...teamIds])
      .where('day', 'in', [...days])
      .execute();
    const live = (until: Date | null) => until !== null && until.getTime() >= now.toMillis();
    return new Set(rows.filter((r) => r.status !== 'claimed' || live(r.claimed_until)).map((r) => `${r.team_id}:${r.day}`));
  },

  /** Records that a supervisor read a digest; the first reading counts. */
  async acknowledge(db: Db, teamId: number, day: string, userId: string, at: DateTime): Promise<Date> {
    await db
      .insertInto('digest_acks')
      .values({ team_id: teamId, day, user_id: userId, at: at.toJSDate() })
      .onConflict((oc) => oc.columns(['team_id', 'day', 'user_id']).doNothing())
      .execute();
    const row = await db.selectFrom('digest_acks').select('at').where('team_id', '=', teamId).where('day', '=', day).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return row.at;
  },

  async acknowledgements(db: Db, teamId: number, day: string): Promise<Array<{ userId: string; at: Date }>> {
    const rows = await db.selectFrom('digest_acks').select(['user_id', 'at']).where('team_id', '=', teamId).where('day', '=', day).orderBy('at').execute();
    return rows.map((r) => ({ userId: r.user_id, at: r.at }));
  },

  /** Claims a team's weekly summary of an ISO week: true for exactly one caller, unless its lease ran out before it posted. */
  async claimWeekly(db: Db, teamId: number, week: string, now: DateTime, leaseMs: number): Promise<boolean> {
    const until = new Date(now.toMillis() + leaseMs);
    const row = await db
      .insertInto('team_weeklies')
      .values({ team_id: teamId, week, status: 'claimed', claimed_until: until })
      .onConflict((oc) => oc.columns(['team_id', 'week']).doUpdateSet({ claimed_until: until }).where('team_weeklies.status', '=', 'claimed').where('team_weeklies.claimed_until', '<', now.toJSDate()))
      .returning('week')
      .executeTakeFirst();
    return row !== undefined;
  },

  async markWeeklyPosted(db: Db, teamId: number, week: string, at: DateTime): Promise<void> {
    await db.updateTable('team_weeklies').set({ status: 'posted', posted_at: at.toJSDate(), claimed_until: null }).where('team_id', '=', teamId).where('week', '=', week).execute();
  },

  /** Holds a summary whose post failed until `retryAt`, when any replica may take it again. */
  async retryWeeklyAt(db: Db, teamId: number, week: string, retryAt: DateTime): Promise<void> {
    await db.updateTable('team_weeklies').set({ claimed_until: retryAt.toJSDate() }).where('team_id', '=', teamId).where('week', '=', week).where('status', '=', 'claimed').execute();
  },

  /** Complaints followed up (回访) in a period, whenever they came in. */
  async followedUpBetween(db: Db, teamId: number, from: DateTime, to: DateTime): Promise<Contact[]> {
    const rows = await selectContacts(db).where('contacts.team_id', '=', teamId).where('contacts.followed_up_at', '>=', from.toJSDate()).where('contacts.followed_up_at', '<', to.toJSDate()).execute();
    return rows.map(toContact);
  },

  /** Several teams' complaints received in [from, to), oldest first: the digest chart's 14 days (the digest itself reads 7). */
  async complaintsReceivedByTeam(db: Db, teamIds: readonly number[], from: DateTime, to: DateTime): Promise<Map<number, Contact[]>> {
    const byTeam = new Map<number, Contact[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return byTeam;
    const rows = await selectContacts(db)
      .where('contacts.team_id', 'in', [...teamIds])
      .where('contacts.channel', '=', 'complaint')
      .where('contacts.received_at', '>=', from.toJSDate())
      .where('contacts.received_at', '<', to.toJSDate())
      .orderBy('contacts.received_at')
      .orderBy('contacts.id')
      .execute();
    for (const row of rows) byTeam.get(row.team_id)?.push(toContact(row));
    return byTeam;
  },
});
