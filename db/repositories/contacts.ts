import { DateTime } from 'luxon';
import type { ContactChannel } from '../../src/core/channels';
import type { Contact, ContactEvent, ContactEventKind, ContactStatus } from '../../src/core/model';
import type { Db } from '../database';

const toDateTime = (d: Date): DateTime => DateTime.fromJSDate(d, { zone: 'utc' });
const toOptionalDateTime = (d: Date | null): DateTime | null => (d ? toDateTime(d) : null);

const contactColumns = [
  'contacts.id',
  'contacts.team_id',
  'contacts.owner_user_id',
  'contacts.logged_by',
  'contacts.channel',
  'contacts.received_at',
  'contacts.logged_at',
  'contacts.note',
  'contacts.first_response_due_at',
  'contacts.first_responded_at',
  'contacts.resolved_at',
  'contacts.status',
  'customers.id as customer_id',
  'customers.name as customer_name',
  'customers.phone as customer_phone',
  'customers.owner_user_id as customer_owner',
] as const;

function selectContacts(db: Db) {
  return db.selectFrom('contacts').innerJoin('customers', 'customers.id', 'contacts.customer_id').select(contactColumns);
}

type ContactJoinRow = Awaited<ReturnType<ReturnType<typeof selectContacts>['executeTakeFirstOrThrow']>>;

const toContact = (row: ContactJoinRow): Contact => ({
  id: row.id,
  teamId: row.team_id,
  customer: { id: row.customer_id, teamId: row.team_id, name: row.customer_name, phone: row.customer_phone, ownerUserId: row.customer_owner },
  ownerUserId: row.owner_user_id,
  loggedBy: row.logged_by,
  channel: row.channel as ContactChannel,
  receivedAt: toDateTime(row.received_at),
  loggedAt: toDateTime(row.logged_at),
  note: row.note,
  firstResponseDueAt: toOptionalDateTime(row.first_response_due_at),
  firstRespondedAt: toOptionalDateTime(row.first_responded_at),
  resolvedAt: toOptionalDateTime(row.resolved_at),
  status: row.status as ContactStatus,
});

export interface NewContact {
  readonly teamId: number;
  readonly customerId: number;
  readonly ownerUserId: string;
  readonly loggedBy: string;
  readonly channel: ContactChannel;
  readonly receivedAt: DateTime;
  readonly loggedAt: DateTime;
  readonly note: string;
  readonly firstResponseDueAt: DateTime | null;
  readonly firstRespondedAt: DateTime | null;
  readonly status: ContactStatus;
}

export interface ContactChange {
  readonly firstRespondedAt?: DateTime;
  readonly resolvedAt?: DateTime;
  readonly status?: ContactStatus;
}

/** Customer contacts and their audit trail. */
export const contactRepository = Object.freeze({
  async insert(db: Db, c: NewContact): Promise<number> {
    const row = await db
      .insertInto('contacts')
      .values({
        team_id: c.teamId,
        customer_id: c.customerId,
        owner_user_id: c.ownerUserId,
        logged_by: c.loggedBy,
        channel: c.channel,
        received_at: c.receivedAt.toJSDate(),
        logged_at: c.loggedAt.toJSDate(),
        note: c.note,
        first_response_due_at: c.firstResponseDueAt?.toJSDate() ?? null,
        first_responded_at: c.firstRespondedAt?.toJSDate() ?? null,
        status: c.status,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
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
    await db
      .updateTable('contacts')
      .set({
        ...(change.firstRespondedAt ? { first_responded_at: change.firstRespondedAt.toJSDate() } : {}),
        ...(change.resolvedAt ? { resolved_at: change.resolvedAt.toJSDate() } : {}),
        ...(change.status ? { status: change.status } : {}),
      })
      .where('id', '=', id)
      .execute();
  },

  /** An owner's contacts not yet resolved, soonest first-response deadline first. */
  async openForOwner(db: Db, teamId: number, ownerUserId: string, limit = 50): Promise<Contact[]> {
    const rows = await selectContacts(db)
      .where('contacts.team_id', '=', teamId)
      .where('contacts.owner_user_id', '=', ownerUserId)
      .where('contacts.status', '<>', 'resolved')
      .orderBy('contacts.first_response_due_at', (ob) => ob.asc().nullsLast())
      .orderBy('contacts.received_at')
      .limit(limit)
      .execute();
    return rows.map(toContact);
  },

  async forCustomer(db: Db, customerId: number, limit = 20): Promise<Contact[]> {
    const rows = await selectContacts(db)
      .where('contacts.customer_id', '=', customerId)
      .orderBy('contacts.received_at', 'desc')
      .limit(limit)
      .execute();
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

  async addEvent(
    db: Db,
    e: { contactId: number; teamId: number; actorUserId: string; kind: ContactEventKind; at: DateTime; before?: object | null; after?: object | null },
  ): Promise<void> {
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
    const rows = await db
      .selectFrom('contact_events')
      .selectAll()
      .where('contact_id', '=', contactId)
      .orderBy('at')
      .orderBy('id')
      .execute();
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
