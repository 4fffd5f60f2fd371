import { DateTime } from 'luxon';
import { contactRepository } from '../../../db/repositories/contacts';
import { customerRepository } from '../../../db/repositories/customers';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import type { LogFields } from '../../core/commands';
import { draftContact } from '../../core/contact-draft';
import { contactDeadlines } from '../../core/deadlines';
import { calendarOf } from '../../core/model';
import { planNags } from '../../core/nag-plan';
import type { FrontDeskCommand } from '../../core/front-desk-commands';
import type { Team } from '../../core/model';
import { assignVisit, calledToFrontDesk, frontDesk, isFree, nextInRotation, rotationState, type RotationEvent, type RotationState, type VisitKind } from '../../core/rotation';
import type { UserRef } from '../../core/team-commands';
import { textMessage, type Message, type Outgoing } from '../../chat/message';
import { t, type Lang } from '../../i18n';
import { mention } from '../mention';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../requests';

type RotationCommand = Extract<FrontDeskCommand, { kind: 'checkin' | 'checkout' | 'away' | 'back' | 'rotation' | 'rotationSkip' | 'rotationMove' | 'visit' | 'done' }>;

/** The team's local day a moment belongs to: the rotation starts afresh each day. */
export const dayOf = (team: Team, at: DateTime) => at.setZone(team.zone).toISODate()!;

const hhmm = (team: Team, ms: number) => DateTime.fromMillis(ms).setZone(team.zone).toFormat('HH:mm');
const dm = (user: string, message: Message): Outgoing => ({ to: { kind: 'dm', user }, message });
const isSupervisor = (ctx: Context) => ctx.actor.role !== 'specialist';

/**
 * The sales office's rotation (轮序接待): signing in and out, lunch, who is next, walk-ins
 * assigned by the rules in core/rotation.ts, and a supervisor's corrections, each recorded
 * as an event of the team's day so the order can be rebuilt and audited.
 */
export function createRotation(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;

  async function today(team: Team) {
    const now = clock.now();
    const day = dayOf(team, now);
    const events = await rotationRepository.day(db, team.id, day);
    return { now: now.toMillis(), day, events, state: rotationState(events, now.toMillis()) };
  }
  const placeOf = (state: RotationState, user: string) => state.order.findIndex((c) => c.user === user) + 1;
  const record = (team: Team, day: string, events: RotationEvent[]) => rotationRepository.add(db, team.id, day, events);

  async function run(ctx: Context, command: RotationCommand): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const me = ctx.actor.userId;
    const say = (key: Parameters<typeof t>[1], params: Record<string, string | number> = {}) => answer(textMessage(t(lang, key, params)));
    switch (command.kind) {
      case 'checkin': {
        const { now, day, state } = await today(team);
        if (placeOf(state, me) > 0) return say('rotation.alreadyIn', { place: placeOf(state, me) });
        await record(team, day, [{ kind: 'checkin', user: me, at: now }]);
        return say('rotation.checkedIn', { place: state.order.length + 1 });
      }
      case 'checkout': {
        const { now, day, state, events } = await today(team);
        if (placeOf(state, me) === 0) return say('rotation.notIn');
        const receiving = state.order.find((c) => c.user === me)?.receiving;
        if (receiving) return answerError({ key: 'rotation.stillReceiving', params: { id: receiving.visit }, usage: 'usage.done' }, lang);
        const event: RotationEvent = { kind: 'checkout', user: me, at: now };
        await record(team, day, [event]);
        return answer(textMessage(t(lang, 'rotation.checkedOut')), calledAfter(lang, state, [...events, event], now));
      }
      case 'away': {
        const { now, day, state, events } = await today(team);
        if (placeOf(state, me) === 0) return say('rotation.notIn');
        const until = now + command.seconds * 1000;
        const event: RotationEvent = { kind: 'away', user: me, at: now, until };
        await record(team, day, [event]);
        return answer(textMessage(t(lang, 'rotation.away', { until: hhmm(team, until) })), calledAfter(lang, state, [...events, event], now));
      }
      case 'back': {
        const { now, day, state } = await today(team);
        if (placeOf(state, me) === 0) return say('rotation.notIn');
        await record(team, day, [{ kind: 'back', user: me, at: now }]);
        return say('rotation.back', { place: placeOf(state, me) });
      }
      case 'rotation': {
        const { now, day, state } = await today(team);
        return answer(rotationMessage(team, lang, day, state, now));
      }
      case 'rotationSkip':
      case 'rotationMove': {
        if (!isSupervisor(ctx)) return answerError({ key: 'err.notSupervisorRotation', usage: 'usage.rotation' }, lang);
        const { now, day, state } = await today(team);
        const user = command.user.id;
        if (placeOf(state, user) === 0) return answerError({ key: 'rotation.notSignedIn', params: { user: mention(user) }, usage: 'usage.rotation' }, lang);
        if (command.kind === 'rotationSkip') {
          await record(team, day, [{ kind: 'forfeit', user, at: now, by: me, reason: command.reason }]);
          return say('rotation.skipped', { user: mention(user), reason: command.reason });
        }
        await record(team, day, [{ kind: 'move', user, at: now, place: command.place, by: me, reason: command.reason }]);
        return say('rotation.moved', { user: mention(user), place: Math.min(command.place, state.order.length), reason: command.reason });
      }
      case 'visit':
        return visit(ctx, command.fields, command.for);
      case 'done':
        return done(ctx, command.id);
    }
  }

  /** Whoever has just become one of the three at the desk (someone left it) is asked to come. */
  function calledAfter(lang: Lang, before: RotationState, events: readonly RotationEvent[], now: number): Outgoing[] {
    const after = rotationState(events, now);
    const desk = frontDesk(after, now);
    return calledToFrontDesk(before, after, now).map((user) => dm(user, textMessage(t(lang, 'visit.calledToDesk', { users: desk.map(mention).join('、') }))));
  }

  /** The existing customer a walk-in is (by phone, else by a name only one customer of the team has), and their consultant. */
  async function ownerOf(team: Team, name: string, phone: string | null): Promise<string | null> {
    // By phone, else by a name only one customer of the team has (one known from a call before the number was taken).
    const byName = () =>
      customerRepository.search(db, team.id, { name }, null, 3).then((found) => {
        const exact = found.filter((c) => c.name === name);
        return exact.length === 1 ? exact[0]! : null;
      });
    const customer = (phone ? await customerRepository.findByPhone(db, team.id, phone) : null) ?? (await byName());
    if (!customer) return null;
    // A consultant who left (handed over) owns nobody any more.
    const member = await teamRepository.memberOf(db, team.id, customer.ownerUserId);
    return member && member.active !== false ? customer.ownerUserId : null;
  }

  async function visit(ctx: Context, fields: LogFields, forUser: UserRef | null): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    if (forUser && !isSupervisor(ctx)) return answerError({ key: 'err.notSupervisorRotation', usage: 'usage.visit' }, lang);
    // A walk-in is logged as it happens: it takes today's turn. An earlier visit is `/cs log visit … at …`.
    if (fields.at) return answerError({ key: 'visit.noAt', usage: 'usage.visit' }, lang);
    const draft = draftContact({ ...fields, channel: 'visit' }, team.zone, clock.now());
    if (!draft.ok) return answerError({ ...draft.error, usage: 'usage.visit' }, lang);
    const d = draft.value;
    const owner = await ownerOf(team, d.customerName, d.phone);
    const result = await db.transaction().execute(async (trx) => {
      // One visit at a time per team: two typed at once never go to the same consultant. The
      // clock is read once the lock is held, so the visit before this one is in the past.
      await rotationRepository.lock(trx, team.id);
      const nowDt = clock.now();
      const now = nowDt.toMillis();
      const day = dayOf(team, nowDt);
      const events = await rotationRepository.day(trx, team.id, day);
      const before = rotationState(events, now);
      let assigned: { user: string; how: VisitKind; forfeits: string[] } | null;
      if (forUser) {
        if (!isFree(before, forUser.id, now)) return { error: 'visit.forNotIn' as const, user: forUser.id };
        assigned = { user: forUser.id, how: 'manual', forfeits: [] };
      } else {
        const picked = assignVisit(before, now, owner);
        assigned = picked.user === null ? null : picked;
      }
      if (!assigned) return { error: before.order.length === 0 ? ('visit.nobodySignedIn' as const) : ('visit.nobodyFree' as const) };
      // The visit's follow-up clock (a call back after it), as `/cs log visit` has.
      const due = contactDeadlines(team, 'visit', nowDt, deps.holidays, null);
      const deadlines = due.ok ? due.value : { response: null, resolution: null, guessedYears: [] };
      const logged = await contactRepository.logWithCustomer(trx, {
        teamId: team.id,
        platform: team.platform,
        loggedBy: ctx.actor.userId,
        // A new customer belongs to the consultant who receives them; an existing one stays their owner's.
        ownerForNew: owner ?? assigned.user,
        channel: 'visit',
        receivedAt: nowDt,
        loggedAt: nowDt,
        note: d.note,
        firstResponseDueAt: null,
        resolutionDueAt: deadlines.resolution?.dueAt ?? null,
        // A visit's first response is the reception itself.
        firstRespondedAt: nowDt,
        status: 'responded',
        requestKey: ctx.request.requestKey ?? null,
        level: null,
        category: null,
        customerName: d.customerName,
        phone: d.phone,
        eventAfter: { channel: 'visit', receivedAt: nowDt.toISO(), note: d.note, receivedBy: assigned.user, how: assigned.how, by: ctx.actor.userId },
        nags: planNags(deadlines, nowDt, nowDt, team.settings, calendarOf(team), deps.holidays, true),
      });
      if (!logged) return { duplicate: true as const };
      const added: RotationEvent[] = [
        ...assigned.forfeits.map((user): RotationEvent => ({ kind: 'forfeit', user, at: now })),
        { kind: 'visit', user: assigned.user, at: now, visit: logged.id, how: assigned.how, ...(assigned.how === 'manual' ? { by: ctx.actor.userId } : {}) },
      ];
      await rotationRepository.add(trx, team.id, day, added);
      const after = rotationState([...events, ...added], now);
      return { id: logged.id, customer: logged.customer, assigned, called: calledToFrontDesk(before, after, now), desk: frontDesk(after, now) };
    });
    if ('duplicate' in result) {
      const existing = ctx.request.requestKey ? await contactRepository.findByRequestKey(db, ctx.request.requestKey) : null;
      return answer(textMessage(t(lang, 'visit.duplicate', { id: existing?.id ?? '?' })));
    }
    if ('error' in result && result.error) {
      return answerError({ key: result.error, params: { user: mention('user' in result ? (result.user ?? '') : '') }, usage: 'usage.visit' }, lang);
    }
    if (!('assigned' in result)) throw new Error('visit: no outcome');
    const { id, assigned } = result;
    // The name as typed: the front desk (and a colleague receiving on someone's behalf) never
    // learns the name stored for a number that is another consultant's customer.
    const customer = d.customerName;
    const how = t(lang, `visit.how.${assigned.how}`, { owner: owner ? mention(owner) : '' });
    logger.info({ teamId: team.id, visit: id, how: assigned.how, forfeits: assigned.forfeits.length }, 'walk-in assigned');
    const notices: Outgoing[] = [];
    // The receiver's DM carries the Done button, also when they registered the visit
    // themselves: the reply may be gone (ephemeral) by the time the reception ends.
    notices.push(
      dm(assigned.user, {
        text: t(lang, 'visit.toYou', { id, customer, how }),
        blocks: [
          { kind: 'text', text: t(lang, 'visit.toYou', { id, customer, how }) },
          { kind: 'buttons', buttons: [{ label: t(lang, 'visit.button.done', { id }), command: `done ${id}`, style: 'primary' }] },
        ],
        lang,
      }),
    );
    if ((assigned.how === 'behalf' || assigned.how === 'manual') && owner && owner !== assigned.user) {
      notices.push(dm(owner, textMessage(t(lang, 'visit.toOwner', { customer: result.customer.name, id, user: mention(assigned.user) }))));
    }
    for (const user of assigned.forfeits) notices.push(dm(user, textMessage(t(lang, 'visit.forfeited'))));
    // The third calls the fourth: whoever has just become one of the three at the desk is asked to come.
    for (const user of result.called) notices.push(dm(user, textMessage(t(lang, 'visit.calledToDesk', { users: result.desk.map(mention).join('、') }))));
    return answer(textMessage(t(lang, 'visit.assigned', { id, customer, user: mention(assigned.user), how })), notices);
  }

  async function done(ctx: Context, id: number | null): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const { now, day, state } = await today(team);
    const mine = state.order.find((c) => c.user === ctx.actor.userId)?.receiving ?? null;
    // Without an id: your own reception. With one: yours, or anyone's for a supervisor.
    const receiver = id === null ? (mine ? ctx.actor.userId : null) : (state.order.find((c) => c.receiving?.visit === id)?.user ?? null);
    if (receiver === null) return answerError({ key: id === null ? 'done.none' : 'done.notYours', params: { id: id ?? '' }, usage: 'usage.done' }, lang);
    if (receiver !== ctx.actor.userId && !isSupervisor(ctx)) return answerError({ key: 'done.notYours', params: { id: id ?? '' }, usage: 'usage.done' }, lang);
    const visit = state.order.find((c) => c.user === receiver)!.receiving!.visit;
    await record(team, day, [{ kind: 'done', user: receiver, at: now, visit }]);
    return answer(textMessage(t(lang, 'done.ok', { id: visit })));
  }

  return Object.freeze({ run });
}

/** `/cs rotation`: who is next, the front desk, who is receiving and away, today's forfeits. */
function rotationMessage(team: Team, lang: Lang, day: string, state: RotationState, now: number): Message {
  const title = t(lang, 'rotation.title', { team: team.name, day });
  if (state.order.length === 0) return { text: title, blocks: [{ kind: 'header', text: title }, { kind: 'text', text: t(lang, 'rotation.empty') }], lang };
  const next = nextInRotation(state, now);
  const lines = [
    next.user ? t(lang, 'rotation.next', { user: mention(next.user) }) : t(lang, 'rotation.nobodyNext'),
    t(lang, 'rotation.frontDesk', { users: frontDesk(state, now).map(mention).join('、') || '—' }),
    t(lang, 'rotation.order', { users: state.order.map((c) => mention(c.user)).join(' → ') }),
    ...state.order.filter((c) => c.receiving).map((c) => t(lang, 'rotation.receiving', { user: mention(c.user), id: c.receiving!.visit, since: hhmm(team, c.receiving!.since) })),
    ...state.order.filter((c) => c.awayUntil !== null).map((c) => t(lang, 'rotation.awayLine', { user: mention(c.user), until: hhmm(team, c.awayUntil!) })),
    ...(state.forfeits.length
      ? [t(lang, 'rotation.forfeits', { list: state.forfeits.map((f) => `${mention(f.user)} ${hhmm(team, f.at)}${f.reason ? `（${f.reason}）` : ''}`).join('，') })]
      : []),
  ];
  return { text: `${title}\n${lines.join('\n')}`, blocks: [{ kind: 'header', text: title }, { kind: 'list', items: lines }], lang };
}

export type Rotation = ReturnType<typeof createRotation>;
