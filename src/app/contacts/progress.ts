import { contactRepository } from '../../../db/repositories/contacts';
import { nagRepository } from '../../../db/repositories/nags';
import { textMessage } from '../../chat/message';
import { fail, ok } from '../../core/result';
import { formatDateTime } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import type { ComplaintActions } from '../complaints/complaint-actions';
import { contactFor } from './contact-access';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';

/** First reply, resolution (starting a complaint's follow-up clock) and notes, each with who and when. */
export function createProgressActions(deps: CommandServiceDeps, complaints: ComplaintActions) {
  const { db, clock } = deps;
  const err = answerError;

  async function recordProgress(ctx: Context, kind: 'reply' | 'resolve', id: number, note: string): Promise<CommandOutcome> {
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(trx, ctx, id, true);
      if (!found.ok) return found;
      const contact = found.value;
      if (contact.resolvedAt) {
        return fail({ key: 'err.alreadyResolved', params: { id, at: formatDateTime(contact.resolvedAt, ctx.team.zone) } });
      }
      if (kind === 'reply' && contact.firstRespondedAt) {
        return fail({ key: 'err.alreadyReplied', params: { id, at: formatDateTime(contact.firstRespondedAt, ctx.team.zone) } });
      }
      // A resolved complaint starts its follow-up clock (回访): worked out before anything is written.
      const followup = kind === 'resolve' ? complaints.planFollowup(ctx.team, contact, now) : ok(null);
      if (!followup.ok) return followup;
      const change =
        kind === 'reply'
          ? { at: now, firstRespondedAt: now, status: 'responded' as const }
          : {
              at: now,
              resolvedAt: now,
              status: 'resolved' as const,
              ...(contact.firstRespondedAt ? {} : { firstRespondedAt: now }),
              ...(followup.value ? { followupDueAt: followup.value.dueAt } : {}),
            };
      await contactRepository.update(trx, id, change);
      // A met clock stops its reminders: a reply meets the response clock, a resolution both.
      await nagRepository.cancelForClock(trx, id, kind === 'reply' ? ['response'] : ['response', 'resolution']);
      if (followup.value) await nagRepository.replan(trx, ctx.team, id, ['followup'], followup.value.nags);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: ctx.team.id,
        actorUserId: ctx.actor.userId,
        kind: kind === 'reply' ? 'replied' : 'resolved',
        at: now,
        before: { status: contact.status },
        after: { status: change.status, note },
      });
      return ok({ contact, followupDue: followup.value?.dueAt ?? null });
    });
    if (!result.ok) return err(result.error, ctx.lang);
    const at = formatDateTime(now, ctx.team.zone);
    const lines = [t(ctx.lang, kind === 'reply' ? 'reply.done' : 'resolve.done', { id, at })];
    const { followupDue } = result.value;
    if (followupDue) lines.push(t(ctx.lang, 'complaint.followupDue', { id, due: formatDateTime(followupDue, ctx.team.zone) }));
    if (followupDue) deps.onDeadlinesChanged?.();
    return answer(textMessage(lines.join('\n')));
  }

  async function addNote(ctx: Context, id: number, text: string): Promise<CommandOutcome> {
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(trx, ctx, id, true);
      if (!found.ok) return found;
      const rootCause = await complaints.takeRootCause(trx, found.value, now);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: ctx.team.id,
        actorUserId: ctx.actor.userId,
        kind: 'noted',
        at: now,
        after: { note: text, ...(rootCause ? { rootCause: true } : {}) },
      });
      return ok(rootCause);
    });
    if (!result.ok) return err(result.error, ctx.lang);
    const lines = [t(ctx.lang, 'note.done', { id })];
    if (result.value) lines.push(t(ctx.lang, 'complaint.rootCauseNoted', { id }));
    return answer(textMessage(lines.join('\n')));
  }

  return Object.freeze({ recordProgress, addNote });
}
