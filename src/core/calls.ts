import { t, type Lang } from '../i18n';
import { normalisePhone } from './phone';

/**
 * What a phone system's call events mean (Zammad's generic CTI: `newCall`, `answer`,
 * `hangup` with a `callId`), as pure functions of the events of one call. Events carry no
 * time of their own: each is stamped when it arrives. They may come twice, late or out of
 * order; the first of each kind counts, and the outcome is what a person reading all of them
 * would conclude.
 */

export const CALL_EVENT_KINDS = ['newCall', 'answer', 'hangup'] as const;
export type CallEventKind = (typeof CALL_EVENT_KINDS)[number];

/** One call event as received; `at` is when it arrived (epoch ms). */
export interface CallEvent {
  readonly kind: CallEventKind;
  readonly at: number;
  readonly direction: 'in' | 'out' | null;
  readonly from: string | null;
  readonly to: string | null;
  /** The people involved as the phone system names them: those it rang (in), who called (out), who answered (answer). */
  readonly users: readonly string[];
  readonly answeringNumber: string | null;
  readonly cause: string | null;
  readonly queue: string | null;
}

/** A call's events so far, one of each kind. */
export type CallEvents = Readonly<Partial<Record<CallEventKind, CallEvent>>>;

/** Adds an event to a call's: the first of a kind counts, a repeat (a retry, a second replica's copy) changes nothing. */
export function withEvent(events: CallEvents, event: CallEvent): { readonly events: CallEvents; readonly changed: boolean } {
  if (events[event.kind]) return { events, changed: false };
  return { events: { ...events, [event.kind]: event }, changed: true };
}

/** What a person reading a call's events concludes so far. */
export interface CallSummary {
  readonly direction: 'in' | 'out';
  /** The customer's number as the phone system wrote it: the caller of an inbound call, the one called back of an outbound. */
  readonly customerNumber: string | null;
  /** When the call began: no later than the first event that arrived, whichever it was. */
  readonly startedAt: number;
  /** When someone picked up, or null: only an answer event says so (a hangup's cause does not, phone systems differ). */
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  /** Who the call rang (inbound): the users named and the extension dialled, as keys to look members up by. */
  readonly rang: readonly string[];
  /** Who picked up: the answering number, then the users named on the answer. */
  readonly answeredBy: readonly string[];
  /** Who called (outbound): the users named, then the extension it came from. */
  readonly callers: readonly string[];
  readonly cause: string | null;
}

const present = (events: CallEvents): CallEvent[] => CALL_EVENT_KINDS.map((k) => events[k]).filter((e): e is CallEvent => e !== undefined);
const firstOf = <T>(values: ReadonlyArray<T | null | undefined>): T | null => values.find((v) => v !== null && v !== undefined && v !== '') ?? null;
const unique = (values: ReadonlyArray<string | null>): string[] => [...new Set(values.filter((v): v is string => v !== null && v.trim() !== ''))];

/** The call as its events have it so far; null before any event. */
export function summariseCall(events: CallEvents): CallSummary | null {
  const all = present(events);
  if (all.length === 0) return null;
  // The newCall's word first, else any event's: a PBX leaves out what it said before.
  const ordered = [events.newCall, events.answer, events.hangup].filter((e): e is CallEvent => e !== undefined);
  const direction = firstOf(ordered.map((e) => e.direction)) ?? 'in';
  const from = firstOf(ordered.map((e) => e.from));
  const to = firstOf(ordered.map((e) => e.to));
  const startedAt = Math.min(...all.map((e) => e.at));
  const endedAt = events.hangup?.at ?? null;
  // An answer that arrived after the hangup still happened before it.
  const answeredAt = events.answer ? Math.min(events.answer.at, endedAt ?? Infinity) : null;
  return {
    direction,
    customerNumber: direction === 'in' ? from : to,
    startedAt,
    answeredAt,
    endedAt,
    rang: direction === 'in' ? unique([...(events.newCall?.users ?? []), ...(events.hangup && !events.answer ? events.hangup.users : []), to]) : [],
    answeredBy: unique([events.answer?.answeringNumber ?? null, events.hangup?.answeringNumber ?? null, ...(events.answer?.users ?? [])]),
    callers: direction === 'out' ? unique([...all.flatMap((e) => e.users), from]) : [],
    cause: events.hangup?.cause ?? null,
  };
}

/** What has been made of a call so far (kept with it). */
export const CALL_OUTCOMES = ['missed', 'folded', 'anonymous', 'answered', 'callback', 'callbackEnded', 'attempt', 'internal'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * What is still to be done for a call, given what was made of it already:
 * - `missed`: an inbound call ended unanswered: open the call-back clock (or add to the one open for the number);
 * - `anonymous`: the same without a number: into the call log, no clock;
 * - `answered`: an inbound call picked up: a call contact, its response met at the answer;
 * - `answeredAfterAll`: an answer that arrived after the call was taken for missed;
 * - `callback`: an outbound call picked up: the number's open call-back clock is met at the answer;
 * - `callbackEnded`: and once it ends, how long they spoke;
 * - `attempt`: an outbound call nobody picked up: an attempt on the open clock, which keeps running;
 * - `ringLate`: the newCall of a call already taken for missed arrived after its hangup: who it
 *   rang is known now, and a clock nobody had goes to them.
 */
export type CallStep = 'missed' | 'anonymous' | 'answered' | 'answeredAfterAll' | 'callback' | 'callbackEnded' | 'attempt' | 'ringLate';

export function nextSteps(done: CallOutcome | null, call: CallSummary, hasNumber: boolean, arrived?: CallEventKind): CallStep[] {
  if (done === 'internal') return [];
  if (call.direction === 'in') {
    if (arrived === 'newCall' && done === 'missed' && call.answeredAt === null) return call.rang.length > 0 ? ['ringLate'] : [];
    if (call.answeredAt !== null) {
      if (done === null) return ['answered'];
      return done === 'missed' || done === 'folded' || done === 'anonymous' ? ['answeredAfterAll'] : [];
    }
    if (call.endedAt !== null && done === null) return [hasNumber ? 'missed' : 'anonymous'];
    return [];
  }
  if (!hasNumber) return [];
  if (call.answeredAt !== null) {
    if (done === null || done === 'attempt') return call.endedAt !== null ? ['callback', 'callbackEnded'] : ['callback'];
    return done === 'callback' && call.endedAt !== null ? ['callbackEnded'] : [];
  }
  return call.endedAt !== null && done === null ? ['attempt'] : [];
}

/** The outcome a step leaves the call with. */
export function outcomeAfter(step: CallStep, folded: boolean): CallOutcome {
  switch (step) {
    case 'missed':
      return folded ? 'folded' : 'missed';
    case 'answeredAfterAll':
      return 'answered';
    case 'ringLate':
      return 'missed';
    default:
      return step;
  }
}

/** Words phone systems send for a caller who withheld their number. */
const NO_NUMBER = /^(anonymous|unknown|private|restricted|withheld|unavailable|blocked|none|null|匿名|未知|-)?$/i;

/**
 * A caller's number as the bot keeps numbers (E.164, China by default), from what a phone
 * system writes: `13812345678`, `+8613812345678`, `008613812345678`, `8613812345678`,
 * `021-12345678`, or `493055571600` (international without the +). Null when there is none
 * (`anonymous`, empty) or it is no number anyone could call back.
 */
export function callerNumber(raw: string | null): string | null {
  const text = (raw ?? '').normalize('NFKC').trim();
  if (NO_NUMBER.test(text)) return null;
  const compact = text.replace(/[\s\-().]/g, '').replace(/^00/, '+');
  if (!/^\+?\d{5,20}$/.test(compact)) return null;
  const national = normalisePhone(compact);
  if (national.ok) return national.value;
  if (!compact.startsWith('+')) {
    const international = normalisePhone(`+${compact}`);
    if (international.ok) return international.value;
  }
  return null;
}

/** A call's length as people say it: 「2 分 05 秒」, "2 min 05 s"; under a minute in seconds. */
export function formatCallDuration(ms: number, lang: Lang): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes === 0) return t(lang, 'unit.seconds', { n: seconds });
  return lang === 'en' ? `${minutes} min ${String(seconds).padStart(2, '0')} s` : `${minutes} 分 ${String(seconds).padStart(2, '0')} 秒`;
}

/** How the owner of a call's contact was found. */
export type OwnerFound = 'customer' | 'answered' | 'rang' | 'rotation' | 'nobody';

/**
 * Who calls back, or who owns the contact (DOMAIN.md, 来电): the one who answered, for a
 * call picked up; else the customer's own consultant when the number is known (客户归属);
 * else the member the call rang; else, on a day the front desk runs, the consultant next in
 * the rotation; else nobody yet, and the supervisors hand it to someone.
 */
export function callOwner(c: { readonly answeredBy: string | null; readonly customerOwner: string | null; readonly rang: readonly string[]; readonly rotationNext: string | null }): {
  readonly owner: string | null;
  readonly how: OwnerFound;
} {
  if (c.answeredBy) return { owner: c.customerOwner ?? c.answeredBy, how: c.customerOwner ? 'customer' : 'answered' };
  if (c.customerOwner) return { owner: c.customerOwner, how: 'customer' };
  if (c.rang[0]) return { owner: c.rang[0], how: 'rang' };
  if (c.rotationNext) return { owner: c.rotationNext, how: 'rotation' };
  return { owner: null, how: 'nobody' };
}

/** The names a phone system's caller gets until someone logs them by name: the first name given replaces it. */
export const CALLER_PLACEHOLDERS: readonly string[] = [t('zh-CN', 'intake.caller'), t('en', 'intake.caller')];
