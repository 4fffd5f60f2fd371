import { contactRepository } from '../../db/repositories/contacts';
import { teamRepository } from '../../db/repositories/teams';
import { textMessage, type Outgoing } from '../chat/message';
import { canSeeOwnedBy } from '../core/access';
import type { LogFields } from '../core/commands';
import { draftContact } from '../core/contact-draft';
import { contactDeadlines, type ContactDeadlines } from '../core/deadlines';
import { calendarOf, NO_COMPLAINT_STATE, policyOfTeam, type Contact, type Team } from '../core/model';
import { planNags } from '../core/nag-plan';
import type { UserError } from '../core/result';
import { t } from '../i18n';
import { noticesAfterSaving } from './after-saving';
import { levelAlerts } from './complaint-alerts';
import type { ComplaintActions } from './complaints';
import { answer, type CommandOutcome, type CommandServiceDeps, type Context } from './requests';
import * as views from './views';

/**
 * Logging a contact (`/cs log`, `/cs complaint`, the log form): draft → deadlines →
 * reminders → one statement that writes it all → the reply and the notices it causes.
 */
export function createContactLogging(deps: CommandServiceDeps, complaints: ComplaintActions) {
  const { db, clock, logger } = deps;

  async function logContact(ctx: Context, fields: LogFields): Promise<{ outcome: CommandOutcome } | { error: UserError }> {
    const now = clock.now();
    const draft = draftContact(fields, ctx.team.zone, now);
    if (!draft.ok) return { error: draft.error };
    const d = draft.value;
    const key = ctx.request.requestKey;

    const level = d.channel === 'complaint' ? (fields.level ?? null) : null;
    const category = d.channel === 'complaint' ? (fields.category ?? null) : null;
    const deadlines = contactDeadlines(ctx.team, d.channel, d.receivedAt, deps.holidays, level);
    if (!deadlines.ok) return { error: deadlines.error };
    const due = deadlines.value;
    const policy = policyOfTeam(ctx.team);
    // Calls and visits are answered as they happen: their first response is the contact itself.
    const answeredInPerson = policy[d.channel].response === null;
    const toLog = {
      teamId: ctx.team.id,
      platform: ctx.team.platform,
      loggedBy: ctx.actor.userId,
      channel: d.channel,
      receivedAt: d.receivedAt,
      loggedAt: now,
      note: d.note,
      firstResponseDueAt: due.response?.dueAt ?? null,
      resolutionDueAt: due.resolution?.dueAt ?? null,
      firstRespondedAt: answeredInPerson ? d.receivedAt : null,
      status: answeredInPerson ? ('responded' as const) : ('open' as const),
      requestKey: key ?? null,
      level,
      category,
    };
    const nags = planNags(due, d.receivedAt, now, ctx.team.settings, calendarOf(ctx.team), deps.holidays, answeredInPerson);
    const logged = await contactRepository.logWithCustomer(db, {
      ...toLog,
      nags,
      customerName: d.customerName,
      phone: d.phone,
      eventAfter: {
        channel: d.channel,
        receivedAt: d.receivedAt.toISO(),
        responseDueAt: due.response?.dueAt.toISO() ?? null,
        resolutionDueAt: due.resolution?.dueAt.toISO() ?? null,
        note: d.note,
        ...(level ? { level } : {}),
        ...(category ? { category } : {}),
      },
    });
    // Someone else's customer (the number is theirs): the logger reads back what they typed,
    // never the name stored for another's customer, unless they may see it anyway.
    const asLoggerSees = (c: Contact): Contact =>
      canSeeOwnedBy(ctx.actor, c.ownerUserId) ? c : { ...c, customer: { ...c.customer, name: d.customerName } };
    if (!logged) {
      // The same request came before (a Slack retry, a double submission): answer as then, write nothing.
      const existing = key ? await contactRepository.findByRequestKey(db, key) : null;
      if (!existing) throw new Error(`request ${key} was handled but its contact is not there`);
      return { outcome: { ...answer(views.loggedMessage(asLoggerSees(existing), ctx.team, ctx.lang, policy, { actorUserId: ctx.actor.userId, duplicate: true, ownerVisible: canSeeOwnedBy(ctx.actor, existing.ownerUserId) })), loggedId: existing.id } };
    }
    const contact: Contact = {
      ...toLog,
      id: logged.id,
      customer: logged.customer,
      ownerUserId: logged.customer.ownerUserId,
      resolvedAt: null,
      complaint: { ...NO_COMPLAINT_STATE, level, category, confirmedAt: level && category ? now : null },
    };
    logger.info({ contactId: contact.id, teamId: ctx.team.id, channel: contact.channel, nags: nags.length }, 'contact logged');
    deps.onDeadlinesChanged?.();
    const reply = views.loggedMessage(asLoggerSees(contact), ctx.team, ctx.lang, policy, { actorUserId: ctx.actor.userId, duplicate: false, deadlines: due, now, readAs: d.readAs, ownerVisible: canSeeOwnedBy(ctx.actor, contact.ownerUserId) });
    const notices: Outgoing[] =
      contact.ownerUserId !== ctx.actor.userId
        ? [{ to: { kind: 'dm', user: contact.ownerUserId }, message: views.ownerNoticeMessage(contact, ctx.team, ctx.lang, ctx.actor.userId) }]
        : [];
    notices.push(
      ...(await noticesAfterSaving(
        logger,
        () => levelAlerts(db, ctx.team, contact, { how: 'registered', to: level, from: null, actorUserId: ctx.actor.userId }),
        () => holidayDataNotices(ctx.team, due),
        () => complaints.groupWarnings(ctx.team, now, category),
      )),
    );
    return { outcome: { ...answer(reply, notices), loggedId: contact.id } };
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

  return Object.freeze({ logContact });
}
