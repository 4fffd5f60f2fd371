import { sql } from 'kysely';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import { CALL_EVENT_KINDS, CALL_OUTCOMES, type CallEvents, type CallOutcome } from '../../src/core/calls';
import type { Contact } from '../../src/core/model';
import type { Db } from '../database';
import { selectContacts, toContact } from './contact-rows';

const eventSchema = z.object({
  kind: z.enum(CALL_EVENT_KINDS),
  at: z.number(),
  direction: z.enum(['in', 'out']).nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  users: z.array(z.string()),
  answeringNumber: z.string().nullable(),
  cause: z.string().nullable(),
  queue: z.string().nullable(),
});
const eventsSchema = z.partialRecord(z.enum(CALL_EVENT_KINDS), eventSchema);

/** A call as kept: its events so far and what was made of them. */
export interface StoredCall {
  readonly events: CallEvents;
  readonly outcome: CallOutcome | null;
  readonly contactId: number | null;
}

const outcomeOf = (value: string | null): CallOutcome | null => ((CALL_OUTCOMES as readonly string[]).includes(value ?? '') ? (value as CallOutcome) : null);

/** Calls the phone system told of, each row locked while one of its events is applied. */
export const intakeCallRepository = Object.freeze({
  /**
   * The call's row, made when its first event comes, and locked for the rest of the
   * transaction: its events apply one at a time, whichever replica receives them.
   */
  async lock(db: Db, teamId: number, callKey: string, at: DateTime): Promise<StoredCall> {
    const { rows } = await sql<{ events: unknown; outcome: string | null; contact_id: number | null }>`
      insert into intake_calls (team_id, call_key, first_at, updated_at) values (${teamId}, ${callKey}, ${at.toJSDate()}, ${at.toJSDate()})
      on conflict (team_id, call_key) do update set updated_at = intake_calls.updated_at
      returning events, outcome, contact_id`.execute(db);
    const row = rows[0]!;
    // Stored by the bot itself, and still read as untrusted: an unreadable row is a call with no events.
    const events = eventsSchema.safeParse(row.events);
    return { events: events.success ? events.data : {}, outcome: outcomeOf(row.outcome), contactId: row.contact_id };
  },

  async save(db: Db, teamId: number, callKey: string, call: StoredCall & { readonly at: DateTime }): Promise<void> {
    await db
      .updateTable('intake_calls')
      .set({ events: JSON.stringify(call.events), outcome: call.outcome, contact_id: call.contactId, updated_at: call.at.toJSDate() })
      .where('team_id', '=', teamId)
      .where('call_key', '=', callKey)
      .execute();
  },

  /**
   * Holds a team's number for the rest of the transaction: two calls from one number, or a
   * call-back and a missed call, on two replicas at once, are worked out one after the other
   * (one open call-back clock per number, never two).
   */
  async lockNumber(db: Db, teamId: number, phone: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`intake:${teamId}:${phone}`}, 0))`.execute(db);
  },

  /** The missed calls folded into a contact and the one that made it (`missed`): their events, to read when each came. */
  async missedCallsOf(db: Db, contactId: number): Promise<Array<{ events: CallEvents; outcome: 'missed' | 'folded' }>> {
    const rows = await db.selectFrom('intake_calls').select(['events', 'outcome']).where('contact_id', '=', contactId).where('outcome', 'in', ['missed', 'folded']).execute();
    return rows.map((r) => ({ events: eventsSchema.safeParse(r.events).data ?? {}, outcome: r.outcome === 'missed' ? ('missed' as const) : ('folded' as const) }));
  },

  /** A customer's missed-call contacts whose call-back clock still runs, oldest first. */
  async openMissed(db: Db, teamId: number, customerId: number): Promise<Contact[]> {
    const rows = await selectContacts(db)
      .where('contacts.team_id', '=', teamId)
      .where('contacts.customer_id', '=', customerId)
      .where('contacts.channel', '=', 'missed')
      .where('contacts.status', '=', 'open')
      .where('contacts.first_responded_at', 'is', null)
      .where('contacts.resolved_at', 'is', null)
      .where('contacts.first_response_due_at', 'is not', null)
      .orderBy('contacts.received_at')
      .forUpdate('contacts')
      .execute();
    return rows.map(toContact);
  },
});
