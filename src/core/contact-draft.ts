import type { DateTime } from 'luxon';
import { parseChannel, type ContactChannel } from './channels';
import { checkNote, type LogFields } from './commands';
import { looksLikePhone, normalisePhone } from './phone';
import { firstResponseDue, type FirstResponseDue } from './policy';
import { fail, ok, type Result } from './result';
import { parseAtSpec, resolveAt } from './time';

/** A contact ready to be stored: every field checked, its deadline computed. */
export interface ContactDraft {
  readonly channel: ContactChannel;
  readonly customerName: string;
  /** E.164, or null when none was given. */
  readonly phone: string | null;
  readonly receivedAt: DateTime;
  readonly note: string;
  readonly due: FirstResponseDue | null;
}

export const CUSTOMER_NAME_MAX_CHARS = 60;

/**
 * Checks what the log command or the log form collected and computes the first-response
 * deadline. The same rules serve the command line, the Slack modal and the sandbox prompt.
 */
export function draftContact(fields: LogFields, zone: string, now: DateTime): Result<ContactDraft> {
  const usage = 'usage.log' as const;
  const channel = parseChannel(fields.channel.trim());
  if (!channel) return fail({ key: 'err.unknownChannel', params: { word: fields.channel }, usage, field: 'channel' });

  const customerName = fields.customer.trim();
  if (customerName === '' || looksLikePhone(customerName)) return fail({ key: 'err.missingCustomer', usage, field: 'customer' });
  if ([...customerName].length > CUSTOMER_NAME_MAX_CHARS) {
    return fail({ key: 'err.noteTooLong', params: { length: [...customerName].length, max: CUSTOMER_NAME_MAX_CHARS }, usage, field: 'customer' });
  }

  let phone: string | null = null;
  const rawPhone = fields.phone?.trim();
  if (rawPhone) {
    const normalised = normalisePhone(rawPhone);
    if (!normalised.ok) return fail({ ...normalised.error, usage });
    phone = normalised.value;
  }

  let receivedAt = now;
  const rawAt = fields.at?.trim();
  if (rawAt) {
    const spec = parseAtSpec(rawAt);
    if (!spec.ok) return fail({ ...spec.error, usage });
    const at = resolveAt(spec.value, zone, now);
    if (!at.ok) return fail({ ...at.error, usage });
    receivedAt = at.value;
  }

  const note = checkNote(fields.note, false, usage);
  if (!note.ok) return note;

  return ok({ channel, customerName, phone, receivedAt, note: note.value, due: firstResponseDue(channel, receivedAt) });
}
