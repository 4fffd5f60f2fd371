import { DateTime } from 'luxon';
import { rotationRepository } from '../../../db/repositories/rotation';
import { staffingRepository } from '../../../db/repositories/staffing';
import { teamRepository } from '../../../db/repositories/teams';
import type { FrontDeskCommand } from '../../core/grammar/front-desk-commands';
import { rotationState } from '../../core/rotation';
import { textMessage, type Outgoing } from '../../chat/message';
import { t } from '../../i18n';
import { mention } from '../commands/mention';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import { dayOf } from './rotation';

type StaffingCommand = Extract<FrontDeskCommand, { kind: 'cover' | 'coverEnd' | 'handover' }>;

const dm = (user: string, text: string): Outgoing => ({ to: { kind: 'dm', user }, message: textMessage(text) });

/**
 * Cover while someone is on leave (代班: their reminders and alerts go to a colleague,
 * ownership stays) and the handover when someone leaves (离职交接: every customer and
 * open item moves to colleagues, spread by customer, and the leaver can no longer act).
 */
export function createStaffing(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;

  async function activeMember(ctx: Context, user: string, usage: 'usage.cover' | 'usage.handover'): Promise<CommandOutcome | null> {
    const member = await teamRepository.memberOf(db, ctx.team.id, user);
    if (!member) return answerError({ key: 'err.notMember', params: { user: mention(user), team: ctx.team.name }, usage }, ctx.lang);
    if (member.active === false) return answerError({ key: 'handover.notActive', params: { user: mention(user) }, usage }, ctx.lang);
    return null;
  }

  async function run(ctx: Context, command: StaffingCommand): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const now = clock.now();
    switch (command.kind) {
      case 'cover': {
        if (ctx.actor.role === 'specialist') return answerError({ key: 'err.notSupervisorRotation', usage: 'usage.cover' }, lang);
        const from = command.from.id;
        const to = command.to.id;
        if (from === to) return answerError({ key: 'cover.self', usage: 'usage.cover' }, lang);
        for (const user of [from, to]) {
          const refused = await activeMember(ctx, user, 'usage.cover');
          if (refused) return refused;
        }
        // Until the end of the day given, in the team's zone.
        const until = command.until ? DateTime.fromISO(command.until, { zone: team.zone }).endOf('day') : null;
        if (until && (!until.isValid || until <= now)) return answerError({ key: 'err.badDay', params: { value: command.until! }, usage: 'usage.cover' }, lang);
        await staffingRepository.startCover(db, { teamId: team.id, from, to, until: until?.toJSDate() ?? null, by: ctx.actor.userId, at: now });
        const untilText = command.until ? t(lang, 'cover.until', { until: command.until }) : '';
        logger.info({ teamId: team.id, until: command.until }, 'cover arranged');
        return answer(textMessage(t(lang, 'cover.set', { from: mention(from), to: mention(to), until: untilText })), [dm(to, t(lang, 'cover.toDm', { from: mention(from), until: untilText }))]);
      }
      case 'coverEnd': {
        if (ctx.actor.role === 'specialist') return answerError({ key: 'err.notSupervisorRotation', usage: 'usage.cover' }, lang);
        const ended = await staffingRepository.endCover(db, team.id, command.from.id, now);
        return answer(textMessage(t(lang, ended ? 'cover.ended' : 'cover.none', { from: mention(command.from.id) })));
      }
      case 'handover':
        return handover(ctx, command.from.id, [...new Set(command.to.map((u) => u.id))]);
    }
  }

  async function handover(ctx: Context, from: string, to: readonly string[]): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    if (ctx.actor.role !== 'manager') return answerError({ key: 'err.notManagerHandover', usage: 'usage.handover' }, lang);
    if (to.includes(from)) return answerError({ key: 'handover.self', usage: 'usage.handover' }, lang);
    // The team keeps a manager: the last one cannot be handed over (add another first).
    const managers = await teamRepository.membersWithRole(db, team.id, 'manager');
    if (managers.every((m) => m.userId === from) && managers.length > 0) return answerError({ key: 'handover.lastManager', usage: 'usage.handover' }, lang);
    for (const user of [from, ...to]) {
      const refused = await activeMember(ctx, user, 'usage.handover');
      if (refused) return refused;
    }
    const now = clock.now();
    const day = dayOf(team, now);
    const moved = await db.transaction().execute(async (trx) => {
      // The rotation's lock first, as a visit takes it: the two never wait on each other crosswise.
      await rotationRepository.lock(trx, team.id);
      const customers = await staffingRepository.customersOf(trx, team.id, from);
      // Spread evenly by customer, in turn.
      const shares = to.map((user, i) => ({ user, customerIds: customers.filter((_c, k) => k % to.length === i), contacts: 0 }));
      for (const share of shares) {
        share.contacts = await staffingRepository.moveCustomers(trx, { teamId: team.id, from, to: share.user, customerIds: share.customerIds, by: ctx.actor.userId, at: now });
      }
      // Contacts of someone else's customer that were handed to the leaver (assign) go too, in turn.
      const stray = await staffingRepository.openContactsOf(trx, team.id, from);
      for (const [i, contactId] of stray.entries()) {
        const share = shares[i % shares.length]!;
        await staffingRepository.moveContact(trx, { teamId: team.id, from, to: share.user, contactId, by: ctx.actor.userId, at: now });
        share.contacts++;
      }
      await teamRepository.setActive(trx, team.id, from, false);
      await staffingRepository.endCoversOf(trx, team.id, from, now);
      // Out of today's rotation.
      const events = await rotationRepository.day(trx, team.id, day);
      if (rotationState(events, now.toMillis()).order.some((c) => c.user === from)) {
        await rotationRepository.add(trx, team.id, day, [{ kind: 'checkout', user: from, at: now.toMillis() }]);
      }
      return shares;
    });
    const customers = moved.reduce((n, s) => n + s.customerIds.length, 0);
    const contacts = moved.reduce((n, s) => n + s.contacts, 0);
    logger.info({ teamId: team.id, customers, contacts, to: to.length }, 'handover done');
    deps.onDeadlinesChanged?.();
    const notices = [
      ...moved.map((s) => dm(s.user, t(lang, 'handover.toDm', { from: mention(from), customers: s.customerIds.length, contacts: s.contacts }))),
      dm(from, t(lang, 'handover.fromDm', { to: to.map(mention).join('、') })),
    ];
    return answer(textMessage(t(lang, 'handover.done', { from: mention(from), customers, contacts, to: to.map(mention).join('、') })), notices);
  }

  return Object.freeze({ run });
}
