import { DateTime } from 'luxon';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import { waitingVisitorRepository, type WaitingVisitor } from '../../../db/repositories/waiting-visitors';
import { formatDuration } from '../../core/time/duration';
import type { FrontDeskCommand } from '../../core/grammar/front-desk-commands';
import type { Team } from '../../core/model';
import { calledToFrontDesk, frontDesk, nextForWaiting, nextInRotation, rotationState, type RotationState } from '../../core/rotation';
import { textMessage, type Message, type Outgoing } from '../../chat/message';
import { t, type Lang } from '../../i18n';
import { mention } from '../commands/mention';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import { dayOf, inLockedDay, type LockedDay } from './day';
import { createWalkIns } from './walk-ins';

export { dayOf } from './day';

type RotationCommand = Extract<FrontDeskCommand, { kind: 'checkin' | 'checkout' | 'away' | 'back' | 'rotation' | 'rotationSkip' | 'rotationMove' | 'visit' | 'visitCancel' | 'done' }>;

const hhmm = (team: Team, ms: number) => DateTime.fromMillis(ms).setZone(team.zone).toFormat('HH:mm');
const dm = (user: string, message: Message): Outgoing => ({ to: { kind: 'dm', user }, message });
const isSupervisor = (ctx: Context) => ctx.actor.role !== 'specialist';

/**
 * The sales office's rotation (轮序接待): signing in and out, lunch, who is next, walk-ins
 * assigned by the rules in core/rotation.ts (or waiting for the first consultant free), and a
 * supervisor's corrections, each recorded as an event of the team's day so the order can be
 * rebuilt and audited. Whatever can change who receives a visitor is decided under the
 * rotation's lock (see inLockedDay).
 */
export function createRotation(deps: CommandServiceDeps) {
  const { db, clock } = deps;
  const walkIns = createWalkIns(deps);

  async function today(team: Team) {
    const now = clock.now();
    const day = dayOf(team, now);
    const events = await rotationRepository.day(db, team.id, day);
    return { now: now.toMillis(), day, events, state: rotationState(events, now.toMillis()) };
  }
  const placeOf = (state: RotationState, user: string) => state.order.findIndex((c) => c.user === user) + 1;
  const locked = <T>(team: Team, work: (day: LockedDay) => Promise<T>) => inLockedDay(db, clock, team, work);

  async function run(ctx: Context, command: RotationCommand): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const me = ctx.actor.userId;
    const say = (key: Parameters<typeof t>[1], params: Record<string, string | number> = {}) => answer(textMessage(t(lang, key, params)));
    switch (command.kind) {
      case 'checkin': {
        // Signing in frees a consultant: the longest-waiting visitor, if any, is theirs by the rotation.
        const result = await locked(team, async (day) => {
          const place = placeOf(day.state(), me);
          if (place > 0) return { already: true as const, place };
          await day.record([{ kind: 'checkin', user: me, at: day.at }]);
          return { already: false as const, place: placeOf(day.state(), me), change: await walkIns.admitAfter(day, team) };
        });
        if (result.already) return say('rotation.alreadyIn', { place: result.place });
        return answer(textMessage(t(lang, 'rotation.checkedIn', { place: result.place })), walkIns.notices(lang, result.change));
      }
      case 'checkout':
        return locked(team, async (day) => {
          const before = day.state();
          const c = before.order.find((x) => x.user === me);
          if (!c) return say('rotation.notIn');
          if (c.receiving) return answerError({ key: 'rotation.stillReceiving', params: { id: c.receiving.visit }, usage: 'usage.done' }, lang);
          await day.record([{ kind: 'checkout', user: me, at: day.at }]);
          return answer(textMessage(t(lang, 'rotation.checkedOut')), calledAfter(lang, before, day));
        });
      case 'away': {
        const result = await locked(team, async (day) => {
          const before = day.state();
          if (placeOf(before, me) === 0) return null;
          const until = day.at + command.seconds * 1000;
          await day.record([{ kind: 'away', user: me, at: day.at, until }]);
          return { until, called: calledAfter(lang, before, day) };
        });
        if (!result) return say('rotation.notIn');
        return answer(textMessage(t(lang, 'rotation.away', { until: hhmm(team, result.until) })), result.called);
      }
      case 'back': {
        // Back from lunch: free again, and the longest-waiting visitor, if any, goes by the rotation.
        const result = await locked(team, async (day) => {
          const place = placeOf(day.state(), me);
          if (place === 0) return null;
          await day.record([{ kind: 'back', user: me, at: day.at }]);
          return { place, change: await walkIns.admitAfter(day, team) };
        });
        if (!result) return say('rotation.notIn');
        return answer(textMessage(t(lang, 'rotation.back', { place: result.place })), walkIns.notices(lang, result.change));
      }
      case 'rotation':
        return board(team, lang);
      case 'rotationSkip':
      case 'rotationMove': {
        if (!isSupervisor(ctx)) return answerError({ key: 'err.notSupervisorRotation', usage: 'usage.rotation' }, lang);
        const user = command.user.id;
        // Read and written under the rotation's lock, like every other change of the day's order.
        return locked(team, async (day) => {
          const before = day.state();
          if (placeOf(before, user) === 0) return answerError({ key: 'rotation.notSignedIn', params: { user: mention(user) }, usage: 'usage.rotation' }, lang);
          if (command.kind === 'rotationSkip') {
            await day.record([{ kind: 'forfeit', user, at: day.at, by: me, reason: command.reason }]);
            return answer(textMessage(t(lang, 'rotation.skipped', { user: mention(user), reason: command.reason })), calledAfter(lang, before, day));
          }
          await day.record([{ kind: 'move', user, at: day.at, place: command.place, by: me, reason: command.reason }]);
          const place = Math.min(command.place, before.order.length);
          return answer(textMessage(t(lang, 'rotation.moved', { user: mention(user), place, reason: command.reason })), calledAfter(lang, before, day));
        });
      }
      case 'visit':
        return walkIns.visit(ctx, command.fields, command.for);
      case 'visitCancel':
        return walkIns.cancel(ctx, command.number);
      case 'done':
        return done(ctx, command.id);
    }
  }

  /** Whoever has just become one of the three at the desk (someone left it) is asked to come. */
  function calledAfter(lang: Lang, before: RotationState, day: LockedDay): Outgoing[] {
    const desk = frontDesk(day.state(), day.at);
    return calledToFrontDesk(before, day.state(), day.at).map((user) => dm(user, textMessage(t(lang, 'visit.calledToDesk', { users: desk.map(mention).join('、') }))));
  }

  /** `/cs rotation`; a consultant free by the clock (lunch over) while visitors wait receives the longest-waiting first. */
  async function board(team: Team, lang: Lang): Promise<CommandOutcome> {
    let read = await today(team);
    let notices: Outgoing[] = [];
    if (nextForWaiting(read.state, read.now)) {
      notices = walkIns.notices(lang, await locked(team, (day) => walkIns.admitAfter(day, team)));
      read = await today(team);
    }
    const waiting = read.state.waiting.length > 0 ? await waitingVisitorRepository.ofDay(db, team.id, read.day) : new Map<number, WaitingVisitor>();
    return answer(rotationMessage(team, lang, read.day, read.state, read.now, waiting), notices);
  }

  async function done(ctx: Context, id: number | null): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    return locked(team, async (day) => {
      const state = day.state();
      const mine = state.order.find((c) => c.user === ctx.actor.userId)?.receiving ?? null;
      // Without an id: your own reception. With one: yours, or anyone's for a supervisor.
      const receiver = id === null ? (mine ? ctx.actor.userId : null) : (state.order.find((c) => c.receiving?.visit === id)?.user ?? null);
      const refused = (key: 'done.none' | 'done.notYours') => answerError({ key, params: { id: id ?? '' }, usage: 'usage.done' }, lang);
      if (receiver === null) return refused(id === null ? 'done.none' : 'done.notYours');
      if (receiver !== ctx.actor.userId && !isSupervisor(ctx)) return refused('done.notYours');
      const visit = state.order.find((c) => c.user === receiver)!.receiving!.visit;
      await day.record([{ kind: 'done', user: receiver, at: day.at, visit }]);
      // Free again: the longest-waiting visitor, if any, goes by the rotation.
      return answer(textMessage(t(lang, 'done.ok', { id: visit })), walkIns.notices(lang, await walkIns.admitAfter(day, team)));
    });
  }

  /**
   * Visitors waiting while a consultant became free by the clock alone (their lunch ended
   * without `/cs back`): received now, by the rotation, with the same notices a command sends.
   * Run every minute for the teams with someone waiting; a second replica finds nothing left.
   */
  async function admitFreedByClock(): Promise<Outgoing[]> {
    const since = clock.now().minus({ days: 1 }).toJSDate();
    const teams = await teamRepository.findByIds(db, await waitingVisitorRepository.teamsWithWaiting(db, deps.platform, since));
    const out: Outgoing[] = [];
    for (const team of teams) {
      const read = await today(team);
      if (!nextForWaiting(read.state, read.now)) continue;
      out.push(...walkIns.notices(team.lang, await locked(team, (day) => walkIns.admitAfter(day, team))));
    }
    return out;
  }

  return Object.freeze({ run, admitFreedByClock });
}

/** `/cs rotation`: who is next, the front desk, who is receiving and away, who is waiting and how long, today's forfeits. */
function rotationMessage(team: Team, lang: Lang, day: string, state: RotationState, now: number, visitors: ReadonlyMap<number, WaitingVisitor>): Message {
  const title = t(lang, 'rotation.title', { team: team.name, day });
  if (state.order.length === 0)
    return {
      text: title,
      blocks: [
        { kind: 'header', text: title },
        { kind: 'text', text: t(lang, 'rotation.empty') },
      ],
      lang,
    };
  const next = nextInRotation(state, now);
  const lines = [
    next.user ? t(lang, 'rotation.next', { user: mention(next.user) }) : t(lang, 'rotation.nobodyNext'),
    t(lang, 'rotation.frontDesk', { users: frontDesk(state, now).map(mention).join('、') || '—' }),
    t(lang, 'rotation.order', { users: state.order.map((c) => mention(c.user)).join(' → ') }),
    ...state.order.filter((c) => c.receiving).map((c) => t(lang, 'rotation.receiving', { user: mention(c.user), id: c.receiving!.visit, since: hhmm(team, c.receiving!.since) })),
    ...state.order.filter((c) => c.awayUntil !== null).map((c) => t(lang, 'rotation.awayLine', { user: mention(c.user), until: hhmm(team, c.awayUntil!) })),
    // The name as the front desk typed it; never a phone number.
    ...state.waiting.map((w) =>
      t(lang, 'rotation.waitingLine', { no: `W${w.waiting}`, customer: visitors.get(w.waiting)?.customerName ?? '', since: hhmm(team, w.since), waited: formatDuration(now - w.since, lang) }),
    ),
    ...(state.forfeits.length ? [t(lang, 'rotation.forfeits', { list: state.forfeits.map((f) => `${mention(f.user)} ${hhmm(team, f.at)}${f.reason ? `（${f.reason}）` : ''}`).join('，') })] : []),
  ];
  return {
    text: `${title}\n${lines.join('\n')}`,
    blocks: [
      { kind: 'header', text: title },
      { kind: 'list', items: lines },
    ],
    lang,
  };
}

export type Rotation = ReturnType<typeof createRotation>;
