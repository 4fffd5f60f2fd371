import type { DateTime } from 'luxon';
import type { Db } from '../../../db/database';
import { contactRepository } from '../../../db/repositories/contacts';
import { teamRepository } from '../../../db/repositories/teams';
import { textMessage, type Outgoing } from '../../chat/message';
import { canSeeOwnedBy } from '../../core/access';
import { isSystemActor } from '../../core/actors';
import type { ContactChannel } from '../../core/channels';
import type { LogFields } from '../../core/grammar/commands';
import type { ComplaintCategory, ComplaintLevel } from '../../core/complaints';
import { draftContact } from '../../core/contact-draft';
import { contactDeadlines, type ContactDeadlines } from '../../core/time/deadlines';
import { calendarOf, NO_COMPLAINT_STATE, policyOfTeam, type Contact, type Team } from '../../core/model';
import { planNags } from '../../core/nag-plan';
import type { UserError } from '../../core/result';
import { t, type Lang } from '../../i18n';
import { noticesAfterSaving } from '../commands/after-saving';
import { levelAlerts } from '../complaints/complaint-alerts';
import type { ComplaintActions } from '../complaints/complaint-actions';
import { answer, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import * as views from './views';

/** A checked contact to store, whoever it comes from: a person typing, the phone system, another system. */
export interface ContactToRecord {
  readonly team: Team;
  /** Who logged it: the person who typed it, or the system that posted it (core/actors.ts). */
  readonly loggedBy: string;
  /** Who owns the customer when the number is new: the logger unless said. */
  readonly ownerForNew?: string;
  readonly channel: ContactChannel;
  readonly customerName: string;
  readonly phone: string | null;
  readonly receivedAt: DateTime;
  readonly note: string;
  readonly requestKey: string | null;
  readonly level: ComplaintLevel | null;
  readonly category: ComplaintCategory | null;
  /** A contact answered as it came (a call) was answered then; when it came, unless said (a call picked up after it rang). */
  readonly respondedAt?: DateTime;
  /** No clock at all, closed as it is recorded: a missed call with no number to call back. */
  readonly noClock?: boolean;
  /** More for the 'logged' audit entry (how the phone system found the owner). */
  readonly eventExtra?: object;
}

/** What recording a contact came to: the contact with its deadlines, the one its request key made before, or a mistake to answer. */
export type Recorded =
  | { readonly kind: 'logged'; readonly contact: Contact; readonly due: ContactDeadlines; readonly nags: number }
  | { readonly kind: 'duplicate'; readonly contact: Contact }
  | { readonly kind: 'error'; readonly error: UserError };

const NO_DEADLINES: ContactDeadlines = { response: null, resolution: null, guessedYears: [] };

/**
 * Logging a contact (`/cs log`, `/cs complaint`, the log form, and the intake's calls and
 * events): deadlines → reminders → one statement that writes it all → the reply and the
 * notices it causes. Everything that makes a contact goes through `record`.
 */
export function createContactLogging(deps: CommandServiceDeps, complaints: ComplaintActions) {
  const { db, clock, logger } = deps;

  /** Stores a checked contact with its customer, deadlines and reminders in one statement (inside the caller's transaction when given one). */
  async function record(into: Db, c: ContactToRecord): Promise<Recorded> {
    const now = clock.now();
    const deadlines = c.noClock ? { ok: true as const, value: NO_DEADLINES } : contactDeadlines(c.team, c.channel, c.receivedAt, deps.holidays, c.level);
    if (!deadlines.ok) return { kind: 'error', error: deadlines.error };
    const due = deadlines.value;
    // Calls and visits are answered as they happen: their first response is the contact itself.
    const answeredInPerson = policyOfTeam(c.team)[c.channel].response === null;
    const respondedAt = answeredInPerson ? (c.respondedAt ?? c.receivedAt) : null;
    const closedAt = c.noClock ? now : null;
    const toLog = {
      teamId: c.team.id,
      platform: c.team.platform,
      loggedBy: c.loggedBy,
      channel: c.channel,
      receivedAt: c.receivedAt,
      loggedAt: now,
      note: c.note,
      firstResponseDueAt: due.response?.dueAt ?? null,
      resolutionDueAt: due.resolution?.dueAt ?? null,
      firstRespondedAt: respondedAt,
      status: c.noClock ? ('closed' as const) : answeredInPerson ? ('responded' as const) : ('open' as const),
      requestKey: c.requestKey,
      level: c.level,
      category: c.category,
    };
    const nags = c.noClock ? [] : planNags(due, c.receivedAt, now, c.team.settings, calendarOf(c.team), deps.holidays, answeredInPerson);
    const logged = await contactRepository.logWithCustomer(into, {
      ...toLog,
      nags,
      customerName: c.customerName,
      phone: c.phone,
      ...(c.ownerForNew ? { ownerForNew: c.ownerForNew } : {}),
      ...(closedAt ? { resolvedAt: closedAt } : {}),
      eventAfter: {
        channel: c.channel,
        receivedAt: c.receivedAt.toISO(),
        responseDueAt: due.response?.dueAt.toISO() ?? null,
        resolutionDueAt: due.resolution?.dueAt.toISO() ?? null,
        note: c.note,
        ...(c.level ? { level: c.level } : {}),
        ...(c.category ? { category: c.category } : {}),
        ...c.eventExtra,
      },
    });
    if (!logged) {
      // The same request came before (a Slack retry, a double submission, an event sent again): nothing new.
      const existing = c.requestKey ? await contactRepository.findByRequestKey(into, c.requestKey) : null;
      if (!existing) throw new Error(`request ${c.requestKey} was handled but its contact is not there`);
      return { kind: 'duplicate', contact: existing };
    }
    const contact: Contact = {
      ...toLog,
      id: logged.id,
      customer: logged.customer,
      ownerUserId: logged.customer.ownerUserId,
      resolvedAt: closedAt,
      complaint: { ...NO_COMPLAINT_STATE, level: c.level, category: c.category, confirmedAt: c.level && c.category ? now : null },
    };
    logger.info({ contactId: contact.id, teamId: c.team.id, channel: contact.channel, nags: nags.length }, 'contact logged');
    return { kind: 'logged', contact, due, nags: nags.length };
  }

  /**
   * The notices a newly logged contact causes, as for a typed log: its owner is told when
   * someone (or something) else logged it, with the masked number and the buttons; a
   * complaint's level alerts; the managers told of a year without holiday data; a warning
   * of a group complaint.
   */
  async function noticesOf(team: Team, contact: Contact, due: ContactDeadlines, actorUserId: string, lang: Lang): Promise<Outgoing[]> {
    const notices: Outgoing[] =
      contact.ownerUserId !== actorUserId && !isSystemActor(contact.ownerUserId)
        ? [{ to: { kind: 'dm', user: contact.ownerUserId }, message: views.ownerNoticeMessage(contact, team, lang, actorUserId) }]
        : [];
    const level = contact.complaint.level;
    notices.push(
      ...(await noticesAfterSaving(
        logger,
        () => levelAlerts(db, team, contact, { how: 'registered', to: level, from: null, actorUserId }),
        () => holidayDataNotices(team, due),
        () => complaints.groupWarnings(team, clock.now(), contact.complaint.category),
      )),
    );
    return notices;
  }

  async function logContact(ctx: Context, fields: LogFields): Promise<{ outcome: CommandOutcome } | { error: UserError }> {
    const now = clock.now();
    const draft = draftContact(fields, ctx.team.zone, now);
    if (!draft.ok) return { error: draft.error };
    const d = draft.value;
    const policy = policyOfTeam(ctx.team);
    const complaint = d.channel === 'complaint';
    const recorded = await record(db, {
      team: ctx.team,
      loggedBy: ctx.actor.userId,
      channel: d.channel,
      customerName: d.customerName,
      phone: d.phone,
      receivedAt: d.receivedAt,
      note: d.note,
      requestKey: ctx.request.requestKey ?? null,
      level: complaint ? (fields.level ?? null) : null,
      category: complaint ? (fields.category ?? null) : null,
    });
    if (recorded.kind === 'error') return { error: recorded.error };
    // Someone else's customer (the number is theirs): the logger reads back what they typed,
    // never the name stored for another's customer, unless they may see it anyway.
    const asLoggerSees = (c: Contact): Contact => (canSeeOwnedBy(ctx.actor, c.ownerUserId) ? c : { ...c, customer: { ...c.customer, name: d.customerName } });
    const ownerVisible = canSeeOwnedBy(ctx.actor, recorded.contact.ownerUserId);
    if (recorded.kind === 'duplicate') {
      // The same request came before (a Slack retry, a double submission): answer as then, write nothing.
      const existing = recorded.contact;
      return {
        outcome: { ...answer(views.loggedMessage(asLoggerSees(existing), ctx.team, ctx.lang, policy, { actorUserId: ctx.actor.userId, duplicate: true, ownerVisible })), loggedId: existing.id },
      };
    }
    const { contact, due } = recorded;
    deps.onDeadlinesChanged?.();
    const reply = views.loggedMessage(asLoggerSees(contact), ctx.team, ctx.lang, policy, { actorUserId: ctx.actor.userId, duplicate: false, deadlines: due, now, readAs: d.readAs, ownerVisible });
    return { outcome: { ...answer(reply, await noticesOf(ctx.team, contact, due, ctx.actor.userId, ctx.lang)), loggedId: contact.id } };
  }

  /** Tells the team's managers once per year that its holidays are being guessed. */
  async function holidayDataNotices(team: Team, due: ContactDeadlines): Promise<Outgoing[]> {
    if (due.guessedYears.length === 0) return [];
    const fresh: number[] = [];
    for (const year of due.guessedYears) {
      if (await teamRepository.markNoticeSent(db, team.id, `holidays-missing:${year}`, clock.now().toJSDate())) fresh.push(year);
    }
    if (fresh.length === 0) return [];
    const managers = await teamRepository.membersWithRole(db, team.id, 'manager');
    const text = t(team.lang, 'notice.holidaysMissing', { years: fresh.join(', '), team: team.name, year: fresh[0]! });
    return managers.map((m) => ({ to: { kind: 'dm', user: m.userId }, message: textMessage(text) }));
  }

  return Object.freeze({ logContact, record, noticesOf });
}

export type ContactLogging = ReturnType<typeof createContactLogging>;
