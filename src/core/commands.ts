import type { MessageKey } from '../i18n';
import { parseChannel, type ContactChannel } from './channels';
import { complaintWordAt, complaintWordError, type ComplaintCategory, type ComplaintLevel } from './complaints';
import { parseComplaintCommand, type ComplaintCommand } from './complaint-commands';
import { parseReportCommand, type ReportCommand } from './report-commands';
import { looksLikePhone, normalisePhone } from './phone';
import { fail, ok, type Result } from './result';
import { parseDuration } from './duration';
import { parseTeamCommand, parseUserRef, type TeamCommand, type UserRef } from './team-commands';

export { parseUserRef, type UserRef } from './team-commands';

/** What the log command and the log form both collect, still as typed. */
export interface LogFields {
  readonly channel: string;
  readonly customer: string;
  readonly phone?: string;
  readonly at?: string;
  readonly note: string;
  /** A complaint's level and category, when given at registration. */
  readonly level?: ComplaintLevel;
  readonly category?: ComplaintCategory;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'logForm'; readonly channel?: ContactChannel }
  | { readonly kind: 'log'; readonly fields: LogFields }
  | { readonly kind: 'reply' | 'resolve'; readonly id: number; readonly note: string }
  | { readonly kind: 'note'; readonly id: number; readonly text: string }
  | { readonly kind: 'mine' }
  | { readonly kind: 'show'; readonly id: number }
  | { readonly kind: 'customer'; readonly query: string }
  | { readonly kind: 'assign'; readonly id: number; readonly user: UserRef }
  | { readonly kind: 'snooze'; readonly id: number; readonly seconds: number }
  | { readonly kind: 'overdue' }
  | ComplaintCommand
  | ReportCommand
  | TeamCommand;

const VERBS: Readonly<Record<string, string>> = {
  help: 'help', 帮助: 'help', '?': 'help', '？': 'help',
  log: 'log', 登记: 'log',
  reply: 'reply', 回复: 'reply',
  resolve: 'resolve', 解决: 'resolve',
  note: 'note', 备注: 'note',
  mine: 'mine', 我的: 'mine',
  show: 'show', 查看: 'show',
  customer: 'customer', 客户: 'customer',
  team: 'team', 团队: 'team',
  assign: 'assign', 转交: 'assign', 指派: 'assign', reassign: 'assign',
  snooze: 'snooze', 稍后提醒: 'snooze', 稍后: 'snooze',
  overdue: 'overdue', 超时: 'overdue',
  complaint: 'complaint', 投诉: 'complaint',
  confirm: 'complaintVerb', 确认: 'complaintVerb',
  plan: 'complaintVerb', 方案: 'complaintVerb',
  approve: 'complaintVerb', 批准: 'complaintVerb',
  followup: 'complaintVerb', 'follow-up': 'complaintVerb', 回访: 'complaintVerb',
  link: 'complaintVerb', 关联: 'complaintVerb',
  digest: 'reportVerb', 日报: 'reportVerb',
  kpi: 'reportVerb', 指标: 'reportVerb', 绩效: 'reportVerb',
  export: 'reportVerb', 导出: 'reportVerb',
};

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Whitespace-separated words (full-width spaces too); "…" or “…” keeps spaces inside one word. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"([^"]*)"|“([^”]*)”|([^\s\u3000]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    tokens.push({ text: m[1] ?? m[2] ?? m[3] ?? '', start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

/** The original text from a token on, so a note keeps its own spacing. */
function restFrom(text: string, tokens: readonly Token[], index: number): string {
  const token = tokens[index];
  return token ? text.slice(token.start).trim() : '';
}

export const NOTE_MAX_CHARS = 2000;

/** Reads a contact id as people copy it: `1024`, `#1024` or `＃1024`. */
export function parseContactId(word: string | undefined, usage: MessageKey): Result<number> {
  if (word === undefined || word === '') return fail({ key: 'err.missingId', usage });
  const m = /^[#＃]?(\d{1,9})$/.exec(word);
  if (!m) return fail({ key: 'err.badId', params: { value: word }, usage });
  return ok(Number(m[1]));
}

/** Checks a note's length; notes are optional unless `required`. */
export function checkNote(note: string, required = false, usage?: MessageKey): Result<string> {
  const trimmed = note.trim();
  if (required && trimmed === '') return fail({ key: 'err.missingNote', usage, field: 'note' });
  const length = [...trimmed].length;
  if (length > NOTE_MAX_CHARS) {
    return fail({ key: 'err.noteTooLong', params: { length, max: NOTE_MAX_CHARS }, usage, field: 'note' });
  }
  return ok(trimmed);
}

/** Parses the text after `/cs` (or of a direct message) into a command. */
export function parseCommand(input: string): Result<Command> {
  const text = input.trim();
  const tokens = tokenize(text);
  const first = tokens[0];
  if (!first) return ok({ kind: 'help' });
  const verb = VERBS[first.text.toLowerCase()];
  switch (verb) {
    case 'help':
      return ok({ kind: 'help' });
    case 'log':
      return tokens.length === 1 ? ok({ kind: 'logForm' }) : parseLog(text, tokens, 1);
    case 'reply':
    case 'resolve': {
      const usage = verb === 'reply' ? 'usage.reply' : 'usage.resolve';
      const id = parseContactId(tokens[1]?.text, usage);
      if (!id.ok) return id;
      const note = checkNote(restFrom(text, tokens, 2), false, usage);
      return note.ok ? ok({ kind: verb, id: id.value, note: note.value }) : note;
    }
    case 'note': {
      const id = parseContactId(tokens[1]?.text, 'usage.note');
      if (!id.ok) return id;
      const note = checkNote(restFrom(text, tokens, 2), true, 'usage.note');
      return note.ok ? ok({ kind: 'note', id: id.value, text: note.value }) : note;
    }
    case 'mine':
      return ok({ kind: 'mine' });
    case 'show': {
      const id = parseContactId(tokens[1]?.text, 'usage.show');
      return id.ok ? ok({ kind: 'show', id: id.value }) : id;
    }
    case 'customer': {
      const query = restFrom(text, tokens, 1);
      return query ? ok({ kind: 'customer', query }) : fail({ key: 'err.missingCustomer', usage: 'usage.customer' });
    }
    case 'assign': {
      const id = parseContactId(tokens[1]?.text, 'usage.assign');
      if (!id.ok) return id;
      const userWord = tokens[2]?.text ?? '';
      const user = parseUserRef(userWord, { bareId: true });
      return user ? ok({ kind: 'assign', id: id.value, user }) : fail({ key: 'err.badMention', params: { value: userWord }, usage: 'usage.assign' });
    }
    case 'snooze': {
      const id = parseContactId(tokens[1]?.text, 'usage.snooze');
      if (!id.ok) return id;
      const word = tokens[2]?.text ?? '15m';
      const seconds = parseDuration(word);
      return seconds ? ok({ kind: 'snooze', id: id.value, seconds }) : fail({ key: 'err.badDuration', params: { value: word }, usage: 'usage.snooze' });
    }
    case 'overdue':
      return ok({ kind: 'overdue' });
    case 'complaint':
      // `/cs complaint …` is `/cs log complaint …`: the verb is the channel word.
      return tokens.length === 1 ? ok({ kind: 'logForm', channel: 'complaint' }) : parseLog(text, tokens, 0);
    case 'complaintVerb':
      return parseComplaintCommand(
        tokens.map((t) => t.text),
        (from) => restFrom(text, tokens, from),
        (from, to) => (tokens[from] && tokens[to - 1] ? text.slice(tokens[from]!.start, tokens[to - 1]!.end) : ''),
      );
    case 'reportVerb':
      return parseReportCommand(tokens.map((t) => t.text));
    case 'team':
      return parseTeamCommand(
        tokens.slice(1).map((t) => t.text),
        (from) => restFrom(text, tokens, from + 1),
      );
    default:
      return fail({ key: 'err.unknownCommand', params: { word: first.text }, usage: 'usage.help' });
  }
}

function parseLog(text: string, tokens: readonly Token[], from: number): Result<Command> {
  const channelWord = tokens[from]?.text ?? '';
  if (!parseChannel(channelWord)) {
    return fail({ key: 'err.unknownChannel', params: { word: channelWord }, usage: 'usage.log', field: 'channel' });
  }
  const customer = tokens[from + 1];
  if (!customer || looksLikePhone(customer.text) || isAtWord(customer.text)) {
    return fail({ key: 'err.missingCustomer', usage: 'usage.log', field: 'customer' });
  }
  let phone: string | undefined;
  let at: string | undefined;
  let level: ComplaintLevel | undefined;
  let category: ComplaintCategory | undefined;
  const complaint = parseChannel(channelWord) === 'complaint';
  const words = tokens.map((t) => t.text);
  let i = from + 2;
  // Phone, `at <time>` and a complaint's level and category may come in any order before the note.
  for (;;) {
    const word = tokens[i]?.text;
    const spaced = phone === undefined ? spacedPhone(tokens, i) : null;
    // A level or category not yet given; a keyword with nothing after it is the note's first word.
    const found = complaint ? complaintWordAt(words, i) : null;
    const free = found?.kind === 'level' || found?.kind === 'badLevel' ? level === undefined : found?.kind === 'category' || found?.kind === 'badCategory' ? category === undefined : false;
    if (found && free) {
      if (found.kind === 'level') level = found.level;
      else if (found.kind === 'category') category = found.category;
      else return fail(complaintWordError(found, 'usage.complaint'));
      i += found.words;
    } else if (word !== undefined && phone === undefined && looksLikePhone(word)) {
      phone = word;
      i += 1;
    } else if (spaced) {
      phone = spaced.phone;
      i += spaced.words;
    } else if (word !== undefined && at === undefined && isAtWord(word)) {
      const time = tokens[i + 1]?.text;
      if (time === undefined) return fail({ key: 'err.badTime', params: { value: '' }, usage: 'usage.log', field: 'at' });
      // `at 2026-11-20 09:30` arrives as two words.
      const next = tokens[i + 2]?.text;
      if (/^\d{4}-\d{2}-\d{2}$/.test(time) && next !== undefined && /^\d{1,2}[:：]\d{2}$/.test(next)) {
        at = `${time} ${next}`;
        i += 3;
      } else {
        at = time;
        i += 2;
      }
    } else {
      break;
    }
  }
  return ok({
    kind: 'log',
    fields: { channel: channelWord, customer: customer.text, phone, at, note: restFrom(text, tokens, i), ...(level ? { level } : {}), ...(category ? { category } : {}) },
  });
}

/**
 * A phone written in groups, as people dictate it: `138 1234 5678`, `+86 138 1234 5678`,
 * `010 1234 5678`. Taken only when the groups together make a valid number.
 */
function spacedPhone(tokens: readonly Token[], from: number): { phone: string; words: number } | null {
  let joined = '';
  for (let n = 0; n < 4; n++) {
    const word = tokens[from + n]?.text;
    if (word === undefined || !/^(\+?\d{1,4}|\d{2,4}-?\d{0,4})$/.test(word)) return null;
    joined += word;
    if (n > 0 && normalisePhone(joined).ok) return { phone: joined, words: n + 1 };
  }
  return null;
}

function isAtWord(word: string): boolean {
  return ['at', '@', '于', '时间'].includes(word.toLowerCase());
}
