import { looksLikePhone } from './phone';
import { findPhones, MASKED_NUMBER, type PhoneInText } from './phone-text';
import type { Token } from './grammar/tokens';

/**
 * The one reader of "name, phone, note" — what every command and form that takes a
 * customer reads (log, complaint, visit, the log form): the customer's name, their phone
 * wherever it stands (after a name of several words, glued to the name, in groups, in the
 * note) and where the rest begins.
 */
export interface CustomerLine {
  readonly customer: string;
  /** The phone's digits as found (checked later, so a typo is named); undefined when none was given. */
  readonly phone?: string;
  /** The token the options and note go on from, or, when the phone ran into more text glued to it, where that text starts. */
  readonly next: { readonly token: number } | { readonly at: number };
  /** The phone was found in text already past the name; `next` is the token after the name. */
  readonly phoneLater?: PhoneInText;
  readonly readAs?: 'name-words';
}

/** The most a name of several words may be: `黄 建国`, `欧阳 女士`, `Mary Wang` — not a sentence. */
const NAME_MAX_CJK = 5;
const NAME_MAX_LATIN = 40;
const HAN = /\p{Script=Han}/u;
/** A title said after a name, as a word of its own. */
const TITLE_WORD = /^(先生|女士|小姐|太太|夫人|总|经理|老师|阿姨|叔叔|老板|总监|主任|姐|哥)$/;
/** A word that already makes a whole name: 张先生, 王女士, 李总. */
const TITLED = /(先生|女士|小姐|太太|夫人|总|经理|老师|阿姨|叔叔|姐|哥)$/;

/** Whether words read as one person's name rather than the start of a note. */
function nameLike(words: readonly string[]): boolean {
  if (words.length === 1) return words[0] !== '' && !/^[\d０-９\s]*$/.test(words[0]!);
  if (words.length > 3) return false;
  const joined = words.join(' ');
  if (/[\d０-９+＋*]/.test(joined)) return false;
  const cjk = [...joined].filter((c) => HAN.test(c)).length;
  if (cjk > 0) {
    if (!words.every((w) => [...w].every((c) => HAN.test(c) || c === '·'))) return false;
    const [first, ...others] = words.map((w) => [...w].length);
    // A surname of one or two characters, then the given name or a title: 黄 建国, 欧阳 女士, 李 总.
    if (words.length === 2 && first! <= 2 && others[0]! <= 3 && !TITLED.test(words[0]!)) return true;
    // A whole name, then a title: 张三丰 先生, 欧阳 娜娜 女士.
    return TITLE_WORD.test(words[words.length - 1]!) && cjk <= NAME_MAX_CJK + 2 && !words.slice(0, -1).some((w) => TITLED.test(w)) && words.slice(0, -1).join('').length <= 4;
  }
  if (joined.length > NAME_MAX_LATIN || !/^[\p{L}.'\- ]+$/u.test(joined)) return false;
  return words.length === 2 || words.every((w) => /^\p{Lu}/u.test(w));
}

/** Name words as one name: Chinese characters run together (黄 建国 → 黄建国), Latin words keep their space. */
function joinName(words: readonly string[]): string {
  return words.reduce((name, word) => (name && HAN.test(name.slice(-1)) && HAN.test(word[0] ?? '') ? name + word : name ? `${name} ${word}` : word), '');
}

/** Brackets and separators left around a name once the number glued to it is out. */
const trimAround = (text: string) => text.replace(/^[\s,，:：;；(（)）[\]【】\-—]+|[\s,，:：;；(（)）[\]【】\-—]+$/g, '');

/**
 * Reads the customer from token `c` on. `isOption` says a word is a command option (`at`,
 * a complaint's level), which ends a name.
 */
export function readCustomer(text: string, tokens: readonly Token[], c: number, isOption: (i: number) => boolean): CustomerLine | { readonly error: 'missingCustomer' | 'maskedPhone' } {
  const first = tokens[c];
  if (!first) return { error: 'missingCustomer' };
  const phone = findPhones(text.slice(first.start)).find((p) => p.kind !== 'local');
  const at = phone ? { ...phone, start: phone.start + first.start, end: phone.end + first.start } : null;
  // A number where the phone goes, right after a one-word name, that is no phone: a typo to name, not a note.
  const slot = tokens[c + 1];
  const typo = slot && looksLikePhone(slot.word) && !(at && at.start < slot.end && at.end > slot.start) ? { customer: first.text, phone: slot.text, next: { token: c + 2 } } : null;
  if (!at) {
    if (typo) return typo;
    if (MASKED_NUMBER.test(text.slice(first.start))) return { error: 'maskedPhone' };
    return { customer: first.text, next: { token: c + 1 } };
  }
  // The token the phone starts in, and the name words before it.
  let k = c;
  while (k + 1 < tokens.length && tokens[k + 1]!.start <= at.start) k++;
  const words = tokens.slice(c, k).map((t) => t.text);
  const glued = trimAround(text.slice(tokens[k]!.start, at.start).replace(/^["“]/, ''));
  if (glued) words.push(glued);
  if (words.length === 0) return { error: 'missingCustomer' };
  const optionInName = tokens.slice(c + 1, k + (glued ? 1 : 0)).some((_, n) => isOption(c + 1 + n));
  if (!optionInName && nameLike(words)) {
    return { customer: joinName(words), phone: at.digits, next: after(text, tokens, at.end), ...(words.length > 1 ? { readAs: 'name-words' as const } : {}) };
  }
  // A name of one word; the phone stands later, among the options or in the note.
  if (k === c) return { customer: glued, phone: at.digits, next: after(text, tokens, at.end) };
  if (typo) return typo;
  return { customer: first.text, next: { token: c + 1 }, phoneLater: at };
}

/** Where the line goes on after a phone that ends at `end`: the next word, or the text glued to the phone. */
export function after(text: string, tokens: readonly Token[], end: number): CustomerLine['next'] {
  const m = tokens.findIndex((t) => t.end > end);
  if (m < 0) return { token: tokens.length };
  if (tokens[m]!.start >= end) return { token: m };
  const rest = text.slice(end, tokens[m]!.end);
  // Only a closing bracket or separator glued after the number: the next word goes on.
  return /^[\s,，:：;；)）\]】\-—"”]*$/.test(rest) ? { token: m + 1 } : { at: end + (rest.length - rest.replace(/^[\s,，:：;；)）\]】\-—]+/, '').length) };
}
