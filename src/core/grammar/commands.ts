import type { ContactChannel } from '../channels';
import { parseComplaintCommand, type ComplaintCommand } from './complaint-commands';
import { parseReportCommand, type ReportCommand } from './report-commands';
import { checkNote, NOTE_MAX_CHARS, parseContactId, type LogCommand } from './command-parts';
import { cleanInput, inertMarkup } from '../input';
import { restFrom, tokenize } from './tokens';
import { FRONT_DESK_VERBS, parseFrontDeskCommand, type FrontDeskCommand } from './front-desk-commands';
import { parseLog } from './log-command';
import { fail, ok, type Result } from '../result';
import { nearestWord, unknownCommand } from './suggest';
import { durationWithin } from '../time/duration-bounds';
import { mentionError, parseTeamCommand, parseUserRef, type TeamCommand, type UserRef } from './team-commands';

export type { UserRef } from './team-commands';
export { NOTE_MAX_CHARS, type LogCommand, type LogFields } from './command-parts';

export type Command =
  /** `brief`: nothing was typed (an empty line, `/cs` alone): the short help, not the whole list. */
  | { readonly kind: 'help'; readonly brief?: boolean }
  | { readonly kind: 'logForm'; readonly channel?: ContactChannel }
  | LogCommand
  | { readonly kind: 'reply' | 'resolve'; readonly id: number; readonly note: string }
  | { readonly kind: 'note'; readonly id: number; readonly text: string }
  | { readonly kind: 'mine' }
  | { readonly kind: 'show'; readonly id: number }
  | { readonly kind: 'customer'; readonly query: string }
  /** `user` by mention or id, or only by the name they go by (`assign 1024 褚主管`, where a private chat has no one to @mention). */
  | { readonly kind: 'assign'; readonly id: number; readonly user: UserRef | { readonly byName: string } }
  | { readonly kind: 'snooze'; readonly id: number; readonly seconds: number | null }
  | { readonly kind: 'overdue' }
  | ComplaintCommand
  | ReportCommand
  | TeamCommand
  | FrontDeskCommand;

const VERBS: Readonly<Record<string, string>> = {
  help: 'help',
  帮助: 'help',
  '?': 'help',
  '？': 'help',
  log: 'log',
  登记: 'log',
  reply: 'reply',
  回复: 'reply',
  resolve: 'resolve',
  解决: 'resolve',
  note: 'note',
  备注: 'note',
  mine: 'mine',
  我的: 'mine',
  show: 'show',
  查看: 'show',
  customer: 'customer',
  客户: 'customer',
  team: 'team',
  团队: 'team',
  assign: 'assign',
  转交: 'assign',
  指派: 'assign',
  reassign: 'assign',
  snooze: 'snooze',
  稍后提醒: 'snooze',
  稍后: 'snooze',
  overdue: 'overdue',
  超时: 'overdue',
  complaint: 'complaint',
  投诉: 'complaint',
  confirm: 'complaintVerb',
  确认: 'complaintVerb',
  plan: 'complaintVerb',
  方案: 'complaintVerb',
  approve: 'complaintVerb',
  批准: 'complaintVerb',
  followup: 'complaintVerb',
  'follow-up': 'complaintVerb',
  回访: 'complaintVerb',
  link: 'complaintVerb',
  关联: 'complaintVerb',
  digest: 'reportVerb',
  日报: 'reportVerb',
  kpi: 'reportVerb',
  指标: 'reportVerb',
  绩效: 'reportVerb',
  export: 'reportVerb',
  导出: 'reportVerb',
  ...Object.fromEntries(Object.keys(FRONT_DESK_VERBS).map((word) => [word, 'frontDeskVerb'])),
};

/** The words a command may start with, for "did you mean": every verb and its Chinese aliases, but no sign (`?`). */
const COMMAND_WORDS = Object.keys(VERBS).filter((word) => /[\p{L}]/u.test(word));

/** The longest command read at all: a note at its longest and the words around it. */
export const COMMAND_MAX_CHARS = NOTE_MAX_CHARS + 500;
/** What a non-member may type (help, team create) is short: anything longer is not read. */
const STRANGER_MAX_CHARS = 200;

/**
 * Reads a request's text with the work bounded before any of it is done: a line longer
 * than any command is answered as such unread, and a non-member's line only as far as
 * the commands open to them.
 */
export function readCommand(input: string, member: boolean): Result<Command> {
  if (!member && input.length > STRANGER_MAX_CHARS) return fail({ key: 'err.notInTeam' });
  if (input.length > COMMAND_MAX_CHARS) return fail({ key: 'err.commandTooLong', params: { length: input.length, max: COMMAND_MAX_CHARS }, usage: 'usage.help' });
  return parseCommand(input);
}

/** Parses the text after `/cs` (or of a direct message) into a command. */
export function parseCommand(input: string): Result<Command> {
  const text = cleanInput(input).trim();
  const tokens = tokenize(text);
  const words = tokens.map((t) => t.word);
  const first = tokens[0];
  if (!first) return ok({ kind: 'help', brief: true });
  const verb = VERBS[first.word.toLowerCase()];
  switch (verb) {
    case 'help':
      return ok({ kind: 'help' });
    case 'log':
      return tokens.length === 1 ? ok({ kind: 'logForm' }) : parseLog(text, tokens, 1);
    case 'reply':
    case 'resolve': {
      const usage = verb === 'reply' ? 'usage.reply' : 'usage.resolve';
      const id = parseContactId(words[1], usage);
      if (!id.ok) return id;
      const note = checkNote(restFrom(text, tokens, 2), false, usage);
      return note.ok ? ok({ kind: verb, id: id.value, note: note.value }) : note;
    }
    case 'note': {
      const id = parseContactId(words[1], 'usage.note');
      if (!id.ok) return id;
      const note = checkNote(restFrom(text, tokens, 2), true, 'usage.note');
      return note.ok ? ok({ kind: 'note', id: id.value, text: note.value }) : note;
    }
    case 'mine':
      return ok({ kind: 'mine' });
    case 'show': {
      const id = parseContactId(words[1], 'usage.show');
      return id.ok ? ok({ kind: 'show', id: id.value }) : id;
    }
    case 'customer': {
      const query = restFrom(text, tokens, 1);
      return query ? ok({ kind: 'customer', query }) : fail({ key: 'err.missingCustomer', usage: 'usage.customer' });
    }
    case 'assign': {
      const id = parseContactId(words[1], 'usage.assign');
      if (!id.ok) return id;
      const userWord = words[2] ?? '';
      const user = parseUserRef(userWord, { bareId: true });
      if (user) return ok({ kind: 'assign', id: id.value, user });
      const name = restFrom(text, tokens, 2).replace(/^[@＠]/, '');
      return name ? ok({ kind: 'assign', id: id.value, user: { byName: name } }) : fail(mentionError(userWord, 'usage.assign'));
    }
    case 'snooze': {
      const id = parseContactId(words[1], 'usage.snooze');
      if (!id.ok) return id;
      const word = words[2];
      // Without a duration: 15 minutes, or what fits before the deadline.
      if (word === undefined) return ok({ kind: 'snooze', id: id.value, seconds: null });
      const snooze = durationWithin(word, 1, Number.POSITIVE_INFINITY);
      if (snooze.ok) return ok({ kind: 'snooze', id: id.value, seconds: snooze.seconds });
      return fail({ key: snooze.problem === 'unreadable' ? 'err.badDuration' : 'err.zeroDuration', params: { value: word }, usage: 'usage.snooze' });
    }
    case 'overdue':
      return ok({ kind: 'overdue' });
    case 'complaint':
      // `/cs complaint …` is `/cs log complaint …`: the verb is the channel word.
      return tokens.length === 1 ? ok({ kind: 'logForm', channel: 'complaint' }) : parseLog(text, tokens, 0);
    case 'complaintVerb':
      return parseComplaintCommand(
        words,
        (from) => restFrom(text, tokens, from),
        (from, to) => (tokens[from] && tokens[to - 1] ? inertMarkup(text.slice(tokens[from]!.start, tokens[to - 1]!.end)) : ''),
      );
    case 'reportVerb':
      return parseReportCommand(words);
    case 'frontDeskVerb':
      return parseFrontDeskCommand(
        words,
        (from) => restFrom(text, tokens, from),
        // A visit's line reads as `log visit …` does, up to the words given (a trailing `for @user` left out).
        (lastWord) => {
          const upTo = tokens.slice(0, lastWord);
          const parsed = parseLog(text.slice(0, upTo[upTo.length - 1]!.end), upTo, 0);
          if (!parsed.ok) return fail({ ...parsed.error, usage: 'usage.visit' });
          return parsed.value.kind === 'log' ? ok({ ...parsed.value.fields, channel: 'visit' }) : fail({ key: 'err.missingCustomer', usage: 'usage.visit' });
        },
      );
    case 'team':
      return parseTeamCommand(words.slice(1), (from) => restFrom(text, tokens, from + 1));
    default:
      return fail(unknownCommand(first.text, nearestWord(first.word, COMMAND_WORDS), 'usage.help'));
  }
}
