import { contactRepository } from '../../../db/repositories/contacts';
import type { Db } from '../../../db/database';
import { canSeeOwnedBy } from '../../core/access';
import type { Contact } from '../../core/model';
import { fail, ok, type Result } from '../../core/result';
import type { Context } from '../commands/requests';

/**
 * A contact the person asking may see and act on: it exists, belongs to their
 * team, and is theirs (or a colleague's they cover for) unless they supervise or
 * manage. With `lock`, its row is
 * locked for the rest of the transaction.
 */
export async function contactFor(db: Db, ctx: Context, id: number, lock = false): Promise<Result<Contact>> {
  const contact = lock ? await contactRepository.findByIdForUpdate(db, id) : await contactRepository.findById(db, id);
  if (!contact) return fail({ key: 'err.unknownContact', params: { id } });
  // Another team's contact is answered as a missing one: ids say nothing across teams.
  if (contact.teamId !== ctx.team.id) return fail({ key: 'err.unknownContact', params: { id } });
  // Theirs, one they supervise, or one of a colleague on leave they cover for (代班).
  if (!canSeeOwnedBy(ctx.actor, contact.ownerUserId) && !(await ctx.covering?.(db))?.has(contact.ownerUserId)) {
    // Whose it is stays unsaid: a specialist learns no colleague's customers by trying ids.
    return fail({ key: 'err.notAllowedContact', params: { id } });
  }
  return ok(contact);
}
