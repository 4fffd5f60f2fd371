import { parseWeekly, type WeeklyMoment } from '../weekly';
import { DateTime } from 'luxon';
import { parseLang, type Lang } from '../../i18n';
import type { WeeklyHours } from '../time/calendar';
import { parseChannel, parseRole, type ContactChannel, type Role } from '../channels';
import { parseDayRange } from '../time/days';
import { durationWithin } from '../time/duration-bounds';
import { nearestWord, unknownCommand } from './suggest';
import { parseHours } from '../time/hours';
import { parseWindowTarget, type ClockKind } from '../policy';
import { fail, ok, type Result } from '../result';
import { isValidZone } from '../time/time-of-day';
import { INTAKE_VERBS, parseIntakeCommand, type IntakeCommand } from './intake-commands';
import { mentionError, parseUserRef, type UserRef } from './command-parts';

export { mentionError, parseUserRef, type UserRef } from './command-parts';

/** A user named in a command: Slack sends `<@U123|name>` (DingTalk's listener writes its mentions so too), the sandbox `@name`. */

export type TeamCommand =
  | { readonly kind: 'teamShow' }
  | { readonly kind: 'teamCreate'; readonly name: string }
  | { readonly kind: 'teamAdd'; readonly users: readonly UserRef[]; readonly role: Role }
  | { readonly kind: 'teamZone'; readonly zone: string }
  | { readonly kind: 'teamLang'; readonly lang: Lang }
  | { readonly kind: 'teamHours'; readonly hours: WeeklyHours }
  | { readonly kind: 'teamCalendar'; readonly holidays: 'cn' | 'none' }
  | { readonly kind: 'teamDates'; readonly open: boolean; readonly dates: readonly string[] }
  | { readonly kind: 'teamWindow'; readonly channel: ContactChannel; readonly clock: ClockKind; readonly seconds: number; readonly mode: 'working' | 'calendar' | null }
  | { readonly kind: 'teamPolicy' }
  | { readonly kind: 'teamRemind'; readonly percent: number }
  | { readonly kind: 'teamEscalate'; readonly seconds: number | null }
  | { readonly kind: 'teamDigest'; readonly time: string | null }
  | { readonly kind: 'teamWeekly'; readonly weekly: WeeklyMoment | null }
  | { readonly kind: 'teamGroupWarn'; readonly count: number }
  | { readonly kind: 'teamAutoReply'; readonly channel: ContactChannel; readonly text: string | null }
  | { readonly kind: 'teamCharts'; readonly on: boolean }
  | IntakeCommand;

/** The longest auto-reply a team may set: a text message a customer reads at a glance. */
export const AUTO_REPLY_MAX_CHARS = 300;
/** Windows are bounded when set: longer than 30 days is no response window any customer would accept (and a typo). */
const WINDOW_MIN_S = 1;
const WINDOW_MAX_S = 30 * 86_400;
const ESCALATE_MAX_S = 7 * 86_400;

const TEAM_VERBS: Readonly<Record<string, TeamCommand['kind'] | 'closed' | 'open'>> = {
  create: 'teamCreate',
  创建: 'teamCreate',
  add: 'teamAdd',
  添加: 'teamAdd',
  zone: 'teamZone',
  时区: 'teamZone',
  lang: 'teamLang',
  language: 'teamLang',
  语言: 'teamLang',
  hours: 'teamHours',
  工作时间: 'teamHours',
  calendar: 'teamCalendar',
  日历: 'teamCalendar',
  closed: 'closed',
  close: 'closed',
  休息: 'closed',
  放假: 'closed',
  open: 'open',
  上班: 'open',
  调休: 'open',
  window: 'teamWindow',
  时限: 'teamWindow',
  policy: 'teamPolicy',
  规则: 'teamPolicy',
  remind: 'teamRemind',
  提醒: 'teamRemind',
  escalate: 'teamEscalate',
  升级: 'teamEscalate',
  digest: 'teamDigest',
  日报: 'teamDigest',
  weekly: 'teamWeekly',
  周报: 'teamWeekly',
  周小结: 'teamWeekly',
  groupwarn: 'teamGroupWarn',
  'group-warn': 'teamGroupWarn',
  群诉预警: 'teamGroupWarn',
  群体投诉: 'teamGroupWarn',
  autoreply: 'teamAutoReply',
  'auto-reply': 'teamAutoReply',
  自动回复: 'teamAutoReply',
  charts: 'teamCharts',
  chart: 'teamCharts',
  图表: 'teamCharts',
};

/** The words of `/cs team …`, for "did you mean". */
const TEAM_WORDS = Object.keys(TEAM_VERBS);

const MAX_DATES = 366;

/** `2027-01-01`, `2027-01-01..2027-01-03` (also `~`, `至`), several joined by commas; what is wrong when it is not. */
export function parseDates(text: string): Result<string[]> {
  const dates = new Set<string>();
  for (const part of text.split(/[,，]/)) {
    const range = parseDayRange(part, MAX_DATES);
    if (!range) return fail({ key: 'err.badDate', params: { value: part.trim() || text } });
    if (!range.ok) return range;
    for (let d = DateTime.fromISO(range.value.from, { zone: 'UTC' }); d.toISODate()! <= range.value.to; d = d.plus({ days: 1 })) {
      dates.add(d.toISODate()!);
      if (dates.size > MAX_DATES) return fail({ key: 'err.rangeTooLong', params: { value: text.trim(), max: MAX_DATES } });
    }
  }
  return ok([...dates]);
}

/** Parses `/cs team …` from its words (after `team`). */
export function parseTeamCommand(words: readonly string[], rest: (from: number) => string): Result<TeamCommand> {
  const sub = words[0];
  if (sub === undefined) return ok({ kind: 'teamShow' });
  const arg = words[1] ?? '';
  const intakeVerb = INTAKE_VERBS[sub.toLowerCase()];
  if (intakeVerb) return parseIntakeCommand(intakeVerb, words.slice(1), (word) => parseUserRef(word, { bareId: true }));
  switch (TEAM_VERBS[sub.toLowerCase()]) {
    case 'teamCreate': {
      const name = rest(1);
      return name ? ok({ kind: 'teamCreate', name }) : fail({ key: 'err.missingTeamName', usage: 'usage.teamCreate' });
    }
    case 'teamAdd': {
      // One role and one or more people, in any order: a platform may put its mentions anywhere in the text.
      const rest = words.slice(1);
      const roleAt = rest.findIndex((w) => parseRole(w) !== null);
      const userWords = roleAt < 0 ? rest.slice(0, 1) : rest.filter((_, i) => i !== roleAt);
      if (userWords.length === 0) return fail(mentionError(undefined, 'usage.teamAdd'));
      const users: UserRef[] = [];
      for (const word of userWords) {
        const user = parseUserRef(word, { bareId: true });
        if (!user) return fail(roleAt < 0 && users.length > 0 ? { key: 'err.badRole', params: { value: word }, usage: 'usage.teamAdd' } : mentionError(word, 'usage.teamAdd'));
        users.push(user);
      }
      if (roleAt < 0) return fail({ key: 'err.badRole', params: { value: rest[1] ?? '' }, usage: 'usage.teamAdd' });
      return ok({ kind: 'teamAdd', users, role: parseRole(rest[roleAt]!)! });
    }
    case 'teamZone':
      return isValidZone(arg) ? ok({ kind: 'teamZone', zone: arg }) : fail({ key: 'err.badZone', params: { value: arg }, usage: 'usage.teamZone' });
    case 'teamLang': {
      const lang = parseLang(arg);
      return lang ? ok({ kind: 'teamLang', lang }) : fail({ key: 'err.badLang', params: { value: arg }, usage: 'usage.teamLang' });
    }
    case 'teamHours': {
      const hours = parseHours(words.slice(1));
      return hours.ok ? ok({ kind: 'teamHours', hours: hours.value }) : hours;
    }
    case 'teamCalendar': {
      const word = arg.toLowerCase();
      const holidays = ['cn', 'china', '中国'].includes(word) ? 'cn' : ['none', 'off', '无'].includes(word) ? 'none' : null;
      return holidays ? ok({ kind: 'teamCalendar', holidays }) : fail({ key: 'err.badCalendar', params: { value: arg }, usage: 'usage.teamCalendar' });
    }
    case 'closed':
    case 'open': {
      const open = TEAM_VERBS[sub.toLowerCase()] === 'open';
      const dates = parseDates(rest(1));
      return dates.ok ? ok({ kind: 'teamDates', open, dates: dates.value }) : fail({ ...dates.error, usage: open ? 'usage.teamOpen' : 'usage.teamClosed' });
    }
    case 'teamWindow': {
      const target = parseWindowTarget(arg);
      if (!target) return fail({ key: 'err.badWindowTarget', params: { value: arg }, usage: 'usage.teamWindow' });
      const durationWord = words[2] ?? '';
      const duration = durationWithin(durationWord, WINDOW_MIN_S, WINDOW_MAX_S);
      if (!duration.ok) return fail({ key: duration.problem === 'unreadable' ? 'err.badDuration' : 'err.windowBounds', params: { value: durationWord }, usage: 'usage.teamWindow' });
      const seconds = duration.seconds;
      const modeWord = words[3]?.toLowerCase();
      const mode = modeWord === undefined ? null : ({ working: 'working', 工作时间: 'working', calendar: 'calendar', 自然时间: 'calendar' } as const)[modeWord];
      if (mode === undefined) return fail({ key: 'err.badMode', params: { value: words[3]! }, usage: 'usage.teamWindow' });
      return ok({ kind: 'teamWindow', ...target, seconds, mode });
    }
    case 'teamPolicy':
      return ok({ kind: 'teamPolicy' });
    case 'teamRemind': {
      const m = /^(\d{1,2})\s*[%％]?$/.exec(arg);
      const percent = m ? Number(m[1]) : NaN;
      return percent >= 1 && percent <= 99 ? ok({ kind: 'teamRemind', percent }) : fail({ key: 'err.badPercent', params: { value: arg }, usage: 'usage.teamRemind' });
    }
    case 'teamEscalate': {
      if (['auto', '自动'].includes(arg.toLowerCase())) return ok({ kind: 'teamEscalate', seconds: null });
      const delay = durationWithin(arg, 1, ESCALATE_MAX_S);
      if (delay.ok) return ok({ kind: 'teamEscalate', seconds: delay.seconds });
      return fail({ key: delay.problem === 'unreadable' ? 'err.badDuration' : 'err.escalateBounds', params: { value: arg }, usage: 'usage.teamEscalate' });
    }
    case 'teamDigest': {
      if (['off', 'none', '关闭', '关'].includes(arg.toLowerCase())) return ok({ kind: 'teamDigest', time: null });
      const m = /^(\d{1,2})[:：](\d{2})$/.exec(arg);
      const [hour, minute] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
      return hour < 24 && minute < 60
        ? ok({ kind: 'teamDigest', time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` })
        : fail({ key: 'err.badDigestTime', params: { value: arg }, usage: 'usage.teamDigest' });
    }
    case 'teamWeekly': {
      if (['off', 'none', '关闭', '关'].includes(arg.toLowerCase())) return ok({ kind: 'teamWeekly', weekly: null });
      const weekly = parseWeekly(rest(1));
      return weekly ? ok({ kind: 'teamWeekly', weekly }) : fail({ key: 'err.badWeekly', params: { value: rest(1) }, usage: 'usage.weekly' });
    }
    case 'teamGroupWarn': {
      const count = /^\d{1,2}$/.test(arg) ? Number(arg) : NaN;
      return count >= 2 && count <= 50 ? ok({ kind: 'teamGroupWarn', count }) : fail({ key: 'err.badCount', params: { value: arg }, usage: 'usage.teamGroupwarn' });
    }
    case 'teamAutoReply': {
      const channel = parseChannel(arg);
      if (!channel) return fail({ key: 'err.unknownChannel', params: { word: arg }, usage: 'usage.teamAutoReply' });
      const text = rest(2);
      if (['default', '默认', 'reset'].includes(text.toLowerCase())) return ok({ kind: 'teamAutoReply', channel, text: null });
      if (!text.includes('{due}')) return fail({ key: 'err.autoReplyNeedsDue', usage: 'usage.teamAutoReply' });
      const length = [...text].length;
      if (length > AUTO_REPLY_MAX_CHARS) return fail({ key: 'err.noteTooLong', params: { length, max: AUTO_REPLY_MAX_CHARS }, usage: 'usage.teamAutoReply' });
      return ok({ kind: 'teamAutoReply', channel, text });
    }
    case 'teamCharts': {
      if (!arg) return fail({ key: 'err.missingValue', params: { word: 'team charts' }, usage: 'usage.teamCharts' });
      const word = arg.toLowerCase();
      const on = ['on', 'yes', '开', '打开', '开启'].includes(word) ? true : ['off', 'no', '关', '关闭'].includes(word) ? false : null;
      return on === null ? fail({ key: 'err.badOnOff', params: { value: arg }, usage: 'usage.teamCharts' }) : ok({ kind: 'teamCharts', on });
    }
    default: {
      const near = nearestWord(sub, TEAM_WORDS);
      return fail(unknownCommand(`team ${sub}`, near && `team ${near}`, 'usage.team'));
    }
  }
}
