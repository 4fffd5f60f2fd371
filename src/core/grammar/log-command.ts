import { parseChannel } from '../channels';
import type { LogCommand, LogFields } from './command-parts';
import { complaintWordAt, complaintWordError, type ComplaintCategory, type ComplaintLevel } from '../complaints';
import { after, readCustomer } from '../customer-line';
import { findPhones } from '../phone-text';
import { fail, ok, type Result } from '../result';
import { restFrom, type Token } from './tokens';

const AT_WORDS = ['at', '@', '于', '时间'];
const isAtWord = (word: string) => AT_WORDS.includes(word.toLowerCase());

/**
 * Reads `log <channel> <customer> [phone] [at <time>] <note>` (and a complaint's level
 * and category). The customer and their phone are read by the one reader of customer
 * lines (customer-line.ts), so the phone is found wherever it stands; a phone left in the
 * note is the customer's too, so a phone never ends up unrecognised in a note.
 */
export function parseLog(text: string, tokens: readonly Token[], from: number): Result<LogCommand> {
  const channelWord = tokens[from]?.word ?? '';
  const channel = parseChannel(channelWord);
  if (!channel) return fail({ key: 'err.unknownChannel', params: { word: tokens[from]?.text ?? '' }, usage: 'usage.log', field: 'channel' });
  const c = from + 1;
  const first = tokens[c];
  if (!first || isAtWord(first.word)) return fail({ key: 'err.missingCustomer', usage: 'usage.log', field: 'customer' });
  const complaint = channel === 'complaint';
  const words = tokens.map((t) => t.word);
  const isOption = (i: number) => isAtWord(words[i] ?? '') || (complaint && complaintWordAt(words, i) !== null);

  const line = readCustomer(text, tokens, c, isOption);
  if ('error' in line) {
    return fail(line.error === 'maskedPhone' ? { key: 'err.maskedPhone', usage: 'usage.log', field: 'phone' } : { key: 'err.missingCustomer', usage: 'usage.log', field: 'customer' });
  }
  const customer = line.customer;
  let phone = line.phone;
  let readAs: LogFields['readAs'] = line.readAs;
  let later = line.phoneLater;
  let i = 'token' in line.next ? line.next.token : tokens.length;
  let gluedNote = 'at' in line.next ? text.slice(line.next.at).trim() : null;
  /** The phone found past the name, when it starts at word `k`. */
  const phoneAt = (k: number) => (later && tokens[k] && tokens[k]!.start === later.start ? later : null);

  let at: string | undefined;
  let level: ComplaintLevel | undefined;
  let category: ComplaintCategory | undefined;
  // Phone, `at <time>` and a complaint's level and category may come in any order before the note.
  while (gluedNote === null) {
    const word = words[i];
    const found = complaint ? complaintWordAt(words, i) : null;
    const free = found?.kind === 'level' || found?.kind === 'badLevel' ? level === undefined : found?.kind === 'category' || found?.kind === 'badCategory' ? category === undefined : false;
    const phoneHere = phone === undefined && gluedNote === null ? phoneAt(i) : null;
    if (found && free) {
      if (found.kind === 'level') level = found.level;
      else if (found.kind === 'category') category = found.category;
      else return fail(complaintWordError(found, 'usage.complaint'));
      i += found.words;
    } else if (found?.kind === 'missingValue') {
      return fail(complaintWordError(found, 'usage.complaint'));
    } else if (phoneHere) {
      phone = phoneHere.digits;
      later = undefined;
      const next = after(text, tokens, phoneHere.end);
      if ('at' in next) gluedNote = text.slice(next.at).trim();
      i = 'token' in next ? next.token : tokens.length;
    } else if (word !== undefined && at === undefined && isAtWord(word)) {
      const time = words[i + 1];
      if (time === undefined) return fail({ key: 'err.badTime', params: { value: '' }, usage: 'usage.log', field: 'at' });
      // `at 2026-11-20 09:30` arrives as two words.
      const next = words[i + 2];
      if (/^\d{4}-\d{2}-\d{2}$/.test(time) && next !== undefined && /^\d{1,2}[:：]\d{2}$/.test(next)) {
        at = `${time} ${next}`;
        i += 3;
      } else {
        at = time;
        i += 2;
      }
    } else if (complaint && word !== undefined && (level === undefined || category === undefined) && optionFollows(i)) {
      // An unknown word where a level or category stands (more options follow it): name the lists.
      return fail(complaintWordError({ kind: level === undefined ? 'badLevel' : 'badCategory', value: tokens[i]!.text, words: 1 }, 'usage.complaint'));
    } else {
      break;
    }
  }
  let note = gluedNote ?? restFrom(text, tokens, i);
  if (phone === undefined) {
    // A phone inside the note is the customer's: taken out of the note when it stands alone.
    const inNote = findPhones(note).find((p) => p.kind !== 'local');
    if (inNote) {
      phone = inNote.digits;
      const before = note.slice(0, inNote.start);
      const rest = note.slice(inNote.end);
      if (/(^|[\s\u3000])$/.test(before) && /^($|[\s\u3000，,。；;])/.test(rest)) note = `${before.trimEnd()} ${rest.replace(/^[\s\u3000，,。；;]+/, '')}`.trim();
      readAs = 'phone-moved';
    }
  }
  return ok({
    kind: 'log',
    fields: {
      channel: tokens[from]!.text,
      customer,
      phone,
      at,
      note,
      ...(level ? { level } : {}),
      ...(category ? { category } : {}),
      ...(readAs ? { readAs } : {}),
    },
  });

  /** Whether a level, category, phone or `at` follows word `i` within the next two words. */
  function optionFollows(k: number): boolean {
    for (let j = k + 1; j <= k + 2 && j < tokens.length; j++) {
      const found = complaintWordAt(words, j);
      if ((found && found.kind !== 'missingValue') || phoneAt(j) || isAtWord(words[j]!)) return true;
    }
    return false;
  }
}
