import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fail, ok, type Result } from './result';

/** A token that the user most likely meant as a phone number (digits, +, -, parentheses). */
export function looksLikePhone(token: string): boolean {
  return /^\+?[\d()\-]{5,}$/.test(token) && (token.match(/\d/g)?.length ?? 0) >= 5;
}

/** Normalises a phone number to E.164, China as the default region. */
export function normalisePhone(raw: string): Result<string> {
  const parsed = parsePhoneNumberFromString(raw, 'CN');
  if (!parsed || !parsed.isValid()) return fail({ key: 'err.invalidPhone', params: { phone: raw }, field: 'phone' });
  return ok(parsed.number);
}

/**
 * The digits of a stored (E.164) number as dialled inside China: 13812345678 for
 * a mobile, 01012345678 for a landline (trunk 0 restored). Mainland numbers are
 * read directly, since lists mask many of them; others go through libphonenumber.
 */
function mainlandDigits(e164: string): string | null {
  const m = /^\+86(\d{7,11})$/.exec(e164);
  if (!m) return null;
  const national = m[1]!;
  return national.startsWith('1') && national.length === 11 ? national : `0${national}`;
}

/**
 * The phone as people read it, with its middle hidden: 138****5678 for a
 * Chinese mobile; other numbers keep their first three and last four digits.
 */
export function maskPhone(e164: string): string {
  const digits = mainlandDigits(e164) ?? e164.replace(/\D/g, '');
  if (digits.length <= 7) return digits.slice(0, 2) + '*'.repeat(Math.max(digits.length - 4, 1)) + digits.slice(-2);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** The phone in full, written the way it is dialled in China (13812345678, 01012345678, +1 212 …). */
export function displayPhone(e164: string): string {
  return mainlandDigits(e164) ?? parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
