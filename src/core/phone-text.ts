/**
 * Phone numbers inside free text (notes, plans, names, departments), however
 * people type them: glued to words, in full-width digits, with +86, dashes,
 * spaces, dots or brackets; mobiles, landlines with their area code, 400/800
 * numbers, international numbers, and a bare local landline next to a word that
 * says it is one. One finder serves the parser (a phone wherever it stands) and
 * the one masking step for everything more than the owner can read.
 */

const FULL_WIDTH_DIGIT = /[０-９]/g;
/** Full-width digits as ASCII, same length: positions in the text stay where they were. */
export const asciiDigits = (text: string) => text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** A run of digit groups joined by one separator each (or a bracketed area code). */
const RUN = /[+＋]?[(（]?\d+(?:(?:[ \t\u3000\-–—.]|[)）][ \t\u3000]?|[ \t\u3000]?[(（])\d+)*/g;
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/;
const LOCAL_HINT = /(电话|座机|手机|号码|联系|致电|回电|打给|tel|phone|call|fax|传真)[\s:：]*$/i;

/** A phone's kind by its digits as dialled in China (no country code); null when it is none. */
function kindOf(digits: string, international: boolean): 'mobile' | 'landline' | 'service' | 'international' | null {
  if (international) return digits.length >= 8 && digits.length <= 15 ? 'international' : null;
  if (/^1[3-9]\d{9}$/.test(digits)) return 'mobile';
  if (/^0[1-9]\d{8,10}$/.test(digits)) return 'landline';
  if (/^[48]00\d{7}$/.test(digits)) return 'service';
  return null;
}

export interface PhoneInText {
  readonly start: number;
  readonly end: number;
  /** The digits as dialled (country code dropped for mainland numbers; kept for others). */
  readonly digits: string;
  readonly kind: 'mobile' | 'landline' | 'service' | 'international' | 'local';
}

/** Every phone number in a text, by position. */
export function findPhones(text: string): PhoneInText[] {
  const ascii = asciiDigits(text);
  const found: PhoneInText[] = [];
  for (const m of ascii.matchAll(RUN)) {
    const run = m[0];
    const at = m.index;
    if (DATE.test(run)) continue;
    // The run's digit groups with where each starts and ends in the text.
    const groups = [...run.matchAll(/\d+/g)].map((g) => ({ digits: g[0], start: at + g.index, end: at + g.index + g[0].length }));
    const plus = /^[+＋]/.test(run);
    let i = 0;
    while (i < groups.length) {
      let matched = false;
      // The longest sequence of groups from i that makes one phone.
      for (let j = groups.length - 1; j >= i && !matched; j--) {
        let digits = groups.slice(i, j + 1).map((g) => g.digits).join('');
        const international = i === 0 && plus && !digits.startsWith('86');
        const countryCode = i === 0 && (plus || digits.startsWith('0086')) && !international;
        if (countryCode) digits = digits.replace(/^(00)?86/, '');
        else if (digits.startsWith('86') && /^861[3-9]\d{9}$/.test(digits)) digits = digits.slice(2);
        let kind = kindOf(digits, international);
        // After +86 a landline drops its trunk 0 (+86 10 6552 1234): put it back.
        if (!kind && countryCode && kindOf(`0${digits}`, false) === 'landline') {
          digits = `0${digits}`;
          kind = 'landline';
        }
        if (kind) {
          const start = i === 0 ? at : groups[i]!.start;
          found.push({ start: kind === 'landline' && ascii[start - 1] && /[(（]/.test(ascii[start - 1]!) ? start - 1 : start, end: groups[j]!.end, digits, kind });
          i = j + 1;
          matched = true;
        }
      }
      if (matched) continue;
      const group = groups[i]!;
      // A mobile glued to more digits, or a bare local landline a word says is a phone.
      if (group.digits.length > 11 && /1[3-9]\d{9}/.test(group.digits)) found.push({ ...group, kind: 'mobile' });
      else if (/^[2-9]\d{6,7}$/.test(group.digits) && LOCAL_HINT.test(ascii.slice(Math.max(0, group.start - 8), group.start))) {
        found.push({ ...group, kind: 'local' });
      } else if (i + 1 < groups.length && /^[2-9]\d{2,3}$/.test(group.digits) && /^\d{4}$/.test(groups[i + 1]!.digits)) {
        // `8765 4321` after a phone word: a local number in two groups.
        const digits = group.digits + groups[i + 1]!.digits;
        if (LOCAL_HINT.test(ascii.slice(Math.max(0, group.start - 8), group.start))) {
          found.push({ start: group.start, end: groups[i + 1]!.end, digits, kind: 'local' });
          i += 2;
          continue;
        }
      }
      i++;
    }
  }
  return found;
}

/** A phone's digits with the middle hidden: 138****5678, 010****5678, 400****820. */
export function maskDigits(digits: string, kind: PhoneInText['kind']): string {
  if (kind === 'service') return `${digits.slice(0, 3)}****${digits.slice(-3)}`;
  if (digits.length <= 8) return `${digits.slice(0, 2)}****${digits.slice(-2)}`;
  return `${kind === 'international' ? '+' : ''}${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** The text with every phone number in it masked; everything else as it was. */
export function maskPhonesIn(text: string): string {
  const phones = findPhones(text);
  if (phones.length === 0) return text;
  let out = '';
  let from = 0;
  for (const p of phones) {
    out += text.slice(from, p.start) + maskDigits(p.digits, p.kind);
    from = p.end;
  }
  return out + text.slice(from);
}
