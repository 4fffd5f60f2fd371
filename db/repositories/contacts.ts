import type { DateTime } from 'luxon';
import { sql } from 'kysely';
import { NOBODY } from '../../src/core/actors';
import { CALLER_PLACEHOLDERS } from '../../src/core/calls';
import type { ComplaintCategory, ComplaintLevel } from '../../src/core/complaints';
import type { Contact, ContactEvent, ContactEventKind, ContactStatus, Customer, Platform } from '../../src/core/model';
import { selectContacts, toContact, toDateTime } from './contact-rows';
import type { Db } from '../database';
import { NAG_WAKEUP_CHANNEL } from '../wakeups';

/** A contact to log together with its customer, found or created in the same statement. */
export type ContactToLog = Pick<Contact, 'teamId' | 'loggedBy' | 'channel' | 'receivedAt' | 'loggedAt' | 'note' | 'firstResponseDueAt' | 'resolutionDueAt' | 'firstRespondedAt' | 'status'> & {
  /** The team's platform, carried by its reminders (each process sends its own platform's). */
  readonly platform: Platform;
  readonly level: ComplaintLevel | null;
  readonly category: ComplaintCategory | null;
  readonly customerName: string;
  readonly phone: string | null;
  /** The platform id of the request, so a retry logs nothing and finds this contact again. */
  readonly requestKey: string | null;
  readonly eventAfter: object;
  /** Who owns the customer when it is new (a walk-in's consultant); the logger by default. */
  readonly ownerForNew?: string;
  /** Reminders to write with it, so a contact never exists without its nags. */
  readonly nags?: ReadonlyArray<{ readonly clock: string; readonly step: string; readonly fireAt: DateTime }>;
  /** Set for a contact closed as it is logged (a missed call with no number to call back). */
  readonly resolvedAt?: DateTime;
};

export interface ContactChange {
  readonly ownerUserId?: string;
  readonly note?: string;
  readonly firstRespondedAt?: DateTime;
  readonly resolvedAt?: DateTime;
  readonly status?: ContactStatus;
  readonly firstResponseDueAt?: DateTime | null;
  readonly resolutionDueAt?: DateTime | null;
  readonly level?: ComplaintLevel;
  readonly category?: ComplaintCategory;
  readonly department?: string | null;
  readonly confirmedAt?: DateTime;
  readonly plan?: string;
  readonly planDueAt?: DateTime | null;
  readonly planApprovedBy?: string | null;
  readonly planApprovedAt?: DateTime | null;
  readonly followupDueAt?: DateTime | null;
  readonly followedUpAt?: DateTime;
  readonly satisfaction?: number;
  readonly rootCauseNotedAt?: DateTime;
  /** When the change happened: every change marks the contact as moved, for the digest. */
  readonly at: DateTime;
}

/** Customer contacts and their audit trail. */
export const contactRepository = Object.freeze({
  /**
   * Logs a contact in one statement, so it is all or nothing and costs one round
   * trip: claim the request key (when given), find or create the customer (by phone:
   * an upsert, so the number's first owner keeps it, unless nobody had it yet (a missed call
   * nobody was found for): then the new owner takes it, and a caller known only as 来电客户
   * takes the first name given; without one: the logger's own
   * customer of that name), insert the contact and its 'logged' event. The contact
   * belongs to the customer's owner. Null when the request key was already claimed.
   */
  async logWithCustomer(db: Db, c: ContactToLog): Promise<{ id: number; customer: Customer } | null> {
    const claim = c.requestKey
      ? sql`insert into request_keys (key, created_at) values (${c.requestKey}, ${c.loggedAt.toJSDate()}) on conflict (key) do nothing returning key`
      : sql`select 'unkeyed' as key`;
    const customer = c.phone
      ? sql`
        cust as (
          insert into customers (team_id, name, phone, owner_user_id)
          select ${c.teamId}, ${c.customerName}, ${c.phone}, ${c.ownerForNew ?? c.loggedBy} from claim
          on conflict (team_id, phone) where phone is not null do update set phone = excluded.phone,
            owner_user_id = case when customers.owner_user_id = ${NOBODY} then excluded.owner_user_id else customers.owner_user_id end,
            name = case when customers.name = any(${CALLER_PLACEHOLDERS}::text[]) then excluded.name else customers.name end
          returning id, name, phone, owner_user_id
        )`
      : sql`
        own as (
          select id, name, phone, owner_user_id from customers
          where team_id = ${c.teamId} and name = ${c.customerName} and owner_user_id = ${c.ownerForNew ?? c.loggedBy}
          order by id limit 1
        ),
        created as (
          insert into customers (team_id, name, phone, owner_user_id)
          select ${c.teamId}, ${c.customerName}, null, ${c.ownerForNew ?? c.loggedBy} from claim where not exists (select 1 from own)
          returning id, name, phone, owner_user_id
        ),
        cust as (select * from own where exists (select 1 from claim) union all select * from created)`;
    const result = await sql<{ id: number; customer_id: number; name: string; phone: string | null; owner_user_id: string }>`
      with claim as (${claim}),
      ${customer},
      contact as (
        insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at, note,
                              first_response_due_at, resolution_due_at, first_responded_at, resolved_at, status, request_key,
                              level, category, confirmed_at, updated_at)
        select ${c.teamId}, cust.id, cust.owner_user_id, ${c.loggedBy}, ${c.channel}, ${c.receivedAt.toJSDate()}, ${c.loggedAt.toJSDate()},
               ${c.note}, ${c.firstResponseDueAt?.toJSDate() ?? null}, ${c.resolutionDueAt?.toJSDate() ?? null},
               ${c.firstRespondedAt?.toJSDate() ?? null}, ${c.resolvedAt?.toJSDate() ?? null}, ${c.status},
               ${c.requestKey ?? null}, ${c.level}, ${c.category},
               ${c.level && c.category ? c.loggedAt.toJSDate() : null}, ${c.loggedAt.toJSDate()}
        from cust
        -- A key whose gate was already purged is still caught by the contact's own copy.
        on conflict (request_key) do nothing
        returning id, customer_id
      ),
      logged as (
        insert into contact_events (contact_id, team_id, actor_user_id, kind, at, after)
        select contact.id, ${c.teamId}, ${c.loggedBy}, 'logged', ${c.loggedAt.toJSDate()}, cast(${JSON.stringify(c.eventAfter)} as jsonb)
        from contact
      ),
      planned as (
        insert into nags (platform, team_id, contact_id, clock, step, fire_at)
        select ${c.platform}, ${c.teamId}, contact.id, n.clock, n.step, n.fire_at
        from contact cross join jsonb_to_recordset(cast(${JSON.stringify((c.nags ?? []).map((n) => ({ clock: n.clock, step: n.step, fire_at: n.fireAt.toUTC().toISO() })))} as jsonb))
          as n(clock text, step text, fire_at timestamptz)
      )
      -- Wakes the reminder schedulers of every replica when this commits (see db/wakeups.ts).
      select contact.id, cust.id as customer_id, cust.name, cust.phone, cust.owner_user_id, pg_notify(${NAG_WAKEUP_CHANNEL}, '') as woken
      from contact join cust on cust.id = contact.customer_id`.execute(db);
    const row = result.rows[0];
    if (!row) return null;
    return { id: row.id, customer: { id: row.customer_id, teamId: c.teamId, name: row.name, phone: row.phone, ownerUserId: row.owner_user_id } };
  },

  async findByIds(db: Db, ids: readonly number[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    const rows = await selectContacts(db)
      .where('contacts.id', 'in', [...ids])
      .execute();
    return rows.map(toContact);
  },

  async findByRequestKey(db: Db, key: string): Promise<Contact | null> {
    const row = await selectContacts(db).where('contacts.request_key', '=', key).executeTakeFirst();
    return row ? toContact(row) : null;
  },

  async findById(db: Db, id: number): Promise<Contact | null> {
    const row = await selectContacts(db).where('contacts.id', '=', id).executeTakeFirst();
    return row ? toContact(row) : null;
  },

  /** Reads a contact and locks its row for the rest of the transaction. */
  async findByIdForUpdate(db: Db, id: number): Promise<Contact | null> {
    const row = await selectContacts(db).where('contacts.id', '=', id).forUpdate('contacts').executeTakeFirst();
    return row ? toContact(row) : null;
  },

  async update(db: Db, id: number, change: ContactChange): Promise<void> {
    const date = (d: DateTime | null | undefined) => (d ? d.toJSDate() : null);
    const set = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
    await db
      .updateTable('contacts')
      .set({
        updated_at: change.at.toJSDate(),
        ...set('owner_user_id', change.ownerUserId),
        ...set('note', change.note),
        ...set('first_responded_at', change.firstRespondedAt && date(change.firstRespondedAt)),
        ...set('resolved_at', change.resolvedAt && date(change.resolvedAt)),
        ...set('status', change.status),
        ...set('first_response_due_at', change.firstResponseDueAt === undefined ? undefined : date(change.firstResponseDueAt)),
        ...set('resolution_due_at', change.resolutionDueAt === undefined ? undefined : date(change.resolutionDueAt)),
        ...set('level', change.level),
        ...set('category', change.category),
        ...set('department', change.department),
        ...set('confirmed_at', change.confirmedAt && date(change.confirmedAt)),
        ...set('plan', change.plan),
        ...set('plan_due_at', change.planDueAt === undefined ? undefined : date(change.planDueAt)),
        ...set('plan_approved_by', change.planApprovedBy),
        ...set('plan_approved_at', change.planApprovedAt === undefined ? undefined : date(change.planApprovedAt)),
        ...set('followup_due_at', change.followupDueAt === undefined ? undefined : date(change.followupDueAt)),
        ...set('followed_up_at', change.followedUpAt && date(change.followedUpAt)),
        ...set('satisfaction', change.satisfaction),
        ...set('root_cause_noted_at', change.rootCauseNotedAt && date(change.rootCauseNotedAt)),
      })
      .where('id', '=', id)
      .execute();
  },

  /** An owner's contacts not yet resolved, soonest first-response deadline first; then resolved complaints owing a follow-up. */
  /** Open work of one owner, or of several (someone and the colleagues they cover for). */
  async openForOwner(db: Db, teamId: number, owner: string | readonly string[], limit = 50): Promise<Contact[]> {
    const owners = typeof owner === 'string' ? [owner] : [...owner];
    const open = await selectContacts(db)
      .where('contacts.team_id', '=', teamId)
      .where('contacts.owner_user_id', 'in', owners)
      .where('contacts.status', 'in', ['open', 'responded'])
      .orderBy('contacts.first_response_due_at', (ob) => ob.asc().nullsLast())
      .orderBy('contacts.received_at')
      .limit(limit)
      .execute();
    const followups = await selectContacts(db)
      .where('contacts.team_id', '=', teamId)
      .where('contacts.owner_user_id', 'in', owners)
      .where('contacts.status', '=', 'resolved')
      .where('contacts.followup_due_at', 'is not', null)
      .orderBy('contacts.followup_due_at')
      .limit(Math.max(0, limit - open.length))
      .execute();
    return [...open, ...followups].map(toContact);
  },

  /** Unresolved contacts of a team (or of one owner) with a deadline before `until`, and complaints owing a follow-up by then; soonest first. */
  async openDueBefore(db: Db, teamId: number, owners: readonly string[] | null, until: DateTime, limit = 100): Promise<Contact[]> {
    const at = until.toJSDate();
    let q = selectContacts(db)
      .where('contacts.team_id', '=', teamId)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('contacts.status', 'in', ['open', 'responded']),
            eb.or([eb.and([eb('contacts.first_responded_at', 'is', null), eb('contacts.first_response_due_at', '<=', at)]), eb('contacts.resolution_due_at', '<=', at)]),
          ]),
          // A resolved complaint still owes its follow-up call.
          eb.and([eb('contacts.status', '=', 'resolved'), eb('contacts.followup_due_at', '<=', at)]),
        ]),
      );
    if (owners) q = q.where('contacts.owner_user_id', 'in', owners.length ? [...owners] : ['']);
    const rows = await q
      .orderBy(
        sql`case when contacts.status = 'resolved' then contacts.followup_due_at
                 else least(case when contacts.first_responded_at is null then contacts.first_response_due_at end, contacts.resolution_due_at) end`,
      )
      .limit(limit)
      .execute();
    return rows.map(toContact);
  },

  async forCustomer(db: Db, customerId: number, limit = 20): Promise<Contact[]> {
    const rows = await selectContacts(db).where('contacts.customer_id', '=', customerId).orderBy('contacts.received_at', 'desc').limit(limit).execute();
    return rows.map(toContact);
  },

  async countForCustomer(db: Db, customerId: number): Promise<number> {
    const row = await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async addEvent(db: Db, e: { contactId: number; teamId: number; actorUserId: string; kind: ContactEventKind; at: DateTime; before?: object | null; after?: object | null }): Promise<void> {
    await db
      .insertInto('contact_events')
      .values({
        contact_id: e.contactId,
        team_id: e.teamId,
        actor_user_id: e.actorUserId,
        kind: e.kind,
        at: e.at.toJSDate(),
        before: e.before ? JSON.stringify(e.before) : null,
        after: e.after ? JSON.stringify(e.after) : null,
      })
      .execute();
  },

  async events(db: Db, contactId: number): Promise<ContactEvent[]> {
    const rows = await db.selectFrom('contact_events').selectAll().where('contact_id', '=', contactId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({
      contactId: r.contact_id,
      actorUserId: r.actor_user_id,
      kind: r.kind as ContactEventKind,
      at: toDateTime(r.at),
      before: (r.before as Record<string, unknown> | null) ?? null,
      after: (r.after as Record<string, unknown> | null) ?? null,
    }));
  },
});
