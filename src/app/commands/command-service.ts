import { isDatabaseUnavailable } from '../../../db/availability';
import { contactRepository } from '../../../db/repositories/contacts';
import { customerRepository } from '../../../db/repositories/customers';
import { staffingRepository } from '../../../db/repositories/staffing';
import { teamRepository } from '../../../db/repositories/teams';
import { nextClock, timeLeft } from '../../core/time/clocks';
import { type parseCommand, readCommand, type Command, type LogFields } from '../../core/grammar/commands';
import { checkLogField } from '../../core/contact-draft';
import { resolveComingDay } from '../../core/time/days';
import type { Contact, Member, Team } from '../../core/model';
import { commandWord } from '../../core/input';
import { looksLikePhone, normalisePhone } from '../../core/phone';
import type { LogField, UserError } from '../../core/result';
import { forReaders, replyForAsker } from '../../chat/privacy';
import { t, type Lang } from '../../i18n';
import { answer, answerError, type CommandOutcome, type CommandRequest, type CommandServiceDeps, type Context } from './requests';
import { createClockActions } from '../reminders/clock-actions';
import { createComplaintActions } from '../complaints/complaint-actions';
import { createContactLogging } from '../contacts/log-contact';
import { createProgressActions } from '../contacts/progress';
import { createReports } from '../reports/reports';
import { contactFor } from '../contacts/contact-access';
import { NO_METRICS } from '../../runtime/metrics';
import { createTeamAdmin } from '../team/team-admin';
import { createRotation } from '../front-desk/rotation';
import { createStaffing } from '../front-desk/staffing';
import { createIntakeAdmin } from '../intake/admin';
import * as views from '../contacts/views';
import type { ClockLeft } from '../contacts/views';

export type { CommandOutcome, CommandRequest, CommandServiceDeps } from './requests';

/** An outcome past the one masking step: full phone numbers only in a reply whose view allowed them. */
const protect = (outcome: CommandOutcome): CommandOutcome => ({
  ...outcome,
  reply: outcome.reply ? replyForAsker(outcome.reply) : null,
  notices: outcome.notices.map(forReaders),
});

export type FormOutcome = { readonly ok: true; readonly outcome: CommandOutcome } | { readonly ok: false; readonly field: UserError['field']; readonly message: string; readonly lang: Lang };

/**
 * Turns a chat request into a decision and a reply: parse → check → write (one
 * transaction) → messages. Knows nothing of Slack or the terminal.
 */
export function createCommandService(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;
  const metrics = deps.metrics ?? NO_METRICS;
  const teamAdmin = createTeamAdmin(deps);
  const clockActions = createClockActions(deps);
  const complaints = createComplaintActions(deps);
  const reports = createReports(deps);
  const { logContact } = createContactLogging(deps, complaints);
  const { recordProgress, addNote } = createProgressActions(deps, complaints);
  const rotation = createRotation(deps);
  const staffing = createStaffing(deps);
  const intakeAdmin = createIntakeAdmin(deps);

  async function contextFor(request: CommandRequest): Promise<Context | null> {
    const found = await teamRepository.membershipFor(db, deps.platform, request.userId, request.channelId);
    if (!found) return null;
    return {
      request,
      team: found.team,
      member: found.member,
      actor: { userId: found.member.userId, role: found.member.role },
      lang: found.team.lang,
      covering: async (through) => {
        const covers = await staffingRepository.activeCovers(through, [found.team.id], clock.now());
        return new Set([...covers].filter(([, to]) => to === found.member.userId).map(([from]) => from.slice(from.indexOf(':') + 1)));
      },
    };
  }

  async function languageFor(request: CommandRequest): Promise<Lang> {
    const team = request.channelId ? await teamRepository.findByChannel(db, deps.platform, request.channelId) : null;
    return team?.lang ?? deps.defaultLang;
  }

  const err = answerError;

  async function handle(request: CommandRequest): Promise<CommandOutcome> {
    const started = performance.now();
    let kind = 'invalid';
    const took = () => (performance.now() - started) / 1000;
    try {
      // Who asks comes first: what a non-member typed is read only as far as help and team create need.
      const ctx = await contextFor(request);
      const parsed = readCommand(request.text, ctx !== null);
      kind = parsed.ok ? parsed.value.kind : 'invalid';
      const outcome = protect(await dispatch(request, ctx, parsed));
      metrics.command(kind, outcome.userError ? 'user_error' : 'ok', took());
      return outcome;
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        logger.warn({ userId: request.userId }, 'command not carried out: the database is unavailable');
        metrics.command(kind, 'database_unavailable', took());
        metrics.databaseUnavailable();
        return answer(views.errorMessage({ key: 'err.databaseUnavailable' }, deps.defaultLang));
      }
      logger.error({ err: error, userId: request.userId }, 'command failed');
      metrics.command(kind, 'internal_error', took());
      return answer(views.errorMessage({ key: 'err.internal' }, await languageFor(request).catch(() => deps.defaultLang)));
    }
  }

  async function dispatch(request: CommandRequest, ctx: Context | null, parsed: ReturnType<typeof parseCommand>): Promise<CommandOutcome> {
    const lang = ctx?.lang ?? (await languageFor(request));
    // Someone in no team yet reads examples in the zone a new team starts with.
    const examples = views.exampleDates(clock.now(), ctx?.team.zone ?? 'Asia/Shanghai');
    if (!parsed.ok) return err(parsed.error, lang, examples);
    const command = parsed.value;
    if (command.kind === 'help') return answer(command.brief ? views.shortHelpMessage(lang) : views.helpMessage(lang, examples));
    if (command.kind === 'teamCreate') return teamAdmin.create(request, command.name, lang);
    if (!ctx) return err({ key: 'err.notInTeam' }, lang);
    // Handed over (left): nothing but help; the customer data leaves with nobody.
    if (ctx.member.active === false) return err({ key: 'err.inactive' }, lang);
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
        return mine(ctx);
      case 'show':
        return showContact(ctx, command.id);
      case 'customer':
        return showCustomer(ctx, command.query);
      case 'assign':
        return clockActions.assign(ctx, command.id, command.user);
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
      case 'checkin':
      case 'checkout':
      case 'away':
      case 'back':
      case 'rotation':
      case 'rotationSkip':
      case 'rotationMove':
      case 'visit':
      case 'visitCancel':
      case 'done':
        return rotation.run(ctx, command);
      case 'cover': {
        // Who may arrange cover is answered first; then the last day as typed (a date, 明天, 周五)
        // becomes a date of the team's calendar, a past one refused.
        if (ctx.actor.role === 'specialist') return err({ key: 'err.notSupervisorRotation', usage: 'usage.cover' }, ctx.lang);
        const until = command.until === null ? null : resolveComingDay(command.until, ctx.team.zone, clock.now());
        if (until && !until.ok) return err({ ...until.error, usage: 'usage.cover' }, ctx.lang);
        return staffing.run(ctx, { ...command, until: until ? until.value : null });
      }
      case 'coverEnd':
      case 'handover':
        return staffing.run(ctx, command);
      case 'teamIntake':
      case 'teamPhones':
      case 'teamPhone':
      case 'teamPhoneRemove':
        return intakeAdmin.run(ctx, command);
      default:
        return teamAdmin.change(ctx, command);
    }
  }

  /** A contact's next running clock with what is left of it, in its own kind of time (the same figure in every view). */
  function nextOf(team: Team): (c: Contact) => ClockLeft | null {
    const now = clock.now();
    return (c) => {
      const next = nextClock(c);
      return next ? { ...next, left: timeLeft(team, deps.holidays, c, next, now) } : null;
    };
  }

  async function showContact(ctx: Context, id: number): Promise<CommandOutcome> {
    const found = await contactFor(db, ctx, id);
    if (!found.ok) return err(found.error, ctx.lang);
    const events = await contactRepository.events(db, id);
    return answer(views.contactDetailMessage(found.value, events, ctx.team, ctx.lang, ctx.actor));
  }

  /**
   * `/cs customer <name, phone or 尾号>`: among the customers the asker may see (a
   * specialist their own), so the answer never tells whether a number or name belongs
   * to someone else's customer.
   */
  async function showCustomer(ctx: Context, query: string): Promise<CommandOutcome> {
    const compact = commandWord(query).replace(/[\s\u3000-]/g, '');
    let search: { phone?: string; tail?: string; name?: string };
    if (/^\d{4}$/.test(compact)) search = { tail: compact };
    else if (looksLikePhone(compact)) {
      const phone = normalisePhone(compact);
      if (!phone.ok) return err({ ...phone.error, usage: 'usage.customer' }, ctx.lang);
      search = { phone: phone.value };
    } else search = { name: query.trim() };
    const owner = ctx.actor.role === 'specialist' ? ctx.actor.userId : null;
    const customers = await customerRepository.search(db, ctx.team.id, search, owner);
    if (customers.length === 0) return err({ key: 'err.customerNotFound', params: { query }, usage: 'usage.customer' }, ctx.lang);
    const entries = await Promise.all(
      customers.slice(0, 5).map(async (customer) => ({
        customer,
        contacts: await contactRepository.forCustomer(db, customer.id),
        total: await contactRepository.countForCustomer(db, customer.id),
      })),
    );
    return answer(views.customerMessage(entries, ctx.team, ctx.lang, ctx.actor, nextOf(ctx.team), customers.length - entries.length));
  }

  /** `/cs mine`: the asker's open work, and that of colleagues on leave they cover for, marked as such. */
  async function mine(ctx: Context): Promise<CommandOutcome> {
    const covered = [...((await ctx.covering?.(db)) ?? [])];
    const contacts = await contactRepository.openForOwner(db, ctx.team.id, [ctx.actor.userId, ...covered]);
    return answer(views.mineMessage(contacts, ctx.team, ctx.lang, nextOf(ctx.team), ctx.actor.userId));
  }

  /** The log form's submission (Slack modal, sandbox prompt): the same checks and write as `/cs log`. */
  async function submitLogForm(request: CommandRequest, fields: LogFields): Promise<FormOutcome> {
    const ctx = await contextFor(request);
    if (!ctx) {
      const lang = await languageFor(request);
      return { ok: false, field: undefined, message: t(lang, 'err.notInTeam'), lang };
    }
    if (ctx.member.active === false) return { ok: false, field: undefined, message: t(ctx.lang, 'err.inactive'), lang: ctx.lang };
    try {
      const logged = await logContact(ctx, fields);
      if ('error' in logged) return { ok: false, field: logged.error.field, message: t(ctx.lang, logged.error.key, logged.error.params), lang: ctx.lang };
      return { ok: true, outcome: protect(logged.outcome) };
    } catch (error) {
      logger.error({ err: error, userId: request.userId }, 'log form failed');
      return { ok: false, field: undefined, message: t(ctx.lang, isDatabaseUnavailable(error) ? 'err.databaseUnavailable' : 'err.internal'), lang: ctx.lang };
    }
  }

  /** Checks one answer of the guided log form; the message to show, or null when it is fine. */
  async function checkFormField(request: CommandRequest, field: LogField, value: string): Promise<string | null> {
    const ctx = await contextFor(request);
    if (!ctx) return t(await languageFor(request), 'err.notInTeam');
    if (ctx.member.active === false) return t(ctx.lang, 'err.inactive');
    const checked = checkLogField(field, value, ctx.team.zone, clock.now());
    return checked.ok ? null : t(ctx.lang, checked.error.key, checked.error.params);
  }

  /** The team and role a user acts with in a channel, if any. */
  async function membership(userId: string, channelId: string | null): Promise<{ team: Team; member: Member } | null> {
    return teamRepository.membershipFor(db, deps.platform, userId, channelId);
  }

  return Object.freeze({ handle, submitLogForm, checkFormField, languageFor, membership, admitFreedByClock: rotation.admitFreedByClock });
}

export type CommandService = ReturnType<typeof createCommandService>;
