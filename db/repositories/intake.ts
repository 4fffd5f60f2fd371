import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import type { Team } from '../../src/core/model';
import type { Db, TeamRow } from '../database';
import { toDateTime } from './contact-rows';
import { toTeam } from './teams';

/** A team's intake source as the bot keeps it (never the address's id itself). */
export interface IntakeSource {
  readonly teamId: number;
  readonly on: boolean;
  readonly idHint: string | null;
  readonly secret: string | null;
  readonly secretCreatedAt: DateTime | null;
  readonly previousSecret: string | null;
  readonly previousValidUntil: DateTime | null;
  readonly enabledAt: DateTime | null;
  readonly enabledBy: string | null;
  readonly lastEventAt: DateTime | null;
}

/** A source that is on, with its team and the secrets a signed event may carry: the current one, and the previous one while a rotation lasts. */
export interface SourceSecrets {
  readonly teamId: number;
  readonly team: Team;
  readonly secret: string;
  readonly previousSecret: string | null;
  readonly previousValidUntil: DateTime | null;
}

const date = (d: Date | null) => (d ? toDateTime(d) : null);

/** Intake sources, the phone mapping of members, and the audit of both. */
export const intakeRepository = Object.freeze({
  async source(db: Db, teamId: number): Promise<IntakeSource | null> {
    // The last event is read from what was received rather than written on every event: a write
    // to the source's one row would make every event of the team wait for the one before.
    const row = await db
      .selectFrom('intake_sources')
      .selectAll()
      .select((eb) => [
        eb
          .selectFrom('intake_calls')
          .select((e) => e.fn.max('updated_at').as('at'))
          .where('team_id', '=', teamId)
          .as('last_call_at'),
        eb
          .selectFrom('intake_deliveries')
          .select((e) => e.fn.max('received_at').as('at'))
          .where('team_id', '=', teamId)
          .as('last_delivery_at'),
      ])
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    if (!row) return null;
    const last = [row.last_call_at, row.last_delivery_at].filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
    return {
      teamId: row.team_id,
      on: row.id_hash !== null,
      idHint: row.id_hint,
      secret: row.secret,
      secretCreatedAt: date(row.secret_created_at),
      previousSecret: row.previous_secret,
      previousValidUntil: date(row.previous_valid_until),
      enabledAt: date(row.enabled_at),
      enabledBy: row.enabled_by,
      lastEventAt: last.length ? date(new Date(Math.max(...last))) : null,
    };
  },

  /** Turns a team's source on with a new address and secret; false when it was already on (another replica, a double submission). */
  async enable(db: Db, s: { teamId: number; idHash: string; idHint: string; secret: string; by: string; at: DateTime }): Promise<boolean> {
    const at = s.at.toJSDate();
    const row = await db
      .insertInto('intake_sources')
      .values({ team_id: s.teamId, id_hash: s.idHash, id_hint: s.idHint, secret: s.secret, secret_created_at: at, enabled_at: at, enabled_by: s.by })
      .onConflict((oc) =>
        oc
          .column('team_id')
          .doUpdateSet({
            id_hash: s.idHash,
            id_hint: s.idHint,
            secret: s.secret,
            secret_created_at: at,
            previous_secret: null,
            previous_valid_until: null,
            enabled_at: at,
            enabled_by: s.by,
            disabled_at: null,
          })
          .where('intake_sources.id_hash', 'is', null),
      )
      .returning('team_id')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Turns a source off: its address and secrets are forgotten. False when it was not on. */
  async disable(db: Db, teamId: number, at: DateTime): Promise<boolean> {
    const row = await db
      .updateTable('intake_sources')
      .set({ id_hash: null, id_hint: null, secret: null, previous_secret: null, previous_valid_until: null, disabled_at: at.toJSDate() })
      .where('team_id', '=', teamId)
      .where('id_hash', 'is not', null)
      .returning('team_id')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** A new secret; the current one stays valid until `previousUntil`. False when the source is not on. */
  async rotate(db: Db, teamId: number, secret: string, at: DateTime, previousUntil: DateTime): Promise<boolean> {
    const row = await db
      .updateTable('intake_sources')
      .set((eb) => ({ previous_secret: eb.ref('secret'), previous_valid_until: previousUntil.toJSDate(), secret, secret_created_at: at.toJSDate() }))
      .where('team_id', '=', teamId)
      .where('id_hash', 'is not', null)
      .returning('team_id')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** The source an address's id (by its hash) belongs to, while on, with its team (one statement: it runs for every event). */
  async byIdHash(db: Db, idHash: string): Promise<SourceSecrets | null> {
    const { rows } = await sql<TeamRow & { secret: string | null; previous_secret: string | null; previous_valid_until: Date | null }>`
      select teams.*, s.secret, s.previous_secret, s.previous_valid_until
      from intake_sources s join teams on teams.id = s.team_id
      where s.id_hash = ${idHash}`.execute(db);
    const row = rows[0];
    if (!row || row.secret === null) return null;
    return { teamId: row.id, team: toTeam(row), secret: row.secret, previousSecret: row.previous_secret, previousValidUntil: date(row.previous_valid_until) };
  },

  /** Calls (missed among them) and signed events received since a moment. */
  async countsSince(db: Db, teamId: number, since: DateTime): Promise<{ calls: number; missed: number; events: number }> {
    const { rows } = await sql<{ calls: string; missed: string; events: string }>`
      select (select count(*) from intake_calls where team_id = ${teamId} and first_at >= ${since.toJSDate()}) as calls,
             (select count(*) from intake_calls where team_id = ${teamId} and first_at >= ${since.toJSDate()} and outcome in ('missed', 'folded', 'anonymous')) as missed,
             (select count(*) from intake_deliveries where team_id = ${teamId} and received_at >= ${since.toJSDate()}) as events`.execute(db);
    const row = rows[0]!;
    return { calls: Number(row.calls), missed: Number(row.missed), events: Number(row.events) };
  },

  /** Notes that an extension, number or PBX user name is a member; says who it was before (null: new). */
  async setPhone(db: Db, p: { teamId: number; key: string; userId: string; by: string; at: DateTime }): Promise<string | null> {
    const before = await db.selectFrom('member_phones').select('user_id').where('team_id', '=', p.teamId).where('key', '=', p.key).forUpdate().executeTakeFirst();
    await db
      .insertInto('member_phones')
      .values({ team_id: p.teamId, key: p.key, user_id: p.userId, created_by: p.by, created_at: p.at.toJSDate() })
      .onConflict((oc) => oc.columns(['team_id', 'key']).doUpdateSet({ user_id: p.userId, created_by: p.by, created_at: p.at.toJSDate() }))
      .execute();
    return before?.user_id ?? null;
  },

  /** Forgets a key; who it was, or null when it was not there. */
  async removePhone(db: Db, teamId: number, key: string): Promise<string | null> {
    const row = await db.deleteFrom('member_phones').where('team_id', '=', teamId).where('key', '=', key).returning('user_id').executeTakeFirst();
    return row?.user_id ?? null;
  },

  async phones(db: Db, teamId: number): Promise<Array<{ key: string; userId: string }>> {
    const rows = await db.selectFrom('member_phones').select(['key', 'user_id']).where('team_id', '=', teamId).orderBy('user_id').orderBy('key').execute();
    return rows.map((r) => ({ key: r.key, userId: r.user_id }));
  },

  /** The members some keys are, among the team's active members (a key is also a member's own user id). */
  async membersByKeys(db: Db, teamId: number, keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const { rows } = await sql<{ key: string; user_id: string }>`
      select p.key, p.user_id, 0 as rank from member_phones p
      join members m on m.team_id = p.team_id and m.user_id = p.user_id and m.active
      where p.team_id = ${teamId} and p.key = any(${[...keys]}::text[])
      union all
      select lower(m.user_id) as key, m.user_id, 1 as rank from members m
      where m.team_id = ${teamId} and m.active and lower(m.user_id) = any(${[...keys]}::text[])
      order by rank`.execute(db);
    const found = new Map<string, string>();
    // A noted key wins over a user id that happens to read the same.
    for (const row of rows) if (!found.has(row.key)) found.set(row.key, row.user_id);
    return found;
  },

  /** Records who changed a team's intake or phone settings. */
  async audit(db: Db, a: { teamId: number; actor: string; action: string; at: DateTime; detail?: object }): Promise<void> {
    await db
      .insertInto('team_audit')
      .values({ team_id: a.teamId, actor_user_id: a.actor, action: a.action, at: a.at.toJSDate(), detail: a.detail ? JSON.stringify(a.detail) : null })
      .execute();
  },

  async auditOf(db: Db, teamId: number): Promise<Array<{ actor: string; action: string; at: DateTime; detail: unknown }>> {
    const rows = await db.selectFrom('team_audit').selectAll().where('team_id', '=', teamId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ actor: r.actor_user_id, action: r.action, at: toDateTime(r.at), detail: r.detail }));
  },
});

/** Signed events by their webhook-id, each with the answer it got, so a retry gets the same one. */
export const intakeDeliveryRepository = Object.freeze({
  /**
   * Claims a webhook-id for this transaction: null when it is new (answer it with `answer`),
   * else the answer it got before. A copy being handled at the same moment (a second replica)
   * waits here for the first to commit, then reads its answer.
   */
  async claim(db: Db, teamId: number, webhookId: string, at: DateTime): Promise<{ status: number; body: unknown } | null> {
    const claimed = await db
      .insertInto('intake_deliveries')
      .values({ team_id: teamId, webhook_id: webhookId, received_at: at.toJSDate(), status: 0, body: '{}' })
      .onConflict((oc) => oc.columns(['team_id', 'webhook_id']).doNothing())
      .returning('webhook_id')
      .executeTakeFirst();
    if (claimed) return null;
    const row = await db.selectFrom('intake_deliveries').select(['status', 'body']).where('team_id', '=', teamId).where('webhook_id', '=', webhookId).executeTakeFirstOrThrow();
    return { status: row.status, body: row.body };
  },

  async answer(db: Db, teamId: number, webhookId: string, status: number, body: object, contactId: number | null): Promise<void> {
    await db
      .updateTable('intake_deliveries')
      .set({ status, body: JSON.stringify(body), contact_id: contactId })
      .where('team_id', '=', teamId)
      .where('webhook_id', '=', webhookId)
      .execute();
  },
});
