import type { DateTime } from 'luxon';
import { contactRepository } from '../../../db/repositories/contacts';
import { teamRepository } from '../../../db/repositories/teams';
import { textMessage, type Message, type Outgoing } from '../../chat/message';
import type { ComplaintCommand } from '../../core/grammar/complaint-commands';
import { fail, ok } from '../../core/result';
import { resolveLocal } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import * as views from '../contacts/views';
import { complaintFor, dmAll, fmt } from './complaint-access';

/**
 * A complaint's plan (方案) and, for a major one, its approval (批准): the plan is put to the
 * supervisors privately and in the team's group, where any of them may approve it.
 */
export function createPlanApproval(deps: CommandServiceDeps) {
  const { db, clock } = deps;
  const supervisorsOf = (team: Context['team']) => teamRepository.membersWithRole(db, team.id, 'supervisor');

  /** 方案: the plan and its own deadline; a major complaint's plan waits for a supervisor, the resolution clock does not. */
  async function plan(ctx: Context, command: Extract<ComplaintCommand, { kind: 'plan' }>): Promise<CommandOutcome> {
    const now = clock.now();
    const { team, lang } = ctx;
    const examples = views.exampleDates(now, team.zone);
    let planDue: DateTime | null = null;
    if (command.due) {
      const local = resolveLocal(command.due, team.zone, now);
      if (!local.ok) return answerError({ ...local.error, usage: 'usage.plan' }, lang, examples);
      if (local.value <= now) return answerError({ key: 'err.planDuePast', params: { due: fmt(team, local.value) }, usage: 'usage.plan' }, lang, examples);
      planDue = local.value;
    }
    const result = await db.transaction().execute(async (trx) => {
      const found = await complaintFor(trx, ctx, command.id, 'usage.plan');
      if (!found.ok) return found;
      const c = found.value;
      if (c.status === 'closed') return fail({ key: 'err.alreadyResolved', params: { id: c.id, at: fmt(team, c.resolvedAt) } });
      await contactRepository.update(trx, c.id, { at: now, plan: command.text, planDueAt: planDue, planApprovedBy: null, planApprovedAt: null });
      await contactRepository.addEvent(trx, {
        contactId: c.id,
        teamId: team.id,
        actorUserId: ctx.actor.userId,
        kind: 'planned',
        at: now,
        before: c.complaint.plan ? { plan: c.complaint.plan } : null,
        after: { plan: command.text, dueAt: planDue?.toISO() ?? null },
      });
      return ok(c);
    });
    if (!result.ok) return answerError(result.error, lang, examples);
    const c = result.value;
    const dueText = planDue ? t(lang, 'complaint.planDue', { due: fmt(team, planDue) }) : '';
    const lines = [t(lang, 'complaint.planned', { id: c.id, due: dueText, resolution: fmt(team, c.resolutionDueAt) })];
    if (planDue && c.resolutionDueAt && planDue > c.resolutionDueAt && !c.resolvedAt) {
      lines.push(t(lang, 'complaint.planAfterResolution', { due: fmt(team, planDue), resolution: fmt(team, c.resolutionDueAt) }));
    }
    const notices: Outgoing[] = [];
    if (c.complaint.level === 'major') {
      lines.push(t(lang, 'complaint.planNeedsApproval'));
      const text = t(lang, 'complaint.approvalRequest', {
        actor: views.mention(ctx.actor.userId),
        id: c.id,
        category: t(lang, `category.${c.complaint.category ?? 'unset'}`),
        customer: c.customer.name,
        plan: command.text,
        due: dueText,
        resolution: fmt(team, c.resolutionDueAt),
      });
      const message: Message = {
        text,
        blocks: [
          { kind: 'text', text },
          { kind: 'buttons', buttons: [{ label: t(lang, 'complaint.approveButton', { id: c.id }), command: `approve ${c.id}`, style: 'primary' }] },
        ],
      };
      notices.push(
        ...dmAll(
          (await supervisorsOf(team)).map((m) => m.userId).filter((u) => u !== ctx.actor.userId),
          message,
        ),
      );
      // And in the team's group, where any supervisor may approve with one press (DingTalk: a card button).
      notices.push({ to: { kind: 'channel', channel: team.channelId }, message });
    }
    return answer(textMessage(lines.join('\n')), notices);
  }

  /** 批准: a supervisor or manager approves a major complaint's plan. */
  async function approve(ctx: Context, id: number): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    if (ctx.actor.role === 'specialist') return answerError({ key: 'err.notApprover', usage: 'usage.approve' }, lang);
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await complaintFor(trx, ctx, id, 'usage.approve');
      if (!found.ok) return found;
      const c = found.value;
      if (!c.complaint.plan) return fail({ key: 'err.noPlan', params: { id } });
      if (c.complaint.level !== 'major') return fail({ key: 'err.noApprovalNeeded', params: { id } });
      if (c.complaint.planApprovedBy) {
        return fail({ key: 'err.alreadyApproved', params: { id, who: views.mention(c.complaint.planApprovedBy), at: fmt(team, c.complaint.planApprovedAt) } });
      }
      await contactRepository.update(trx, id, { at: now, planApprovedBy: ctx.actor.userId, planApprovedAt: now });
      await contactRepository.addEvent(trx, { contactId: id, teamId: team.id, actorUserId: ctx.actor.userId, kind: 'approved', at: now, after: { plan: c.complaint.plan } });
      return ok(c);
    });
    if (!result.ok) return answerError(result.error, lang);
    const c = result.value;
    const notices = c.ownerUserId !== ctx.actor.userId ? dmAll([c.ownerUserId], textMessage(t(lang, 'complaint.approvedDm', { actor: views.mention(ctx.actor.userId), id }))) : [];
    return answer(textMessage(t(lang, 'complaint.approved', { id })), notices);
  }

  return Object.freeze({ plan, approve });
}
