import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { z } from 'zod';
import { intakeDeliveryRepository, type SourceSecrets } from '../../../db/repositories/intake';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import type { Outgoing } from '../../chat/message';
import { EVENT_SOURCE, NOBODY } from '../../core/actors';
import { NOTE_MAX_CHARS } from '../../core/grammar/commands';
import { parseCategory, parseLevel } from '../../core/complaints';
import { CUSTOMER_NAME_MAX_CHARS, draftContact } from '../../core/contact-draft';
import type { Team } from '../../core/model';
import type { LogField, UserError } from '../../core/result';
import { nextInRotation, rotationState } from '../../core/rotation';
import { BACKDATE_MAX_DAYS, checkReceivedAt } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import { createComplaintActions } from '../complaints/complaint-actions';
import { dayOf } from '../front-desk/rotation';
import { createContactLogging } from '../contacts/log-contact';
import type { CommandServiceDeps } from '../commands/requests';
import type { FieldProblem } from './cti';
import { unownedNotices } from './messages';

/** The event types taken, and what `contact.received` carries (Standard Webhooks: `{ type, timestamp, data }`). */
const envelopeSchema = z.object({ type: z.string({ message: 'the event type, "contact.received"' }), timestamp: z.string().optional(), data: z.unknown() });
const contactReceivedSchema = z.object({
  channel: z.string({ message: 'one of call, missed, wechat, email, visit, complaint' }),
  customer: z.object(
    {
      name: z.string({ message: `the customer's name, 1 to ${CUSTOMER_NAME_MAX_CHARS} characters` }),
      phone: z.string({ message: 'a phone number such as 13812345678, or leave it out' }).nullish(),
    },
    { message: "an object with the customer's name and phone" },
  ),
  receivedAt: z.string({ message: 'an ISO 8601 time with its offset, such as 2026-12-07T10:15:00+08:00' }).nullish(),
  text: z.string({ message: `the message, at most ${NOTE_MAX_CHARS} characters` }).nullish(),
  owner: z.string({ message: "a member's user id" }).nullish(),
  level: z.string({ message: 'normal, major or urgent' }).nullish(),
  category: z.string({ message: 'quality, delivery-delay, fees, promise, area, attitude, process or other' }).nullish(),
});

/** Where each of the log command's fields sits in the event, and what it should be. */
const FIELD_OF: Readonly<Record<LogField, { path: string; expected: string }>> = {
  channel: { path: 'data.channel', expected: 'one of call, missed, wechat, email, visit, complaint' },
  customer: { path: 'data.customer.name', expected: `the customer's name, 1 to ${CUSTOMER_NAME_MAX_CHARS} characters, not a number` },
  phone: { path: 'data.customer.phone', expected: 'a full phone number such as 13812345678 or +8613812345678' },
  at: { path: 'data.receivedAt', expected: `an ISO 8601 time with its offset (2026-12-07T10:15:00+08:00), not in the future, at most ${BACKDATE_MAX_DAYS} days back` },
  note: { path: 'data.text', expected: `at most ${NOTE_MAX_CHARS} characters` },
  level: { path: 'data.level', expected: 'normal, major or urgent' },
  category: { path: 'data.category', expected: 'quality, delivery-delay, fees, promise, area, attitude, process or other' },
};

const problemOf = (error: UserError): FieldProblem => {
  const field = FIELD_OF[error.field ?? 'note'];
  return { code: 'invalid_field', field: field.path, message: `${field.path}: ${t('en', error.key, error.params)} Expected ${field.expected}.` };
};

/** The longest webhook-id kept (the spec's examples are about 30 characters). */
const WEBHOOK_ID_MAX = 200;

/** How a signed event ended: the answer to send (kept for a retry), and what to send the chat once it is saved. */
export interface EventReceipt {
  readonly status: number;
  readonly body: unknown;
  readonly type: string;
  readonly outcome: string;
  readonly notices: readonly Outgoing[];
}

/**
 * Verifies a Standard Webhooks signature with the `standardwebhooks` package, against the
 * source's secret and, while a rotation lasts, its previous one. The package checks the
 * timestamp (±5 minutes) against the system clock, as a sender's clock is.
 */
export function verifySignature(body: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>, source: SourceSecrets, now: DateTime): boolean {
  const signed: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = headers[name];
    if (typeof value === 'string') signed[name] = value;
  }
  const secrets = [source.secret, ...(source.previousSecret && source.previousValidUntil && source.previousValidUntil > now ? [source.previousSecret] : [])];
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, signed, { jsonParse: false });
      return true;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
    }
  }
  return false;
}

/**
 * Other systems' contacts (a CRM, a web form's 在线留言) by signed event, `contact.received`,
 * made exactly as `/cs log` makes one: the same checks, the same back-dating limit, the owner by
 * phone unless given. Idempotent on `webhook-id`: a retry gets the first answer and makes
 * nothing new, on any replica; nothing is half-written.
 */
export function createEventIntake(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;
  const logging = createContactLogging(deps, createComplaintActions(deps));

  async function receive(team: Team, webhookId: string, body: Buffer): Promise<EventReceipt> {
    if (webhookId.length > WEBHOOK_ID_MAX) return refuse({ code: 'invalid_field', field: 'webhook-id', message: `webhook-id: expected at most ${WEBHOOK_ID_MAX} characters` }, 'unknown');
    const read = readEvent(body);
    const type = read.ok ? read.type : (read.type ?? 'unknown');
    const receipt = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const before = await intakeDeliveryRepository.claim(trx, team.id, webhookId, now);
      if (before) return { status: before.status, body: before.body, type, outcome: 'duplicate', notices: [] as Outgoing[], wrote: false };
      const answer = async (status: number, answerBody: object, outcome: string, contactId: number | null = null, notices: Outgoing[] = []) => {
        await intakeDeliveryRepository.answer(trx, team.id, webhookId, status, answerBody, contactId);
        return { status, body: answerBody, type, outcome, notices, wrote: contactId !== null };
      };
      if (!read.ok) return answer(400, problemBody(read.problem), 'invalid');
      const data = read.data;
      const owner = data.owner?.trim() || null;
      if (owner) {
        const member = await teamRepository.memberOf(trx, team.id, owner);
        if (!member || member.active === false)
          return answer(
            400,
            problemBody({
              code: 'invalid_field',
              field: 'data.owner',
              message: `data.owner: "${owner}" is no member of the team. Expected a member's user id, or leave it out to find the owner by phone.`,
            }),
            'invalid',
          );
      }
      const draft = draftContact({ channel: data.channel, customer: data.customer.name, phone: data.customer.phone ?? '', note: data.text ?? '' }, team.zone, now);
      if (!draft.ok) return answer(400, problemBody(problemOf(draft.error)), 'invalid');
      const receivedAt = readReceivedAt(data.receivedAt ?? null, team, now);
      if (!receivedAt.ok) return answer(400, problemBody(receivedAt.problem), 'invalid');
      const complaint = draft.value.channel === 'complaint';
      const level = complaint && data.level ? parseLevel(data.level.trim()) : null;
      if (complaint && data.level && !level) return answer(400, problemBody(problemOf({ key: 'err.badLevel', params: { value: data.level }, field: 'level' })), 'invalid');
      const category = complaint && data.category ? parseCategory(data.category.trim()) : null;
      if (complaint && data.category && !category) return answer(400, problemBody(problemOf({ key: 'err.badCategory', params: { value: data.category }, field: 'category' })), 'invalid');
      const recorded = await logging.record(trx, {
        team,
        // The system logged it (its owner is told, as when a colleague logs for them); who owns a new number: the owner given, else the front desk's next.
        loggedBy: EVENT_SOURCE,
        ownerForNew: owner ?? (await rotationNext(trx, team, now)) ?? NOBODY,
        channel: draft.value.channel,
        customerName: draft.value.customerName,
        phone: draft.value.phone,
        receivedAt: receivedAt.value,
        note: draft.value.note,
        requestKey: `events:${team.id}:${createHash('sha256').update(webhookId).digest('hex')}`,
        level,
        category,
        eventExtra: { via: 'signed-event', ...(owner ? { ownerGiven: owner } : {}) },
      });
      if (recorded.kind === 'error') return answer(400, problemBody(problemOf(recorded.error)), 'invalid');
      const contact = recorded.contact;
      const notices =
        recorded.kind === 'logged'
          ? [...(contact.ownerUserId === NOBODY ? await unownedNotices(trx, team, contact) : []), ...(await logging.noticesOf(team, contact, recorded.due, EVENT_SOURCE, team.lang))]
          : [];
      return answer(200, { contactId: contact.id }, recorded.kind === 'logged' ? 'logged' : 'duplicate', contact.id, notices);
    });
    if (receipt.wrote) deps.onDeadlinesChanged?.();
    logger.info({ teamId: team.id, type, outcome: receipt.outcome, status: receipt.status }, 'signed event');
    const notices = team.platform === deps.platform ? receipt.notices : [];
    return { status: receipt.status, body: receipt.body, type, outcome: receipt.outcome, notices };
  }

  return Object.freeze({ receive });
}

const problemBody = (p: FieldProblem) => ({ error: { code: p.code, ...(p.field ? { field: p.field } : {}), message: p.message } });
const refuse = (p: FieldProblem, type: string): EventReceipt => ({ status: 400, body: problemBody(p), type, outcome: 'invalid', notices: [] });

type ReadEvent = { ok: true; type: string; data: z.infer<typeof contactReceivedSchema> } | { ok: false; type?: string; problem: FieldProblem };

/** The event's JSON: its type, and a `contact.received`'s data checked field by field. */
function readEvent(body: Buffer): ReadEvent {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, problem: { code: 'invalid_json', field: null, message: 'the body is not valid JSON' } };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, problem: zodProblem(envelope.error) };
  const type = envelope.data.type;
  if (type !== 'contact.received')
    return { ok: false, type: 'unknown', problem: { code: 'unknown_type', field: 'type', message: `type: "${type.slice(0, 40)}" is not taken. Expected "contact.received".` } };
  const data = contactReceivedSchema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, type, problem: zodProblem(data.error, 'data') };
  return { ok: true, type, data: data.data };
}

function zodProblem(error: z.ZodError, prefix?: string): FieldProblem {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return { code: 'invalid_field', field, message: `${field}: ${missing ? 'required' : 'not accepted'}. Expected ${issue.message}.` };
}

/** When the contact came in: an ISO time with its offset (one without is read in the team's zone); now when not given. */
function readReceivedAt(raw: string | null, team: Team, now: DateTime): { ok: true; value: DateTime } | { ok: false; problem: FieldProblem } {
  if (raw === null || raw.trim() === '') return { ok: true, value: now };
  const at = DateTime.fromISO(raw.trim(), { zone: team.zone, setZone: true });
  if (!at.isValid) return { ok: false, problem: problemOf({ key: 'err.badTime', params: { value: raw }, field: 'at' }) };
  const checked = checkReceivedAt(at.toUTC(), team.zone, now);
  return checked.ok ? { ok: true, value: checked.value } : { ok: false, problem: problemOf(checked.error) };
}

/** Today's next consultant at the front desk, on a day it runs: who takes a new customer no owner was given for. */
async function rotationNext(db: Parameters<typeof rotationRepository.day>[0], team: Team, now: DateTime): Promise<string | null> {
  const events = await rotationRepository.day(db, team.id, dayOf(team, now));
  return events.length ? nextInRotation(rotationState(events, now.toMillis()), now.toMillis()).user : null;
}
