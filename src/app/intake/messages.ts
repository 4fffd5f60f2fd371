import type { DateTime } from 'luxon';
import type { Db } from '../../../db/database';
import { teamRepository } from '../../../db/repositories/teams';
import type { Message, Outgoing } from '../../chat/message';
import type { Contact, Team } from '../../core/model';
import { NOBODY } from '../../core/actors';
import { maskPhone } from '../../core/phone';
import { formatDateTime } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import { mention } from '../commands/mention';

/** The messages the phone system's calls cause besides the owner's DM a typed log gives (see log-contact.ts noticesOf). */

const customerOf = (c: Contact) => (c.customer.phone ? `${c.customer.name} ${maskPhone(c.customer.phone)}` : c.customer.name);
const dueOf = (team: Team, c: Contact) => (c.firstResponseDueAt ? formatDateTime(c.firstResponseDueAt, team.zone) : '—');

/** Who hands out what nobody owns: the supervisors, or the managers of a team without one. */
async function handlers(db: Db, team: Team): Promise<string[]> {
  const supervisors = await teamRepository.membersWithRole(db, team.id, 'supervisor');
  const people = supervisors.length ? supervisors : await teamRepository.membersWithRole(db, team.id, 'manager');
  return people.map((m) => m.userId);
}

/** A message with the contact's own buttons and, for whoever hands it out, the assign menu. */
function withButtons(text: string, team: Team, contact: Contact, assign: boolean): Message {
  const lang = team.lang;
  return {
    text,
    lang,
    blocks: [
      { kind: 'text', text },
      {
        kind: 'buttons',
        buttons: [{ label: t(lang, 'button.replied'), command: `reply ${contact.id}`, style: 'primary' }],
        ...(assign ? { pickers: [{ label: t(lang, 'intake.unownedButton', { id: contact.id }), command: `assign ${contact.id}` }] } : {}),
      },
    ],
  };
}

/** A missed call (or another system's contact) nobody was found for: every supervisor hears at once, with the assign menu. */
export async function unownedNotices(db: Db, team: Team, contact: Contact): Promise<Outgoing[]> {
  const params = { id: contact.id, customer: customerOf(contact), due: dueOf(team, contact), channel: t(team.lang, `channel.${contact.channel}`) };
  const text = t(team.lang, contact.channel === 'missed' ? 'intake.unowned' : 'intake.unownedContact', params);
  return (await handlers(db, team)).map((user) => ({ to: { kind: 'dm', user }, message: withButtons(text, team, contact, true) }));
}

/** The same number missed again: one short update to whoever calls back (once per contact, not per call). */
export async function missedAgainNotices(db: Db, team: Team, contact: Contact, count: number): Promise<Outgoing[]> {
  const text = t(team.lang, 'intake.missedAgain', { id: contact.id, customer: customerOf(contact), count, due: dueOf(team, contact) });
  if (contact.ownerUserId !== NOBODY) return [{ to: { kind: 'dm', user: contact.ownerUserId }, message: withButtons(text, team, contact, false) }];
  return (await handlers(db, team)).map((user) => ({ to: { kind: 'dm', user }, message: withButtons(text, team, contact, true) }));
}

/** A call-back nobody picked up: the supervisors see the attempt (who, when); the clock keeps running. */
export async function attemptNotices(db: Db, team: Team, contacts: readonly Contact[], caller: string, at: DateTime): Promise<Outgoing[]> {
  const readers = await handlers(db, team);
  return contacts.flatMap((contact) => {
    const text = t(team.lang, 'intake.attempt', { user: mention(caller), id: contact.id, customer: customerOf(contact), at: formatDateTime(at, team.zone), due: dueOf(team, contact) });
    return readers.filter((user) => user !== caller).map((user): Outgoing => ({ to: { kind: 'dm', user }, message: withButtons(text, team, contact, true) }));
  });
}
