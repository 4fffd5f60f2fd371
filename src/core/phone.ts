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
 * The phone as people read it, with its middle hidden: 138****5678 for a
 * Chinese mobile; other numbers keep their first three and last four digits.
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const digits = parsed?.country === 'CN' ? parsed.formatNational().replace(/\D/g, '') : e164.replace(/\D/g, '');
  if (digits.length <= 7) return digits.slice(0, 2) + '*'.repeat(Math.max(digits.length - 4, 1)) + digits.slice(-2);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** The phone in full, written the way it is dialled in China (13812345678, 010 1234 5678, +1 212 …). */
export function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'CN' ? parsed.formatNational().replace(/\D/g, '') : parsed.formatInternational();
}
