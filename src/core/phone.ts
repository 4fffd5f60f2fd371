import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { maskDigits } from './phone-text';
import { fail, ok, type Result } from './result';

/** A token that the user most likely meant as a phone number (digits, +, -, parentheses). */
export function looksLikePhone(token: string): boolean {
  return /^\+?[\d()-]{5,}$/.test(token) && (token.match(/\d/g)?.length ?? 0) >= 5;
}

/** Normalises a phone number to E.164, China as the default region. */
export function normalisePhone(raw: string): Result<string> {
  const parsed = parsePhoneNumberFromString(raw, 'CN');
  if (!parsed?.isValid()) return fail({ key: 'err.invalidPhone', params: { phone: raw }, field: 'phone' });
  return ok(parsed.number);
}

type MainlandKind = 'mobile' | 'service' | 'landline';

/**
 * The digits of a stored (E.164) number as dialled inside China: 13812345678 for
 * a mobile, 4008208820 for a 400/800 service number, 01012345678 for a landline
 * (trunk 0 restored). Mainland numbers are read directly, since lists mask many of
 * them; others go through libphonenumber.
 */
function mainland(e164: string): { digits: string; kind: MainlandKind } | null {
  const m = /^\+86(\d{7,11})$/.exec(e164);
  if (!m) return null;
  const national = m[1]!;
  if (national.startsWith('1') && national.length === 11) return { digits: national, kind: 'mobile' };
  if (/^[48]00\d{7}$/.test(national)) return { digits: national, kind: 'service' };
  return { digits: `0${national}`, kind: 'landline' };
}

/**
 * The phone as people read it, with its middle hidden: 138****5678 for a Chinese
 * mobile, 010****5678 for a landline, 400****820 for a service number; other
 * numbers keep their first three and last four digits.
 */
export function maskPhone(e164: string): string {
  const found = mainland(e164);
  if (found) return maskDigits(found.digits, found.kind);
  const digits = e164.replace(/\D/g, '');
  if (digits.length <= 7) return digits.slice(0, 2) + '*'.repeat(Math.max(digits.length - 4, 1)) + digits.slice(-2);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * The phone in full, written the way it is dialled in China: 13812345678,
 * 010-12345678 (area code apart), 400 820 8820, +1 212-555-0123. The separators
 * also keep a landline's leading 0 when a CSV is opened in Excel.
 */
export function displayPhone(e164: string): string {
  const found = mainland(e164);
  if (!found) return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
  const d = found.digits;
  if (found.kind === 'mobile') return d;
  if (found.kind === 'service') return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
  const area = /^0(10|2\d)/.test(d) ? 3 : 4;
  return `${d.slice(0, area)}-${d.slice(area)}`;
}
