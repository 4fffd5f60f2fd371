import { contactRepository } from '../../../db/repositories/contacts';
import { customerRepository } from '../../../db/repositories/customers';
import { nagRepository } from '../../../db/repositories/nags';
import { teamRepository } from '../../../db/repositories/teams';
import { textMessage, type Block } from '../../chat/message';
import { formatDuration } from '../../core/time/duration';
import { nextClock, timeLeft, windowOf } from '../../core/time/clocks';
import type { Contact } from '../../core/model';
import { maskPhone } from '../../core/phone';
import type { UserRef } from '../../core/grammar/commands';
import { isWorkingDays, type SlaWindow } from '../../core/policy';
import { snoozeThatFits } from '../../core/time/snooze';
import { formatDateTime } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import { contactFor } from '../contacts/contact-access';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import * as views from '../contacts/views';

/** What people do with the clocks themselves: hand a contact over, snooze a reminder, list what is late. */
export function createClockActions(deps: CommandServiceDeps) {
  const { db, clock } = deps;

  /** `/cs assign <id> @user`: supervisors and managers hand a contact to another member; its reminders follow. */
  async function assign(ctx: Context, id: number, user: UserRef | { readonly byName: string }): Promise<CommandOutcome> {
    if (ctx.actor.role === 'specialist') return answerError({ key: 'err.notSupervisor', usage: 'usage.assign' }, ctx.lang);
    const members = await teamRepository.members(db, ctx.team.id);
    // By the name a member goes by, when there was no one to @mention: exactly one must match.
    const byName = 'byName' in user ? user.byName : null;
    const named = byName !== null ? members.filter((m) => m.displayName === byName) : null;
    if (named && named.length > 1) return answerError({ key: 'err.ambiguousName', params: { name: byName! }, usage: 'usage.assign' }, ctx.lang);
    const userId = named ? (named[0]?.userId ?? '') : (user as UserRef).id;
    if (!members.some((m) => m.userId === userId && m.active !== false)) {
      const who = byName ?? views.mention(userId);
      return answerError({ key: 'err.notMember', params: { user: who, team: ctx.team.name }, usage: 'usage.assign' }, ctx.lang);
    }
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(trx, ctx, id, true);
      if (!found.ok) return found;
      await contactRepository.update(trx, id, { at: now, ownerUserId: userId });
      // A customer nobody had yet (a missed call the phone system found no one for) becomes the new owner's.
      await customerRepository.claimUnowned(trx, found.value.customer.id, userId);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: ctx.team.id,
        actorUserId: ctx.actor.userId,
        kind: 'reassigned',
        at: now,
        before: { owner: found.value.ownerUserId },
        after: { owner: userId },
      });
      return found;
    });
    if (!result.ok) return answerError(result.error, ctx.lang);
    const contact = result.value;
    const lang = ctx.lang;
    const due = contact.firstResponseDueAt ?? contact.resolutionDueAt;
    const dm = t(lang, 'assign.dm', {
      actor: views.mention(ctx.actor.userId),
      id,
      channel: t(lang, `channel.${contact.channel}`),
      customer: contact.customer.name,
      due: due ? formatDateTime(due, ctx.team.zone) : '—',
    });
    return answer(textMessage(t(lang, 'assign.done', { id, from: views.mention(contact.ownerUserId), to: views.mention(userId) })), [{ to: { kind: 'dm', user: userId }, message: textMessage(dm) }]);
  }

  /**
   * `/cs snooze <id> [15m]`: the due-soon reminder again later; never past the deadline,
   * which does not move. A snooze that would reach the deadline is shortened to what fits.
   */
  async function snooze(ctx: Context, id: number, seconds: number | null): Promise<CommandOutcome> {
    const found = await contactFor(db, ctx, id);
    if (!found.ok) return answerError(found.error, ctx.lang);
    const contact = found.value;
    const open = nextClock(contact);
    if (!open) return answerError({ key: 'err.snoozeNothing', params: { id } }, ctx.lang);
    const now = clock.now();
    const dueText = formatDateTime(open.dueAt, ctx.team.zone);
    const fits = snoozeThatFits(open.dueAt.toMillis() - now.toMillis(), seconds === null ? null : seconds * 1000);
    if (!fits) return answerError({ key: 'err.snoozePastDeadline', params: { due: dueText }, usage: 'usage.snooze' }, ctx.lang);
    const at = now.plus({ milliseconds: fits.ms });
    await db.transaction().execute(async (trx) => {
      await nagRepository.snooze(trx, ctx.team, id, open.clock, at);
      await contactRepository.addEvent(trx, { contactId: id, teamId: ctx.team.id, actorUserId: ctx.actor.userId, kind: 'snoozed', at: now, after: { until: at.toISO() } });
    });
    deps.onDeadlinesChanged?.();
    const done = t(ctx.lang, 'snooze.done', { id, at: formatDateTime(at, ctx.team.zone), due: dueText });
    return answer(textMessage(fits.shortened ? `${done} ${t(ctx.lang, 'snooze.shortened', { duration: formatDuration(fits.ms, ctx.lang) })}` : done));
  }

  /** A window's length in the time its clock counts: whole working days as the team's working days, not 24 h. */
  const windowMs = (window: SlaWindow, workingDay: number | null) => (isWorkingDays(window) && workingDay ? (window.seconds / 86_400) * workingDay : window.seconds * 1000);

  /** `/cs overdue`: a supervisor sees the team's overdue and due-soon contacts, a specialist their own and those of colleagues they cover for. */
  async function overdue(ctx: Context): Promise<CommandOutcome> {
    const now = clock.now();
    const share = ctx.team.settings.remindPercent / 100;
    // Due soon: inside the last (100 − remind) % of its window, the same moment the reminder goes out.
    const horizon = now.plus({ days: 2 });
    const owners = ctx.actor.role === 'specialist' ? [ctx.actor.userId, ...((await ctx.covering?.(db)) ?? [])] : null;
    const contacts = await contactRepository.openDueBefore(db, ctx.team.id, owners, horizon);
    const late: Array<{ c: Contact; next: views.ClockLeft }> = [];
    const soon: typeof late = [];
    for (const c of contacts) {
      const open = nextClock(c);
      if (!open) continue;
      const next = { ...open, left: timeLeft(ctx.team, deps.holidays, c, open, now) };
      const window = windowOf(ctx.team, c, open.clock);
      if (next.left.overdue) late.push({ c, next });
      else if (window && next.left.ms <= windowMs(window, next.left.workingDayMs) * (1 - share)) soon.push({ c, next });
    }
    const lang = ctx.lang;
    if (late.length + soon.length === 0) return answer(textMessage(t(lang, 'overdue.empty')));
    const line = ({ c, next }: { c: Contact; next: views.ClockLeft }) => {
      const customer = c.customer.phone ? `${c.customer.name} ${maskPhone(c.customer.phone)}` : c.customer.name;
      const owner = owners && c.ownerUserId !== ctx.actor.userId ? t(lang, 'mine.covering', { owner: views.mention(c.ownerUserId) }) : views.mention(c.ownerUserId);
      return [`#${c.id}`, t(lang, `channel.${c.channel}`), customer, owner, views.clockDueText(next, ctx.team, lang)].join(' · ');
    };
    const title = t(lang, 'overdue.title', { count: late.length + soon.length });
    const blocks: Block[] = [{ kind: 'header', text: title }];
    if (late.length) blocks.push({ kind: 'text', text: `*${t(lang, 'overdue.overdue')}*` }, { kind: 'list', items: late.map(line) });
    if (soon.length) blocks.push({ kind: 'text', text: `*${t(lang, 'overdue.dueSoon')}*` }, { kind: 'list', items: soon.map(line) });
    if (ctx.actor.role !== 'specialist') blocks.push({ kind: 'context', text: t(lang, 'nag.reassignHint') });
    return answer({ text: title, blocks });
  }

  return Object.freeze({ assign, snooze, overdue });
}
