/**
 * Personal numbers inside free text (notes, plans, names, departments), however people
 * type them: glued to words, in full-width digits, with +86, dashes, spaces, dots or
 * brackets — mobiles, landlines with their area code, 400/800 numbers, international
 * numbers, bare 8-digit local landlines, ID-card numbers (身份证号) and bank-card numbers.
 * One finder serves the parser (a phone wherever it stands) and the one masking step for
 * everything more than the owner can read.
 *
 * The rule that keeps it honest: a number is whole digit runs. Digits glued to more digits
 * are one run, and a run is a phone only when all of it is one (an order number of 13
 * digits is no phone with two digits over); runs joined by one separator (`138 0013 8000`,
 * `0755-8888 9999`) may make one number together. The finder reads the text once, looking
 * at most MAX_GROUPS groups and MAX_DIGITS digits ahead of each run, so its work grows with the text's length and
 * never with the ways its runs could be combined.
 */

/** The most digits one number can have (a bank card: 19; with a country code before a phone: 0086 + 13). */
const MAX_DIGITS = 19;
/** The most groups one number is written in: a mobile digit by digit (1 3 8 …) has eleven. */
const MAX_GROUPS = 11;

/** Full-width digits and signs as ASCII, one character for one: positions in the text stay where they were. */
export const asciiDigits = (text: string) => text.replace(/[０-９＋（）－．\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

/** What may stand between two digit groups of one number: one space, a dash or dot, or a bracket. */
const JOIN = /^(?:[ \t]{1,2}|[ \t]?[-–—.][ \t]?|[ \t]?[()][ \t]?|\)[-–—]|\)[ \t]?\()$/;
const LOCAL_HINT = /(电话|座机|手机|号码|联系|致电|回电|打给|固话|tel|phone|call|fax|传真)[\s:：是为]*$/i;

export type NumberKind = 'mobile' | 'landline' | 'service' | 'international' | 'local' | 'idcard' | 'bankcard';

export interface NumberInText {
  readonly start: number;
  readonly end: number;
  /** The digits as dialled (country code dropped for mainland numbers; kept for others); an ID card's X kept. */
  readonly digits: string;
  readonly kind: NumberKind;
}

/** Kept for the parser's callers: a phone found in text. */
export type PhoneInText = NumberInText;

const PHONE_KINDS: ReadonlySet<NumberKind> = new Set(['mobile', 'landline', 'service', 'international', 'local']);

/** A mainland number's kind by its digits as dialled in China; null when it is none. */
function mainlandKind(digits: string): 'mobile' | 'landline' | 'service' | null {
  if (/^1[3-9]\d{9}$/.test(digits)) return 'mobile';
  if (/^0[1-9]\d{8,10}$/.test(digits)) return 'landline';
  if (/^[48]00\d{7}$/.test(digits)) return 'service';
  return null;
}

/** An 18-character resident ID number whose check character is right (GB 11643). */
function isIdCard(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * weights[i]!;
  return '10X98765432'[sum % 11] === id[17]!.toUpperCase();
}

/** A payment card number: 15 to 19 digits passing the Luhn check. */
function isBankCard(digits: string): boolean {
  if (!/^[3-6]\d{14,18}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Digits from `start` to `end` written as money: a currency sign before, or a unit after. */
const isAmount = (ascii: string, start: number, end: number) => /[¥￥$]\s?$/.test(ascii.slice(Math.max(0, start - 2), start)) || /^\s?(元|块|万|圆|rmb|cny)/i.test(ascii.slice(end, end + 4));

/** Eight digits that read as a date (20261206), not a phone. */
const looksLikeDate = (digits: string) => /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(digits);

interface Group {
  readonly digits: string;
  readonly start: number;
  readonly end: number;
}

/**
 * What the digit groups i..j of a chain make together, or null. `plus` says a `+` stands
 * before group i; `hinted`, that a word such as 电话 does.
 */
function numberOf(digits: string, groups: number, plus: boolean, hinted: boolean): { digits: string; kind: NumberKind } | null {
  if (plus || digits.startsWith('0086')) {
    const national = digits.replace(/^(00)?86/, '');
    if (national.length === digits.length) return plus && digits.length >= 8 && digits.length <= 15 ? { digits, kind: 'international' } : null;
    const kind = mainlandKind(national);
    if (kind) return { digits: national, kind };
    // After +86 a landline drops its trunk 0 (+86 10 6552 1234): put it back.
    if (mainlandKind(`0${national}`) === 'landline') return { digits: `0${national}`, kind: 'landline' };
    return null;
  }
  const kind = mainlandKind(digits);
  if (kind) return { digits, kind };
  if (/^861[3-9]\d{9}$/.test(digits)) return { digits: digits.slice(2), kind: 'mobile' };
  if (isBankCard(digits)) return { digits, kind: 'bankcard' };
  // A local landline without its area code: eight digits (in one group or 4+4), or seven after a word that says so.
  if (/^[2-9]\d{7}$/.test(digits) && groups <= 2 && !looksLikeDate(digits)) return { digits, kind: 'local' };
  if (/^[2-9]\d{6}$/.test(digits) && groups <= 2 && hinted) return { digits, kind: 'local' };
  return null;
}

/** A date written yyyy-mm-dd (or with dots) at group i: three groups that are no number. */
function dateAt(ascii: string, chain: readonly Group[], i: number): boolean {
  const [y, m, d] = [chain[i], chain[i + 1], chain[i + 2]];
  if (!y || !m || !d || !/^(19|20)\d\d$/.test(y.digits) || m.digits.length > 2 || d.digits.length > 2) return false;
  const sep = ascii.slice(y.end, m.start);
  return /^[-.]$/.test(sep) && ascii.slice(m.end, d.start) === sep && Number(m.digits) >= 1 && Number(m.digits) <= 12 && Number(d.digits) >= 1 && Number(d.digits) <= 31;
}

/** The numbers one chain of joined digit groups holds, longest first from each group on. */
function numbersInChain(ascii: string, chain: readonly Group[], found: NumberInText[]): void {
  let i = 0;
  while (i < chain.length) {
    if (dateAt(ascii, chain, i)) {
      i += 3;
      continue;
    }
    const first = chain[i]!;
    const plus = ascii[first.start - 1] === '+';
    const hinted = LOCAL_HINT.test(ascii.slice(Math.max(0, first.start - 10), first.start));
    let best: { j: number; end: number; digits: string; kind: NumberKind } | null = null;
    let digits = '';
    for (let j = i; j < chain.length && j - i < MAX_GROUPS; j++) {
      digits += chain[j]!.digits;
      if (digits.length > MAX_DIGITS + 4) break;
      const end = chain[j]!.end;
      if (digits.length < 7) continue;
      const made = numberOf(digits, j - i + 1, plus, hinted);
      // A bare eight digits with a currency sign or unit is an amount (¥35000000, 35000000 元), not a phone.
      if (made && !(made.kind === 'local' && isAmount(ascii, first.start, end))) best = { j, end, ...made };
      // An ID number's check character may be an X.
      if (digits.length === 17 && /[Xx]/.test(ascii[end] ?? '') && !/[A-Za-z0-9]/.test(ascii[end + 1] ?? '') && isIdCard(`${digits}X`)) {
        best = { j, end: end + 1, digits: `${digits}X`, kind: 'idcard' };
      } else if (digits.length === 18 && isIdCard(digits)) best = { j, end, digits, kind: 'idcard' };
    }
    if (!best) {
      i++;
      continue;
    }
    let start = plus ? first.start - 1 : first.start;
    // An opening bracket before the number whose closing one is inside it goes with it: (+86)138…, (010) 6552…
    if (ascii[start - 1] === '(' && ascii.slice(start, best.end).includes(')')) start--;
    found.push({ start, end: best.end, digits: best.digits, kind: best.kind });
    i = best.j + 1;
  }
}

/** Every personal number in a text (phones, ID and bank cards), by position; linear in the text. */
export function findNumbers(text: string): NumberInText[] {
  const ascii = asciiDigits(text);
  const found: NumberInText[] = [];
  let chain: Group[] = [];
  const flush = () => {
    if (chain.length) numbersInChain(ascii, chain, found);
    chain = [];
  };
  for (const m of ascii.matchAll(/\d+/g)) {
    const group = { digits: m[0], start: m.index, end: m.index + m[0].length };
    const last = chain[chain.length - 1];
    if (last && !JOIN.test(ascii.slice(last.end, group.start))) flush();
    chain.push(group);
  }
  flush();
  return found;
}

/** Every phone number in a text, by position (ID and bank cards left out). */
export function findPhones(text: string): PhoneInText[] {
  return findNumbers(text).filter((n) => PHONE_KINDS.has(n.kind));
}

/** A number's digits with the middle hidden: 138****5678, 010****5678, 400****820, 110***********123X. */
export function maskDigits(digits: string, kind: NumberKind): string {
  if (kind === 'idcard' || kind === 'bankcard') return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`;
  if (kind === 'service') return `${digits.slice(0, 3)}****${digits.slice(-3)}`;
  if (digits.length <= 8) return `${digits.slice(0, 2)}****${digits.slice(-2)}`;
  return `${kind === 'international' ? '+' : ''}${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** A masked number as the bot writes it (138****5678), pasted back by someone. */
export const MASKED_NUMBER = /(?<![\d*])\+?\d{2,4}\*{3,}\d{2,4}(?![\d*])/;

/** Spans of a text the bot wrote itself that masking leaves as they are: its mentions and channel references. */
const OWN_MARKUP = /<[@#][^\s<>]+>/g;

/**
 * The text with every personal number in it masked; everything else as it was. `verbatim`
 * names text the bot wrote itself (a file's path) that is never masked; so are its mentions,
 * unless `markup` is `mask` (a log line, where a WeCom user id that is a mobile is a phone too).
 */
export function maskPhonesIn(text: string, verbatim: readonly string[] = [], markup: 'keep' | 'mask' = 'keep'): string {
  const numbers = findNumbers(text);
  if (numbers.length === 0) return text;
  const kept: Array<readonly [number, number]> = [];
  if (markup === 'keep') for (const m of text.matchAll(OWN_MARKUP)) kept.push([m.index, m.index + m[0].length]);
  for (const own of verbatim) {
    if (!own) continue;
    for (let at = text.indexOf(own); at >= 0; at = text.indexOf(own, at + own.length)) kept.push([at, at + own.length]);
  }
  let out = '';
  let from = 0;
  for (const n of numbers) {
    if (kept.some(([s, e]) => n.start < e && n.end > s)) continue;
    out += text.slice(from, n.start) + maskDigits(n.digits, n.kind);
    from = n.end;
  }
  return out + text.slice(from);
}
