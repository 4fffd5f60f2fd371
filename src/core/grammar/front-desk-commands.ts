import type { LogFields } from './command-parts';
import { isDayWord } from '../time/days';
import { durationWithin } from '../time/duration-bounds';
import { fail, ok, type Result } from '../result';
import { DEFAULT_AWAY_MINUTES } from '../rotation';
import { mentionError, parseUserRef, type UserRef } from './command-parts';

/** The front desk: the rotation, walk-ins, cover and handover. */
export type FrontDeskCommand =
  | { readonly kind: 'checkin' }
  | { readonly kind: 'checkout' }
  | { readonly kind: 'away'; readonly seconds: number }
  | { readonly kind: 'back' }
  | { readonly kind: 'rotation' }
  | { readonly kind: 'rotationSkip'; readonly user: UserRef; readonly reason: string }
  | { readonly kind: 'rotationMove'; readonly user: UserRef; readonly place: number; readonly reason: string }
  | { readonly kind: 'visit'; readonly fields: LogFields; readonly for: UserRef | null }
  /** A waiting visitor (W<number>) who left without being received. */
  | { readonly kind: 'visitCancel'; readonly number: number }
  | { readonly kind: 'done'; readonly id: number | null }
  /** `until`: the cover's last day as typed (YYYY-MM-DD, 明天, 周五 …) until the command service resolves it to YYYY-MM-DD. */
  | { readonly kind: 'cover'; readonly from: UserRef; readonly to: UserRef; readonly until: string | null }
  | { readonly kind: 'coverEnd'; readonly from: UserRef }
  | { readonly kind: 'handover'; readonly from: UserRef; readonly to: readonly UserRef[] };

export const FRONT_DESK_VERBS: Readonly<Record<string, FrontDeskCommand['kind'] | 'rotationVerb' | 'coverVerb'>> = {
  checkin: 'checkin',
  'check-in': 'checkin',
  签到: 'checkin',
  checkout: 'checkout',
  'check-out': 'checkout',
  签退: 'checkout',
  away: 'away',
  lunch: 'away',
  用餐: 'away',
  离开: 'away',
  午餐: 'away',
  back: 'back',
  回来: 'back',
  返回: 'back',
  rotation: 'rotationVerb',
  轮序: 'rotationVerb',
  轮岗: 'rotationVerb',
  visit: 'visit',
  来访: 'visit',
  done: 'done',
  接待完毕: 'done',
  完毕: 'done',
  cover: 'coverVerb',
  代班: 'coverVerb',
  handover: 'handover',
  离职交接: 'handover',
  交接: 'handover',
};

/** Away at most this long (a half day): longer is leave, which is cover's business. */
const AWAY_MAX_SECONDS = 4 * 3600;
const REASON_MAX = 200;
/** `/cs visit cancel W2`: the waiting visitor left (a customer is never called 取消). */
const VISIT_CANCEL = ['cancel', 'left', '取消', '离开'];

/**
 * Parses a front-desk command from its words, the verb first. `rest(i)` is the text from
 * word i on as typed (a reason); `visitLine(words)` reads a visit's customer, phone and note
 * the way `/cs log visit …` does.
 */
export function parseFrontDeskCommand(words: readonly string[], rest: (from: number) => string, visitLine: (lastWord: number) => Result<LogFields>): Result<FrontDeskCommand> {
  const verb = FRONT_DESK_VERBS[(words[0] ?? '').toLowerCase()];
  const args = words.slice(1);
  const none = (kind: 'checkin' | 'checkout' | 'back', usage: 'usage.checkin' | 'usage.away'): Result<FrontDeskCommand> =>
    args.length === 0 ? ok({ kind }) : fail({ key: 'err.unexpectedWord', params: { word: args[0]! }, usage });
  switch (verb) {
    case 'checkin':
    case 'checkout':
      return none(verb, 'usage.checkin');
    case 'back':
      return none('back', 'usage.away');
    case 'away': {
      if (args.length > 1) return fail({ key: 'err.unexpectedWord', params: { word: args[1]! }, usage: 'usage.away' });
      if (args[0] === undefined) return ok({ kind: 'away', seconds: DEFAULT_AWAY_MINUTES * 60 });
      const away = durationWithin(args[0], 60, AWAY_MAX_SECONDS);
      return away.ok ? ok({ kind: 'away', seconds: away.seconds }) : fail({ key: 'err.badAway', params: { value: args[0] }, usage: 'usage.away' });
    }
    case 'rotationVerb': {
      const sub = (args[0] ?? '').toLowerCase();
      if (sub === '') return ok({ kind: 'rotation' });
      if (['skip', '轮空', '跳过'].includes(sub)) {
        const user = parseUserRef(args[1] ?? '', { bareId: true });
        if (!user) return fail(mentionError(args[1], 'usage.rotation'));
        const reason = rest(3).trim();
        if (!reason) return fail({ key: 'err.missingReason', usage: 'usage.rotation' });
        return reason.length > REASON_MAX ? fail({ key: 'err.reasonTooLong', params: { max: REASON_MAX }, usage: 'usage.rotation' }) : ok({ kind: 'rotationSkip', user, reason });
      }
      if (['move', '调整', '移动'].includes(sub)) {
        const user = parseUserRef(args[1] ?? '', { bareId: true });
        if (!user) return fail(mentionError(args[1], 'usage.rotation'));
        const place = /^\d{1,3}$/.test(args[2] ?? '') ? Number(args[2]) : 0;
        if (place < 1) return fail({ key: 'err.badPlace', params: { value: args[2] ?? '' }, usage: 'usage.rotation' });
        const reason = rest(4).trim();
        if (!reason) return fail({ key: 'err.missingReason', usage: 'usage.rotation' });
        return reason.length > REASON_MAX ? fail({ key: 'err.reasonTooLong', params: { max: REASON_MAX }, usage: 'usage.rotation' }) : ok({ kind: 'rotationMove', user, place, reason });
      }
      return fail({ key: 'err.unexpectedWord', params: { word: args[0]! }, usage: 'usage.rotation' });
    }
    case 'visit': {
      if (args.length === 0) return fail({ key: 'err.missingCustomer', usage: 'usage.visit' });
      if (VISIT_CANCEL.includes(args[0]!.toLowerCase())) {
        if (args.length > 2) return fail({ key: 'err.unexpectedWord', params: { word: args[2]! }, usage: 'usage.visit' });
        const m = /^[Ww](\d{1,6})$/.exec(args[1] ?? '');
        return m ? ok({ kind: 'visitCancel', number: Number(m[1]) }) : fail({ key: 'err.badWaiting', params: { value: args[1] ?? '' }, usage: 'usage.visit' });
      }
      // `… for @user` at the end: a supervisor assigns the visit by hand.
      // Only a mention counts (`for @ben`): `looking for parking` is a note.
      const last = words[words.length - 1] ?? '';
      const forAt = words.length >= 3 && ['for', '给', '由'].includes((words[words.length - 2] ?? '').toLowerCase()) && /^(<@|[@＠])/.test(last) ? words.length - 2 : -1;
      const forUser = forAt >= 0 ? parseUserRef(last) : null;
      if (forAt >= 0 && !forUser) return fail(mentionError(last, 'usage.visit'));
      const fields = visitLine(forAt >= 0 ? forAt : words.length);
      return fields.ok ? ok({ kind: 'visit', fields: fields.value, for: forUser }) : fields;
    }
    case 'done': {
      if (args.length > 1) return fail({ key: 'err.unexpectedWord', params: { word: args[1]! }, usage: 'usage.done' });
      if (args[0] === undefined) return ok({ kind: 'done', id: null });
      const m = /^[#＃]?(\d{1,9})$/.exec(args[0]);
      return m ? ok({ kind: 'done', id: Number(m[1]) }) : fail({ key: 'err.badId', params: { value: args[0] }, usage: 'usage.done' });
    }
    case 'coverVerb': {
      if (['end', '结束'].includes((args[0] ?? '').toLowerCase())) {
        const from = parseUserRef(args[1] ?? '', { bareId: true });
        if (!from) return fail(mentionError(args[1], 'usage.cover'));
        return args.length === 2 ? ok({ kind: 'coverEnd', from }) : fail({ key: 'err.unexpectedWord', params: { word: args[2]! }, usage: 'usage.cover' });
      }
      const from = parseUserRef(args[0] ?? '', { bareId: true });
      const to = parseUserRef(args[1] ?? '', { bareId: true });
      if (!from || !to) return fail(mentionError(from ? args[1] : args[0], 'usage.cover'));
      if (args.length === 2) return ok({ kind: 'cover', from, to, until: null });
      if (!['until', '至', '到'].includes(args[2]!.toLowerCase())) return fail({ key: 'err.unexpectedWord', params: { word: args[2]! }, usage: 'usage.cover' });
      const until = args[3];
      if (until === undefined) return fail({ key: 'err.missingValue', params: { word: args[2]! }, usage: 'usage.cover' });
      if (args.length > 4) return fail({ key: 'err.unexpectedWord', params: { word: args[4]! }, usage: 'usage.cover' });
      // The day as typed: the command service resolves it in the team's zone (a weekday, 明天) and refuses a past one.
      return isDayWord(until) ? ok({ kind: 'cover', from, to, until }) : fail({ key: 'err.badDayWord', params: { value: until }, usage: 'usage.cover' });
    }
    case 'handover': {
      const people = args.map((w) => parseUserRef(w, { bareId: true }));
      const bad = args.findIndex((_w, i) => !people[i]);
      if (args.length < 2 || bad >= 0) return fail(mentionError(bad >= 0 ? args[bad] : undefined, 'usage.handover'));
      return ok({ kind: 'handover', from: people[0]!, to: people.slice(1) as UserRef[] });
    }
    default:
      return fail({ key: 'err.unknownCommand', params: { word: words[0] ?? '' }, usage: 'usage.help' });
  }
}
