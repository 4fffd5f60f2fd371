import type { DateTime } from 'luxon';
import { parseChannel, type ContactChannel } from './channels';
import { checkNote, type LogFields } from './grammar/command-parts';
import { parseCategory, parseLevel } from './complaints';
import { readCustomer } from './customer-line';
import { looksLikePhone, normalisePhone } from './phone';
import { MASKED_NUMBER } from './phone-text';
import { inertMarkup } from './input';
import { restFrom, tokenize } from './grammar/tokens';
import { fail, ok, type LogField, type Result } from './result';
import { parseAtSpec, resolveAt } from './time/time-of-day';

/** A contact ready to be stored: every field checked (its deadlines come from the team's policy, see deadlines.ts). */
export interface ContactDraft {
  readonly channel: ContactChannel;
  readonly customerName: string;
  /** E.164, or null when none was given. */
  readonly phone: string | null;
  readonly receivedAt: DateTime;
  readonly note: string;
  /** The line was read in a way worth telling back (a name of several words, a phone found elsewhere). */
  readonly readAs: boolean;
}

export const CUSTOMER_NAME_MAX_CHARS = 60;
const usage = 'usage.log' as const;

function checkChannel(raw: string): Result<ContactChannel> {
  const channel = parseChannel(raw.trim());
  return channel ? ok(channel) : fail({ key: 'err.unknownChannel', params: { word: raw }, usage, field: 'channel' });
}

function checkCustomer(raw: string): Result<string> {
  const name = inertMarkup(raw.trim());
  if (name === '' || looksLikePhone(name)) return fail({ key: 'err.missingCustomer', usage, field: 'customer' });
  if (MASKED_NUMBER.test(name)) return fail({ key: 'err.maskedPhone', usage, field: 'customer' });
  const length = [...name].length;
  if (length > CUSTOMER_NAME_MAX_CHARS) return fail({ key: 'err.nameTooLong', params: { length, max: CUSTOMER_NAME_MAX_CHARS }, usage, field: 'customer' });
  return ok(name);
}

function checkPhone(raw: string | undefined): Result<string | null> {
  const text = raw?.trim();
  if (!text) return ok(null);
  if (MASKED_NUMBER.test(text)) return fail({ key: 'err.maskedPhone', usage, field: 'phone' });
  const normalised = normalisePhone(text);
  return normalised.ok ? normalised : fail({ ...normalised.error, usage });
}

function checkAt(raw: string | undefined, zone: string, now: DateTime): Result<DateTime> {
  const text = raw?.trim();
  if (!text) return ok(now);
  const spec = parseAtSpec(text);
  if (!spec.ok) return fail({ ...spec.error, usage });
  const at = resolveAt(spec.value, zone, now);
  return at.ok ? at : fail({ ...at.error, usage });
}

/** A customer field longer than this is no name with a phone in it: it is refused as too long, unread. */
const CUSTOMER_LINE_MAX_CHARS = 200;

/**
 * A form's customer field read by the one reader of customer lines: `黄 建国 +86 138…`
 * typed into the name field is the name 黄建国 and that phone (the phone field wins
 * when both are given), and words after the phone go before the note.
 */
function customerOfField(fields: LogFields): LogFields {
  if (!/[\d０-９]/.test(fields.customer)) return fields;
  const tokens = tokenize(fields.customer);
  const line = readCustomer(fields.customer, tokens, 0, () => false);
  if ('error' in line || line.phone === undefined || line.phoneLater) return fields;
  const rest = 'at' in line.next ? fields.customer.slice(line.next.at) : restFrom(fields.customer, tokens, line.next.token);
  const note = [rest.trim(), fields.note.trim()].filter(Boolean).join(' ');
  return { ...fields, customer: line.customer, phone: fields.phone?.trim() ? fields.phone : line.phone, note, readAs: 'name-words' };
}

/** Checks one field of the log form as soon as it is answered (the sandbox's guided prompt). */
export function checkLogField(field: LogField, value: string, zone: string, now: DateTime): Result<unknown> {
  switch (field) {
    case 'channel':
      return checkChannel(value);
    case 'customer':
      return value.length > CUSTOMER_LINE_MAX_CHARS ? checkCustomer(value) : checkCustomer(customerOfField({ channel: '', customer: value, note: '' }).customer);
    case 'phone':
      return checkPhone(value);
    case 'at':
      return checkAt(value, zone, now);
    case 'note':
      return checkNote(value, false, usage);
    case 'level':
      return value.trim() === '' || parseLevel(value.trim()) ? ok(value.trim()) : fail({ key: 'err.badLevel', params: { value }, field: 'level' });
    case 'category':
      return value.trim() === '' || parseCategory(value.trim()) ? ok(value.trim()) : fail({ key: 'err.badCategory', params: { value }, field: 'category' });
  }
}

/** A form's level and category answers as log fields: known words only, empty ones left out. */
export function optionalComplaintFields(level: string | undefined, category: string | undefined): Pick<LogFields, 'level' | 'category'> {
  const l = level ? parseLevel(level.trim()) : null;
  const c = category ? parseCategory(category.trim()) : null;
  return { ...(l ? { level: l } : {}), ...(c ? { category: c } : {}) };
}

/**
 * Checks what the log command or the log form collected. The same rules serve the
 * command line, the Slack modal and the sandbox prompt.
 */
export function draftContact(typed: LogFields, zone: string, now: DateTime): Result<ContactDraft> {
  const fields = typed.customer.length > CUSTOMER_LINE_MAX_CHARS ? typed : customerOfField(typed);
  const channel = checkChannel(fields.channel);
  if (!channel.ok) return channel;
  const customerName = checkCustomer(fields.customer);
  if (!customerName.ok) return customerName;
  const phone = checkPhone(fields.phone);
  if (!phone.ok) return phone;
  const receivedAt = checkAt(fields.at, zone, now);
  if (!receivedAt.ok) return receivedAt;
  const note = checkNote(fields.note, false, usage);
  if (!note.ok) return note;
  return ok({
    channel: channel.value,
    customerName: customerName.value,
    phone: phone.value,
    receivedAt: receivedAt.value,
    note: note.value,
    readAs: Boolean(fields.readAs),
  });
}
