import { contactRepository } from '../../db/repositories/contacts';
import { customerRepository } from '../../db/repositories/customers';
import { nagRepository } from '../../db/repositories/nags';
import { teamRepository } from '../../db/repositories/teams';
import { textMessage, type Outgoing } from '../chat/message';
import { canSeeOwnedBy } from '../core/access';
import { workingTimeBetween } from '../core/calendar';
import { parseCommand, type Command, type LogFields } from '../core/commands';
import { checkLogField, draftContact } from '../core/contact-draft';
import { contactDeadlines, type ContactDeadlines } from '../core/deadlines';
import { calendarOf, NO_COMPLAINT_STATE, policyOfTeam, type Contact, type Member, type Team } from '../core/model';
import { planNags } from '../core/nag-plan';
import { looksLikePhone, normalisePhone } from '../core/phone';
import { fail, ok, type LogField, type UserError } from '../core/result';
import { formatDateTime } from '../core/time';
import { t, type Lang } from '../i18n';
import type { Db } from '../../db/database';
import { answer, answerError, type CommandOutcome, type CommandRequest, type CommandServiceDeps, type Context } from './requests';
import { createClockActions } from './clock-actions';
import { createComplaintActions } from './complaints';
import { createReports } from './reports';
import { contactFor } from './contact-access';
import { createTeamAdmin } from './team-admin';
import * as views from './views';

export type { CommandOutcome, CommandRequest, CommandServiceDeps } from './requests';

/** A user-fixable error found mid-transaction: thrown to roll the transaction back, then answered. */
class UserFacing extends Error {
  constructor(readonly error: UserError) {
    super(error.key);
  }
}

const userFacing = (e: unknown): { ok: false; error: UserError } => {
  if (e instanceof UserFacing) return { ok: false, error: e.error };
  throw e;
};

export type FormOutcome =
  | { readonly ok: true; readonly outcome: CommandOutcome }
  | { readonly ok: false; readonly field: UserError['field']; readonly message: string; readonly lang: Lang };

/**
 * Turns a chat request into a decision and a reply: parse → check → write (one
 * transaction) → messages. Knows nothing of Slack or the terminal.
 */
export function createCommandService(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;
  const teamAdmin = createTeamAdmin(deps);
  const clockActions = createClockActions(deps);
  const complaints = createComplaintActions(deps);
  const reports = createReports(deps);

  async function contextFor(request: CommandRequest): Promise<Context | null> {
    const found = await teamRepository.membershipFor(db, request.userId, request.channelId);
    if (!found) return null;
    return {
      request,
      team: found.team,
      member: found.member,
      actor: { userId: found.member.userId, role: found.member.role },
      lang: found.team.lang,
    };
  }

  async function languageFor(request: CommandRequest): Promise<Lang> {
    const team = request.channelId ? await teamRepository.findByChannel(db, request.channelId) : null;
    return team?.lang ?? deps.defaultLang;
  }

  const err = answerError;

  async function handle(request: CommandRequest): Promise<CommandOutcome> {
    try {
      return await dispatch(request);
    } catch (error) {
      logger.error({ err: error, userId: request.userId }, 'command failed');
      return answer(views.errorMessage({ key: 'err.internal' }, await languageFor(request).catch(() => deps.defaultLang)));
    }
  }

  async function dispatch(request: CommandRequest): Promise<CommandOutcome> {
    const parsed = parseCommand(request.text);
    const ctx = await contextFor(request);
    const lang = ctx?.lang ?? (await languageFor(request));
    if (!parsed.ok) return err(parsed.error, lang);
    const command = parsed.value;
    if (command.kind === 'help') return answer(views.helpMessage(lang));
    if (command.kind === 'teamCreate') return teamAdmin.create(request, command.name, lang);
    if (!ctx) return err({ key: 'err.notInTeam' }, lang);
    return run(ctx, command);
  }

  async function run(ctx: Context, command: Exclude<Command, { kind: 'help' | 'teamCreate' }>): Promise<CommandOutcome> {
    switch (command.kind) {
      case 'logForm':
        return { reply: null, notices: [], openLogForm: { lang: ctx.lang, ...(command.channel ? { channel: command.channel } : {}) } };
      case 'log': {
        const logged = await logContact(ctx, command.fields);
        return 'error' in logged ? err(logged.error, ctx.lang) : logged.outcome;
      }
      case 'reply':
      case 'resolve':
        return recordProgress(ctx, command.kind, command.id, command.note);
      case 'note':
        return addNote(ctx, command.id, command.text);
      case 'mine':
        return answer(views.mineMessage(await contactRepository.openForOwner(db, ctx.team.id, ctx.actor.userId), ctx.team, ctx.lang, timeLeftOf(ctx.team)));
      case 'show':
        return showContact(ctx, command.id);
      case 'customer':
        return showCustomer(ctx, command.query);
      case 'assign':
        return clockActions.assign(ctx, command.id, command.user.id);
      case 'snooze':
        return clockActions.snooze(ctx, command.id, command.seconds);
      case 'overdue':
        return clockActions.overdue(ctx);
      case 'confirm':
      case 'plan':
      case 'approve':
      case 'followup':
      case 'link':
        return complaints.run(ctx, command);
      case 'digest':
      case 'digestAck':
      case 'kpi':
      case 'export':
        return reports.run(ctx, command);
      case 'teamShow':
      case 'teamPolicy':
        return teamAdmin.show(ctx, command.kind);
      default:
        return teamAdmin.change(ctx, command);
    }
  }

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
    // Calls and visits are answered as they happen: their first response is the contact itself.
    const answeredInPerson = policyOfTeam(ctx.team)[d.channel].response === null;
    const toLog = {
      teamId: ctx.team.id,
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
    const policy = policyOfTeam(ctx.team);
    if (!logged) {
      // The same request came before (a Slack retry, a double submission): answer as then, write nothing.
      const existing = key ? await contactRepository.findByRequestKey(db, key) : null;
      if (!existing) throw new Error(`request ${key} was handled but its contact is not there`);
      return { outcome: answer(views.loggedMessage(existing, ctx.team, ctx.lang, policy, { actorUserId: ctx.actor.userId, duplicate: true })) };
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
    const reply = views.loggedMessage(contact, ctx.team, ctx.lang, policy, { actorUserId: ctx.actor.userId, duplicate: false, deadlines: due, now });
    const notices: Outgoing[] =
      contact.ownerUserId !== ctx.actor.userId
        ? [{ to: { kind: 'dm', user: contact.ownerUserId }, message: views.ownerNoticeMessage(contact, ctx.team, ctx.lang, ctx.actor.userId) }]
        : [];
    notices.push(...(await holidayDataNotices(ctx.team, due)));
    notices.push(...(await complaints.groupWarnings(ctx.team, now, category)));
    return { outcome: answer(reply, notices) };
  }

  /** Tells the team's managers once per year that its holidays are being guessed. */
  async function holidayDataNotices(team: Team, due: ContactDeadlines): Promise<Outgoing[]> {
    if (due.guessedYears.length === 0) return [];
    const fresh: number[] = [];
    for (const year of due.guessedYears) {
      if (await teamRepository.markNoticeSent(db, team.id, `holidays-missing:${year}`, clock.now().toJSDate())) fresh.push(year);
    }
    if (fresh.length === 0) return [];
    const managers = (await teamRepository.members(db, team.id)).filter((m) => m.role === 'manager');
    const text = t(team.lang, 'notice.holidaysMissing', { years: fresh.join(', '), team: team.name, year: fresh[0]! });
    return managers.map((m) => ({ to: { kind: 'dm', user: m.userId }, message: textMessage(text) }));
  }

  /** What is left of a contact's first-response window: working time for a working-time window. */
  function timeLeftOf(team: Team): (c: Contact) => number | null {
    const now = clock.now();
    const policy = policyOfTeam(team);
    const cal = calendarOf(team);
    return (c) => {
      if (!c.firstResponseDueAt) return null;
      const working = policy[c.channel].response?.mode === 'working';
      if (!working) return c.firstResponseDueAt.toMillis() - now.toMillis();
      return c.firstResponseDueAt > now
        ? workingTimeBetween(cal, deps.holidays, now, c.firstResponseDueAt)
        : -workingTimeBetween(cal, deps.holidays, c.firstResponseDueAt, now);
    };
  }

  async function recordProgress(ctx: Context, kind: 'reply' | 'resolve', id: number, note: string): Promise<CommandOutcome> {
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(trx, ctx, id, true);
      if (!found.ok) return found;
      const contact = found.value;
      if (contact.resolvedAt) {
        return fail({ key: 'err.alreadyResolved', params: { id, at: formatDateTime(contact.resolvedAt, ctx.team.zone) } });
      }
      if (kind === 'reply' && contact.firstRespondedAt) {
        return fail({ key: 'err.alreadyReplied', params: { id, at: formatDateTime(contact.firstRespondedAt, ctx.team.zone) } });
      }
      const change =
        kind === 'reply'
          ? { at: now, firstRespondedAt: now, status: 'responded' as const }
          : { at: now, resolvedAt: now, status: 'resolved' as const, ...(contact.firstRespondedAt ? {} : { firstRespondedAt: now }) };
      await contactRepository.update(trx, id, change);
      // A resolved complaint starts its follow-up clock (回访).
      const followup = kind === 'resolve' ? await complaints.startFollowup(trx, ctx.team, contact, now) : ok(null);
      if (!followup.ok) throw new UserFacing(followup.error);
      // A met clock stops its reminders: a reply meets the response clock, a resolution both.
      await nagRepository.cancelForClock(trx, id, kind === 'reply' ? ['response'] : ['response', 'resolution']);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: ctx.team.id,
        actorUserId: ctx.actor.userId,
        kind: kind === 'reply' ? 'replied' : 'resolved',
        at: now,
        before: { status: contact.status },
        after: { status: change.status, note },
      });
      return { ok: true as const, value: { contact, followupDue: followup.value } };
    }).catch(userFacing);
    if (!result.ok) return err(result.error, ctx.lang);
    const at = formatDateTime(now, ctx.team.zone);
    const lines = [t(ctx.lang, kind === 'reply' ? 'reply.done' : 'resolve.done', { id, at })];
    const { followupDue } = result.value;
    if (followupDue) lines.push(t(ctx.lang, 'complaint.followupDue', { id, due: formatDateTime(followupDue, ctx.team.zone) }));
    if (followupDue) deps.onDeadlinesChanged?.();
    return answer(textMessage(lines.join('\n')));
  }

  async function addNote(ctx: Context, id: number, text: string): Promise<CommandOutcome> {
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(trx, ctx, id, true);
      if (!found.ok) return found;
      const rootCause = await complaints.takeRootCause(trx, found.value, now);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: ctx.team.id,
        actorUserId: ctx.actor.userId,
        kind: 'noted',
        at: now,
        after: { note: text, ...(rootCause ? { rootCause: true } : {}) },
      });
      return ok(rootCause);
    });
    if (!result.ok) return err(result.error, ctx.lang);
    const lines = [t(ctx.lang, 'note.done', { id })];
    if (result.value) lines.push(t(ctx.lang, 'complaint.rootCauseNoted', { id }));
    return answer(textMessage(lines.join('\n')));
  }

  async function showContact(ctx: Context, id: number): Promise<CommandOutcome> {
    const found = await contactFor(db, ctx, id);
    if (!found.ok) return err(found.error, ctx.lang);
    const events = await contactRepository.events(db, id);
    return answer(views.contactDetailMessage(found.value, events, ctx.team, ctx.lang, ctx.actor));
  }

  async function showCustomer(ctx: Context, query: string): Promise<CommandOutcome> {
    let customers;
    const compact = query.replace(/[\s\u3000]/g, '');
    if (looksLikePhone(compact)) {
      const phone = normalisePhone(compact);
      if (!phone.ok) return err({ ...phone.error, usage: 'usage.customer' }, ctx.lang);
      const found = await customerRepository.findByPhone(db, ctx.team.id, phone.value);
      customers = found ? [found] : [];
    } else {
      customers = await customerRepository.findByName(db, ctx.team.id, query);
    }
    if (customers.length === 0) return err({ key: 'err.customerNotFound', params: { query }, usage: 'usage.customer' }, ctx.lang);
    const visible = customers.filter((c) => canSeeOwnedBy(ctx.actor, c.ownerUserId));
    const first = customers[0]!;
    if (visible.length === 0) {
      return err({ key: 'err.notAllowedCustomer', params: { name: first.name, owner: views.mention(first.ownerUserId) } }, ctx.lang);
    }
    const entries = await Promise.all(
      visible.slice(0, 5).map(async (customer) => ({
        customer,
        contacts: await contactRepository.forCustomer(db, customer.id),
        total: await contactRepository.countForCustomer(db, customer.id),
      })),
    );
    return answer(views.customerMessage(entries, ctx.team, ctx.lang, ctx.actor, timeLeftOf(ctx.team)));
  }

  /** The log form's submission (Slack modal, sandbox prompt): the same checks and write as `/cs log`. */
  async function submitLogForm(request: CommandRequest, fields: LogFields): Promise<FormOutcome> {
    const ctx = await contextFor(request);
    if (!ctx) {
      const lang = await languageFor(request);
      return { ok: false, field: undefined, message: t(lang, 'err.notInTeam'), lang };
    }
    try {
      const logged = await logContact(ctx, fields);
      if ('error' in logged) return { ok: false, field: logged.error.field, message: t(ctx.lang, logged.error.key, logged.error.params), lang: ctx.lang };
      return { ok: true, outcome: logged.outcome };
    } catch (error) {
      logger.error({ err: error, userId: request.userId }, 'log form failed');
      return { ok: false, field: undefined, message: t(ctx.lang, 'err.internal'), lang: ctx.lang };
    }
  }

  /** Checks one answer of the guided log form; the message to show, or null when it is fine. */
  async function checkFormField(request: CommandRequest, field: LogField, value: string): Promise<string | null> {
    const ctx = await contextFor(request);
    if (!ctx) return t(await languageFor(request), 'err.notInTeam');
    const checked = checkLogField(field, value, ctx.team.zone, clock.now());
    return checked.ok ? null : t(ctx.lang, checked.error.key, checked.error.params);
  }

  /** The team and role a user acts with in a channel, if any. */
  async function membership(userId: string, channelId: string | null): Promise<{ team: Team; member: Member } | null> {
    return teamRepository.membershipFor(db, userId, channelId);
  }

  return Object.freeze({ handle, submitLogForm, checkFormField, languageFor, membership });
}

export type CommandService = ReturnType<typeof createCommandService>;
