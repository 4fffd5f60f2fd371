import { DateTime } from 'luxon';
import type { Db } from '../../../db/database';
import { contactRepository } from '../../../db/repositories/contacts';
import { customerRepository } from '../../../db/repositories/customers';
import { teamRepository } from '../../../db/repositories/teams';
import { waitingVisitorRepository, type WaitingVisitor } from '../../../db/repositories/waiting-visitors';
import type { LogFields } from '../../core/grammar/commands';
import { draftContact } from '../../core/contact-draft';
import { contactDeadlines } from '../../core/time/deadlines';
import { formatDuration } from '../../core/time/duration';
import { calendarOf, type Team } from '../../core/model';
import { maskPhone } from '../../core/phone';
import { planNags } from '../../core/nag-plan';
import { assignVisit, calledToFrontDesk, frontDesk, isFree, nextForWaiting, type RotationEvent, type RotationState, type VisitKind } from '../../core/rotation';
import type { UserRef } from '../../core/grammar/team-commands';
import { textMessage, type Outgoing } from '../../chat/message';
import { t, type Lang } from '../../i18n';
import { mention } from '../commands/mention';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import { inLockedDay, type LockedDay } from './day';

/** A walk-in received: the visit contact, who receives them and how, and whom to tell. */
export interface Reception {
  readonly id: number;
  /** The name as the front desk typed it. */
  readonly customer: string;
  /** The name the customer is stored under, for their own consultant only. */
  readonly storedName: string;
  readonly user: string;
  readonly how: VisitKind;
  /** An existing customer's consultant. */
  readonly owner: string | null;
  readonly forfeits: readonly string[];
  /** Set when they had waited: their number, who registered them, since when (epoch ms), received when. */
  readonly waited: { readonly no: number; readonly by: string; readonly since: number; readonly at: number } | null;
}

/** What changed at the front desk: the receptions, and who has just become one of the three at the desk. */
export interface DeskChange {
  readonly receptions: readonly Reception[];
  readonly called: readonly string[];
  readonly desk: readonly string[];
}

const dm = (user: string, text: string): Outgoing => ({ to: { kind: 'dm', user }, message: textMessage(text) });
const waitingNo = (n: number) => `W${n}`;

/**
 * Walk-ins (来访): each is assigned by the rotation's rules as it comes in, or, when every
 * consultant is receiving or away, waits (候客) until the first consultant who becomes free
 * receives the one who has waited longest. All of it happens under the rotation's lock.
 */
export function createWalkIns(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;

  /** The existing customer a walk-in is (by phone, else by a name only one customer of the team has), and their consultant. */
  async function ownerOf(through: Db, team: Team, name: string, phone: string | null): Promise<string | null> {
    // By name: one known from a call before the number was taken.
    const byName = () =>
      customerRepository.search(through, team.id, { name }, null, 3).then((found) => {
        const exact = found.filter((c) => c.name === name);
        return exact.length === 1 ? exact[0]! : null;
      });
    const customer = (phone ? await customerRepository.findByPhone(through, team.id, phone) : null) ?? (await byName());
    if (!customer) return null;
    // A consultant who left (handed over) owns nobody any more.
    const member = await teamRepository.memberOf(through, team.id, customer.ownerUserId);
    return member && member.active !== false ? customer.ownerUserId : null;
  }

  /**
   * Writes the visit contact of a reception and records it in the rotation (with the turns it
   * forfeited). Its call-back clock runs from the visitor's arrival, as `/cs log visit` does; the
   * reception is its first response. Null when the request's key was taken (a retry).
   */
  async function receive(
    day: LockedDay,
    team: Team,
    v: { loggedBy: string; customerName: string; phone: string | null; note: string; arrivedAt: DateTime; owner: string | null; requestKey: string | null },
    picked: { user: string; how: VisitKind; forfeits: readonly string[] },
    waiting: WaitingVisitor | null,
  ): Promise<Reception | null> {
    const due = contactDeadlines(team, 'visit', v.arrivedAt, deps.holidays, null);
    const deadlines = due.ok ? due.value : { response: null, resolution: null, guessedYears: [] };
    const logged = await contactRepository.logWithCustomer(day.trx, {
      teamId: team.id,
      platform: team.platform,
      loggedBy: v.loggedBy,
      // A new customer belongs to the consultant who receives them; an existing one stays their owner's.
      ownerForNew: v.owner ?? picked.user,
      channel: 'visit',
      receivedAt: v.arrivedAt,
      loggedAt: v.arrivedAt,
      note: v.note,
      firstResponseDueAt: null,
      resolutionDueAt: deadlines.resolution?.dueAt ?? null,
      // A visit's first response is the reception itself.
      firstRespondedAt: day.now,
      status: 'responded',
      requestKey: v.requestKey,
      level: null,
      category: null,
      customerName: v.customerName,
      phone: v.phone,
      eventAfter: {
        channel: 'visit',
        receivedAt: v.arrivedAt.toISO(),
        note: v.note,
        receivedBy: picked.user,
        how: picked.how,
        by: v.loggedBy,
        ...(waiting ? { waited: waitingNo(waiting.number), receptionAt: day.now.toISO() } : {}),
      },
      nags: planNags(deadlines, v.arrivedAt, day.now, team.settings, calendarOf(team), deps.holidays, true),
    });
    if (!logged) return null;
    await day.record([
      ...picked.forfeits.map((user): RotationEvent => ({ kind: 'forfeit', user, at: day.at })),
      {
        kind: 'visit',
        user: picked.user,
        at: day.at,
        visit: logged.id,
        how: picked.how,
        ...(picked.how === 'manual' ? { by: v.loggedBy } : {}),
        ...(waiting ? { waiting: waiting.number } : {}),
      },
    ]);
    if (waiting) await waitingVisitorRepository.received(day.trx, waiting.id, logged.id);
    return {
      id: logged.id,
      customer: v.customerName,
      storedName: logged.customer.name,
      user: picked.user,
      how: picked.how,
      owner: v.owner,
      forfeits: picked.forfeits,
      waited: waiting ? { no: waiting.number, by: waiting.loggedBy, since: waiting.arrivedAt.getTime(), at: day.at } : null,
    };
  }

  /**
   * Receives waiting visitors while a consultant is free, the longest-waiting first: called
   * after whatever can free someone (done, back, sign-in, lunch over by the clock).
   */
  async function admitWaiting(day: LockedDay, team: Team): Promise<Reception[]> {
    const receptions: Reception[] = [];
    let visitors: Map<number, WaitingVisitor> | null = null;
    for (let next = nextForWaiting(day.state(), day.at); next; next = nextForWaiting(day.state(), day.at)) {
      visitors ??= await waitingVisitorRepository.ofDay(day.trx, team.id, day.day);
      const v = visitors.get(next.visitor.waiting);
      if (!v) throw new Error(`waiting visitor ${next.visitor.waiting} has no record`);
      // Their consultant as of now: a handover since they came in moved the customer.
      const owner = await ownerOf(day.trx, team, v.customerName, v.phone);
      const input = { loggedBy: v.loggedBy, customerName: v.customerName, phone: v.phone, note: v.note, arrivedAt: DateTime.fromJSDate(v.arrivedAt), owner, requestKey: null };
      const reception = await receive(day, team, input, next, v);
      if (!reception) throw new Error('a waiting visitor was received twice');
      receptions.push(reception);
      logger.info({ teamId: team.id, visit: reception.id, how: reception.how, waitedMs: day.at - v.arrivedAt.getTime() }, 'waiting visitor received');
    }
    return receptions;
  }

  /** Who has just become one of the three at the desk between `before` and the day as it is now. */
  const deskChange = (day: LockedDay, before: RotationState, receptions: readonly Reception[]): DeskChange => ({
    receptions,
    called: calledToFrontDesk(before, day.state(), day.at),
    desk: frontDesk(day.state(), day.at),
  });

  /** `admitWaiting` with who it calls to the desk, for a command whose own change frees someone. */
  async function admitAfter(day: LockedDay, team: Team): Promise<DeskChange> {
    const before = day.state();
    return deskChange(day, before, await admitWaiting(day, team));
  }

  /** The DMs a change at the desk sends: the receiver (with a Done button), the owner, forfeits, the front desk, the next to the desk. */
  function notices(lang: Lang, change: DeskChange): Outgoing[] {
    const out: Outgoing[] = [];
    for (const r of change.receptions) {
      const how = t(lang, `visit.how.${r.how}`, { owner: r.owner ? mention(r.owner) : '' });
      const text = r.waited
        ? t(lang, 'visit.toYouWaited', { id: r.id, customer: r.customer, how, waited: formatDuration(r.waited.at - r.waited.since, lang) })
        : t(lang, 'visit.toYou', { id: r.id, customer: r.customer, how });
      // Also when they registered the visit themselves: the reply may be gone (ephemeral) by the time the reception ends.
      out.push({
        to: { kind: 'dm', user: r.user },
        message: {
          text,
          blocks: [
            { kind: 'text', text },
            { kind: 'buttons', buttons: [{ label: t(lang, 'visit.button.done', { id: r.id }), command: `done ${r.id}`, style: 'primary' }] },
          ],
          lang,
        },
      });
      if ((r.how === 'behalf' || r.how === 'manual') && r.owner && r.owner !== r.user) {
        out.push(dm(r.owner, t(lang, 'visit.toOwner', { customer: r.storedName, id: r.id, user: mention(r.user) })));
      }
      for (const user of r.forfeits) out.push(dm(user, t(lang, 'visit.forfeited')));
      if (r.waited && r.waited.by !== r.user) {
        out.push(dm(r.waited.by, t(lang, 'visit.waitingReceived', { no: waitingNo(r.waited.no), customer: r.customer, user: mention(r.user), id: r.id, how })));
      }
    }
    // The third calls the fourth: whoever has just become one of the three at the desk is asked to come.
    for (const user of change.called) out.push(dm(user, t(lang, 'visit.calledToDesk', { users: change.desk.map(mention).join('、') })));
    return out;
  }

  /** A retried request: the visit it logged, or the visitor it put on the waiting list. */
  async function again(key: string | undefined, lang: Lang): Promise<CommandOutcome | null> {
    if (!key) return null;
    const contact = await contactRepository.findByRequestKey(db, key);
    if (contact) return answer(textMessage(t(lang, 'visit.duplicate', { id: contact.id })));
    const waiting = await waitingVisitorRepository.findByRequestKey(db, key);
    if (!waiting) return null;
    return answer(textMessage(waiting.contactId ? t(lang, 'visit.duplicate', { id: waiting.contactId }) : t(lang, 'visit.alreadyWaiting', { no: waitingNo(waiting.number) })));
  }

  async function visit(ctx: Context, fields: LogFields, forUser: UserRef | null): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const me = ctx.actor.userId;
    if (forUser && ctx.actor.role === 'specialist') return answerError({ key: 'err.notSupervisorRotation', usage: 'usage.visit' }, lang);
    // A walk-in is logged as it happens: it takes today's turn. An earlier visit is `/cs log visit … at …`.
    if (fields.at) return answerError({ key: 'visit.noAt', usage: 'usage.visit' }, lang);
    const draft = draftContact({ ...fields, channel: 'visit' }, team.zone, clock.now());
    if (!draft.ok) return answerError({ ...draft.error, usage: 'usage.visit' }, lang);
    const d = draft.value;
    const key = ctx.request.requestKey;
    const retried = await again(key, lang);
    if (retried) return retried;
    const owner = await ownerOf(db, team, d.customerName, d.phone);
    const result = await inLockedDay(db, clock, team, async (day) => {
      const before = day.state();
      // Only the front desk (consultants signed in today) and supervisors register walk-ins: the
      // answer says whose customer a number is, which nobody else at the office may learn by asking.
      if (ctx.actor.role === 'specialist' && !before.order.some((c) => c.user === me)) return { refused: true as const, change: deskChange(day, before, []), own: null };
      // Those already waiting go first: someone free by the clock (lunch over) receives them before this one.
      const admitted = await admitWaiting(day, team);
      const decided = (outcome: { error?: 'visit.forNotIn' | 'visit.nobodySignedIn'; duplicate?: true; waiting?: { no: number; place: number } }, own?: Reception) => ({
        ...outcome,
        change: deskChange(day, before, own ? [...admitted, own] : admitted),
        own: own ?? null,
      });
      const state = day.state();
      let picked: { user: string; how: VisitKind; forfeits: readonly string[] } | null;
      if (forUser) {
        if (!isFree(state, forUser.id, day.at)) return decided({ error: 'visit.forNotIn' });
        picked = { user: forUser.id, how: 'manual', forfeits: [] };
      } else {
        if (state.order.length === 0) return decided({ error: 'visit.nobodySignedIn' });
        const next = assignVisit(state, day.at, owner);
        picked = next.user === null ? null : next;
      }
      const v = { loggedBy: me, customerName: d.customerName, phone: d.phone, note: d.note, arrivedAt: day.now, owner, requestKey: key ?? null };
      if (picked === null) {
        // Every consultant is receiving or away: the visitor waits, and is logged once received.
        const waiting = await waitingVisitorRepository.add(day.trx, { ...v, teamId: team.id, day: day.day, ownerUserId: owner });
        if (!waiting) return decided({ duplicate: true });
        await day.record([{ kind: 'wait', user: me, at: day.at, waiting: waiting.number, owner }]);
        return decided({ waiting: { no: waiting.number, place: day.state().waiting.length } });
      }
      const own = await receive(day, team, v, picked, null);
      return own ? decided({}, own) : decided({ duplicate: true });
    });
    if ('refused' in result) {
      logger.info({ teamId: team.id, userId: me }, 'walk-in refused: not at the front desk');
      return answerError({ key: 'visit.notAtDesk', usage: 'usage.visit' }, lang);
    }
    const notes = notices(lang, result.change);
    if (result.duplicate) return { ...((await again(key, lang)) ?? answer(textMessage(t(lang, 'visit.duplicate', { id: '?' })))), notices: notes };
    if (result.error) return { ...answerError({ key: result.error, params: { user: mention(forUser?.id ?? '') }, usage: 'usage.visit' }, lang), notices: notes };
    if (result.waiting) {
      logger.info({ teamId: team.id, waiting: result.waiting.no, place: result.waiting.place }, 'walk-in waiting');
      return answer(textMessage(t(lang, 'visit.waiting', { customer: d.customerName, no: waitingNo(result.waiting.no), place: result.waiting.place })), notes);
    }
    const own = result.own!;
    logger.info({ teamId: team.id, visit: own.id, how: own.how, forfeits: own.forfeits.length }, 'walk-in assigned');
    // The name as typed: the front desk (and a colleague receiving on someone's behalf) never
    // learns the name stored for a number that is another consultant's customer.
    const how = t(lang, `visit.how.${own.how}`, { owner: own.owner ? mention(own.owner) : '' });
    const assigned = t(lang, 'visit.assigned', { id: own.id, customer: own.customer, user: mention(own.user), how });
    // The line was read in a way worth telling (a name of several words, a phone found elsewhere): say how.
    const readAs = d.readAs ? `\n${t(lang, 'log.readAs', { name: d.customerName, phone: d.phone ? maskPhone(d.phone) : '—', note: d.note || '—' })}` : '';
    return answer(textMessage(assigned + readAs), notes);
  }

  /** `/cs visit cancel W2`: a waiting visitor left without being received. */
  async function cancel(ctx: Context, number: number): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const no = waitingNo(number);
    const gone = await inLockedDay(db, clock, team, async (day) => {
      if (!day.state().waiting.some((w) => w.waiting === number)) return null;
      const visitor = (await waitingVisitorRepository.ofDay(day.trx, team.id, day.day)).get(number)!;
      await day.record([{ kind: 'left', user: ctx.actor.userId, at: day.at, waiting: number }]);
      await waitingVisitorRepository.left(day.trx, visitor.id, day.now);
      return visitor;
    });
    if (!gone) return answerError({ key: 'visit.notWaiting', params: { no }, usage: 'usage.visit' }, lang);
    logger.info({ teamId: team.id, waiting: number }, 'waiting visitor left');
    return answer(textMessage(t(lang, 'visit.cancelled', { no, customer: gone.customerName })));
  }

  return Object.freeze({ visit, cancel, admitAfter, notices });
}

export type WalkIns = ReturnType<typeof createWalkIns>;
