import type { DateTime } from 'luxon';
import type { ClaimedNag } from '../../../db/repositories/nags';
import { clockDueAt, clockMet, type Contact, type Member, type Team } from '../../core/model';
import type { NagItem } from './nag-messages';
import { recipientsOf, type Recipient } from './nag-recipients';

/** A reminder is "late" when it goes out this long after its moment (the bot was down). */
const LATE_AFTER_MS = 2 * 60_000;

/** One recipient's reminders of a pass: one message (or several, for a long list) to them. */
export interface RecipientGroup {
  readonly recipient: Recipient;
  readonly team: Team;
  readonly items: Array<NagItem & { nagId: number }>;
}

/**
 * A claimed batch of reminders sorted out: those no longer owed (the contact gone or its clock
 * met, a due-soon superseded by its deadline passing while the bot was down), each recipient's
 * reminders, and for each reminder the recipients it still waits for (a crash mid-pass resends
 * only to those).
 */
export function groupByRecipient(
  batch: readonly ClaimedNag[],
  known: { contacts: ReadonlyMap<number, Contact>; teams: ReadonlyMap<number, Team>; members: readonly Member[]; covers: ReadonlyMap<string, string> },
  now: DateTime,
): { cancelled: number[]; groups: Map<string, RecipientGroup>; pendingRecipients: Map<number, Set<string>> } {
  const cancelled: number[] = [];
  const groups = new Map<string, RecipientGroup>();
  const pendingRecipients = new Map<number, Set<string>>();
  for (const nag of batch) {
    const contact = known.contacts.get(nag.contactId);
    const team = known.teams.get(nag.teamId);
    const dueAt = contact ? clockDueAt(contact, nag.clock) : null;
    const superseded = nag.step === 'due_soon' && dueAt !== null && dueAt <= now;
    if (!contact || !team || clockMet(contact, nag.clock) || superseded) {
      cancelled.push(nag.id);
      continue;
    }
    // Late means the bot was down at the moment; a contact logged after its moment (back-dated) is not late mail.
    const late = now.toMillis() - Math.max(nag.fireAt.getTime(), contact.loggedAt.toMillis()) > LATE_AFTER_MS;
    const item = { nagId: nag.id, contact, clock: nag.clock, step: nag.step, dueAt: (dueAt ?? now).toJSDate(), lateFrom: late ? nag.fireAt : null };
    const waiting = new Set<string>();
    for (const recipient of recipientsOf(nag, contact, team, known.members, known.covers)) {
      if (nag.deliveredTo.includes(recipient.key)) continue;
      waiting.add(recipient.key);
      const group = groups.get(recipient.key) ?? { recipient, team, items: [] };
      group.items.push(item);
      groups.set(recipient.key, group);
    }
    pendingRecipients.set(nag.id, waiting);
  }
  return { cancelled, groups, pendingRecipients };
}
