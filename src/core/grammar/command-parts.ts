import type { MessageKey } from '../../i18n';
import type { ComplaintCategory, ComplaintLevel } from '../complaints';
import { inertMarkup } from '../input';
import { fail, ok, type Result, type UserError } from '../result';

/**
 * What every parser of the command grammar shares: the log fields, a contact id, a note. A
 * leaf: the dispatcher (commands.ts) and the per-feature parsers all import it, and it
 * imports none of them, so the grammar has no circle.
 */

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
  /** Set when the line's parts were read in a way worth telling (a name of several words, a phone found elsewhere). */
  readonly readAs?: 'name-words' | 'phone-moved';
}

/** A parsed log line (`/cs log …`, `/cs complaint …`). */
export interface LogCommand {
  readonly kind: 'log';
  readonly fields: LogFields;
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
  const trimmed = inertMarkup(note.trim());
  if (required && trimmed === '') return fail({ key: 'err.missingNote', usage, field: 'note' });
  const length = [...trimmed].length;
  if (length > NOTE_MAX_CHARS) {
    return fail({ key: 'err.noteTooLong', params: { length, max: NOTE_MAX_CHARS }, usage, field: 'note' });
  }
  return ok(trimmed);
}

/** A person named in a command: their id, and the name the mention carried if any. */
export interface UserRef {
  readonly id: string;
  readonly name: string | null;
}

/**
 * Reads `<@U123|name>`, `<@U123>` or `@name`; with `bareId`, also a plain user id
 * (`staff001`), where the grammar expects a person and nothing else.
 */
export function parseUserRef(word: string, opts: { readonly bareId?: boolean } = {}): UserRef | null {
  const tagged = /^<@([^\s|<>]+)(?:\|([^>]*))?>$/.exec(word);
  if (tagged) return { id: tagged[1]!, name: tagged[2] || null };
  const plain = /^[@＠]([\w.-]+)$/.exec(word);
  if (plain) return { id: plain[1]!, name: plain[1]! };
  return opts.bareId && /^[A-Za-z0-9][\w.-]*$/.test(word) ? { id: word, name: null } : null;
}

/** What is wrong where a person should be named: nobody is (the word is missing), or the word names nobody. */
export function mentionError(word: string | undefined, usage: MessageKey): UserError {
  return word ? { key: 'err.badMention', params: { value: word }, usage } : { key: 'err.missingMention', usage };
}
