import { parseChannel } from './channels';
import type { Command, LogFields } from './commands';
import { complaintWordAt, complaintWordError, type ComplaintCategory, type ComplaintLevel } from './complaints';
import { looksLikePhone, normalisePhone } from './phone';
import { findPhones } from './phone-text';
import { fail, ok, type Result } from './result';
import { restFrom, type Token } from './tokens';

const AT_WORDS = ['at', '@', '于', '时间'];
const isAtWord = (word: string) => AT_WORDS.includes(word.toLowerCase());

/** The longest a name of several words may be: `张 先生`, `Zhang Wei`, `欧阳 女士` — not a sentence. */
const NAME_MAX_CJK = 6;
const NAME_MAX_LATIN = 40;

/**
 * A phone written in groups, as people dictate it: `138 1234 5678`, `+86 138 1234 5678`,
 * `010 1234 5678`. Taken only when the groups together make a valid number.
 */
function spacedPhone(tokens: readonly Token[], from: number): { phone: string; words: number } | null {
  let joined = '';
  for (let n = 0; n < 4; n++) {
    const word = tokens[from + n]?.word;
    if (word === undefined || !/^(\+?\d{1,4}|\d{2,4}-?\d{0,4})$/.test(word)) return null;
    joined += word;
    if (n > 0 && normalisePhone(joined).ok) return { phone: joined, words: n + 1 };
  }
  return null;
}

/** A phone at token `i`: one phone-like word (checked later, so a typo is named), or one written in groups. */
function phoneAt(tokens: readonly Token[], i: number): { phone: string; words: number } | null {
  const word = tokens[i]?.word;
  if (word !== undefined && looksLikePhone(word)) return { phone: word, words: 1 };
  return spacedPhone(tokens, i);
}

/** `王先生13812345678`, `刘先生(137 0000 1111)`: a name with a phone in the same word. */
function gluedPhone(text: string): { name: string; phone: string } | null {
  const found = findPhones(text).find((p) => p.kind !== 'local');
  if (!found) return null;
  // What is left once the number and its brackets or separators are out is the name.
  const name = `${text.slice(0, found.start)} ${text.slice(found.end)}`
    .replace(/[(（[【]\s*[)）\]】]/g, '')
    .replace(/^[\s,，:：;；(（)）\-]+|[\s,，:：;；(（)）\-]+$/g, '')
    .trim();
  if (name === '' || !/\p{L}/u.test(name)) return null;
  const phone = found.digits;
  return normalisePhone(phone).ok ? { name, phone } : null;
}

/** A phone glued to the name in word `c`, perhaps written on over the next words in groups. */
function gluedAcross(text: string, tokens: readonly Token[], c: number): { name: string; phone: string; words: number } | null {
  for (let n = 1; n <= 4 && c + n - 1 < tokens.length; n++) {
    const glued = gluedPhone(text.slice(tokens[c]!.start, tokens[c + n - 1]!.end));
    if (glued) return { ...glued, words: n };
  }
  return null;
}

/** Whether words read as one person's name rather than the start of a note. */
function nameLike(words: readonly string[]): boolean {
  const joined = words.join(' ');
  if (/[\d０-９+＋]/.test(joined)) return false;
  const cjk = [...joined].filter((c) => /\p{Script=Han}/u.test(c)).length;
  if (cjk > 0) return cjk <= NAME_MAX_CJK && words.every((w) => [...w].length <= 4);
  return joined.length <= NAME_MAX_LATIN && /^[\p{L}.'\- ]+$/u.test(joined);
}

/**
 * Reads `log <channel> <customer> [phone] [at <time>] <note>` (and a complaint's level
 * and category), finding the phone wherever it stands: after a name of several words
 * (`张 先生 138…`, `Zhang Wei 138…`), glued to the name (`王先生138…`), written in groups,
 * or inside the note, so a phone never ends up unrecognised in a note.
 */
export function parseLog(text: string, tokens: readonly Token[], from: number): Result<Command> {
  const channelWord = tokens[from]?.word ?? '';
  const channel = parseChannel(channelWord);
  if (!channel) return fail({ key: 'err.unknownChannel', params: { word: tokens[from]?.text ?? '' }, usage: 'usage.log', field: 'channel' });
  const c = from + 1;
  const first = tokens[c];
  if (!first || phoneAt(tokens, c) || isAtWord(first.word)) return fail({ key: 'err.missingCustomer', usage: 'usage.log', field: 'customer' });
  const complaint = channel === 'complaint';
  const words = tokens.map((t) => t.word);
  const isOption = (i: number) => isAtWord(words[i] ?? '') || (complaint && complaintWordAt(words, i) !== null);

  let customer = first.text;
  let phone: string | undefined;
  let readAs: LogFields['readAs'];
  let i = c + 1;
  // The name with its number in the same word, the number perhaps running on in groups: 刘先生（137 0000 1111）.
  const glued = /\p{L}/u.test(first.text) && /[\d０-９]/.test(first.text) ? gluedAcross(text, tokens, c) : null;
  if (glued) {
    customer = glued.name;
    phone = glued.phone;
    i = c + glued.words;
  } else {
    // A name of up to three words, when a phone follows them.
    for (let n = 2; n <= 4; n++) {
      const nameWords = tokens.slice(c, c + n - 1);
      if (nameWords.some((_, k) => k > 0 && isOption(c + k))) break;
      if (!phoneAt(tokens, c + n - 1)) continue;
      if (n > 2 && nameLike(nameWords.map((t) => t.text))) {
        customer = nameWords.map((t) => t.text).join(' ');
        i = c + n - 1;
        readAs = 'name-words';
      }
      break;
    }
  }

  let at: string | undefined;
  let level: ComplaintLevel | undefined;
  let category: ComplaintCategory | undefined;
  // Phone, `at <time>` and a complaint's level and category may come in any order before the note.
  for (;;) {
    const word = words[i];
    const found = complaint ? complaintWordAt(words, i) : null;
    const free = found?.kind === 'level' || found?.kind === 'badLevel' ? level === undefined : found?.kind === 'category' || found?.kind === 'badCategory' ? category === undefined : false;
    const phoneHere = phone === undefined ? phoneAt(tokens, i) : null;
    if (found && free) {
      if (found.kind === 'level') level = found.level;
      else if (found.kind === 'category') category = found.category;
      else return fail(complaintWordError(found, 'usage.complaint'));
      i += found.words;
    } else if (found?.kind === 'missingValue') {
      return fail(complaintWordError(found, 'usage.complaint'));
    } else if (phoneHere) {
      phone = phoneHere.phone;
      i += phoneHere.words;
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
  let note = restFrom(text, tokens, i);
  if (phone === undefined) {
    // A phone inside the note is the customer's: taken out of the note when it stands alone.
    const inNote = findPhones(note).find((p) => p.kind !== 'local');
    if (inNote) {
      phone = inNote.digits;
      const before = note.slice(0, inNote.start);
      const after = note.slice(inNote.end);
      if (/(^|[\s\u3000])$/.test(before) && /^($|[\s\u3000，,。；;])/.test(after)) note = `${before.trimEnd()} ${after.replace(/^[\s\u3000，,。；;]+/, '')}`.trim();
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
      if ((found && found.kind !== 'missingValue') || phoneAt(tokens, j) || isAtWord(words[j]!)) return true;
    }
    return false;
  }
}
