import type { DateTime } from 'luxon';
import type { Db } from '../../../db/database';
import type { Message, Outgoing } from '../../chat/message';
import type { Contact, Team } from '../../core/model';
import { fail, type Result } from '../../core/result';
import { formatDateTime } from '../../core/time/time-of-day';
import type { MessageKey } from '../../i18n';
import type { Context } from '../commands/requests';
import { contactFor } from '../contacts/contact-access';

/** A complaint of the asker's team they may act on, locked for the transaction. */
export async function complaintFor(trx: Db, ctx: Context, id: number, usage: MessageKey): Promise<Result<Contact>> {
  const found = await contactFor(trx, ctx, id, true);
  if (!found.ok) return found;
  return found.value.channel === 'complaint' ? found : fail({ key: 'err.notComplaint', params: { id }, usage });
}

/** A moment as the team reads it, or a dash. */
export const fmt = (team: Team, at: DateTime | null) => (at ? formatDateTime(at, team.zone) : '—');

/** One message to each of several people. */
export const dmAll = (userIds: readonly string[], message: Message): Outgoing[] => userIds.map((user) => ({ to: { kind: 'dm', user }, message }));
