import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/database';
import { customerRepository } from '../../db/repositories/customers';
import { contactRepository } from '../../db/repositories/contacts';
import { teamRepository } from '../../db/repositories/teams';
import { textMessage, type Message, type Outgoing } from '../chat/message';
import { canChangeTeam, canSeeOwnedBy, type Actor } from '../core/access';
import { parseCommand, type Command, type LogFields } from '../core/commands';
import { checkLogField, draftContact } from '../core/contact-draft';
import type { Clock } from '../core/clock';
import type { Contact, Member, Team } from '../core/model';
import { looksLikePhone, normalisePhone } from '../core/phone';
import { DEFAULT_RESPONSE_WINDOWS } from '../core/policy';
import { fail, type LogField, type UserError } from '../core/result';
import { formatDateTime } from '../core/time';
import { t, type Lang } from '../i18n';
import type { Logger } from './logger';
import * as views from './views';

/** Who typed what, where. */
export interface CommandRequest {
  readonly userId: string;
  /** The name the platform gave for the user, kept for lists. */
  readonly userName?: string | null;
  /** Where it was typed; null for a place with no channel. */
  readonly channelId: string | null;
  readonly text: string;
  /** A platform id for this request, so a retry or double submission is done once. */
  readonly requestKey?: string;
}

export interface CommandOutcome {
  /** The private answer to the person who asked (ephemeral, or in the DM they wrote in). */
  readonly reply: Message | null;
  /** Other messages the request causes (DMs to owners, posts to the team channel). */
  readonly notices: readonly Outgoing[];
  /** Set when the command asks for the log form (Slack modal, sandbox prompt). */
  readonly openLogForm?: { readonly lang: Lang; readonly note?: string };
}

export type FormOutcome =
  | { readonly ok: true; readonly outcome: CommandOutcome }
  | { readonly ok: false; readonly field: UserError['field']; readonly message: string; readonly lang: Lang };

interface Context {
  readonly request: CommandRequest;
  readonly team: Team;
  readonly member: Member;
  readonly actor: Actor;
  readonly lang: Lang;
}

export interface CommandServiceDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultLang: Lang;
  readonly bootstrapAdmins: ReadonlySet<string>;
}

const answer = (reply: Message, notices: readonly Outgoing[] = []): CommandOutcome => ({ reply, notices });

/**
 * Turns a chat request into a decision and a reply: parse → check → write (one
 * transaction) → messages. Knows nothing of Slack or the terminal.
 */
export function createCommandService(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;

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

  const err = (error: UserError, lang: Lang): CommandOutcome => answer(views.errorMessage(error, lang));

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
    if (command.kind === 'teamCreate') return createTeam(request, command.name, lang);
    if (!ctx) return err({ key: 'err.notInTeam' }, lang);
    return run(ctx, command);
  }

  async function run(ctx: Context, command: Exclude<Command, { kind: 'help' | 'teamCreate' }>): Promise<CommandOutcome> {
    switch (command.kind) {
      case 'logForm':
        return { reply: null, notices: [], openLogForm: { lang: ctx.lang } };
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
        return answer(views.mineMessage(await contactRepository.openForOwner(db, ctx.team.id, ctx.actor.userId), ctx.team, ctx.lang, clock.now()));
      case 'show':
        return showContact(ctx, command.id);
      case 'customer':
        return showCustomer(ctx, command.query);
      case 'teamShow':
        return answer(views.teamMessage(ctx.team, await teamRepository.members(db, ctx.team.id), ctx.lang));
      case 'teamAdd':
      case 'teamZone':
      case 'teamLang':
        return changeTeam(ctx, command);
    }
  }

  async function logContact(ctx: Context, fields: LogFields): Promise<{ outcome: CommandOutcome } | { error: UserError }> {
    const now = clock.now();
    const draft = draftContact(fields, ctx.team.zone, now);
    if (!draft.ok) return { error: draft.error };
    const d = draft.value;
    const key = ctx.request.requestKey;

    // Calls and visits are answered as they happen: their first response is the contact itself.
    const answeredInPerson = d.due === null;
    const toLog = {
      teamId: ctx.team.id,
      loggedBy: ctx.actor.userId,
      channel: d.channel,
      receivedAt: d.receivedAt,
      loggedAt: now,
      note: d.note,
      firstResponseDueAt: d.due?.dueAt ?? null,
      firstRespondedAt: answeredInPerson ? d.receivedAt : null,
      status: answeredInPerson ? ('responded' as const) : ('open' as const),
      requestKey: key ?? null,
    };
    const logged = await contactRepository.logWithCustomer(db, {
      ...toLog,
      customerName: d.customerName,
      phone: d.phone,
      eventAfter: { channel: d.channel, receivedAt: d.receivedAt.toISO(), dueAt: d.due?.dueAt.toISO() ?? null, note: d.note },
    });
    if (!logged) {
      // The same request came before (a Slack retry, a double submission): answer as then, write nothing.
      const existing = key ? await contactRepository.findByRequestKey(db, key) : null;
      if (!existing) throw new Error(`request ${key} was handled but its contact is not there`);
      const window = DEFAULT_RESPONSE_WINDOWS[existing.channel];
      return { outcome: answer(views.loggedMessage(existing, ctx.team, ctx.lang, window, { actorUserId: ctx.actor.userId, duplicate: true })) };
    }
    const contact: Contact = { ...toLog, id: logged.id, customer: logged.customer, ownerUserId: logged.customer.ownerUserId, resolvedAt: null };
    logger.info({ contactId: contact.id, teamId: ctx.team.id, channel: contact.channel }, 'contact logged');
    const window = DEFAULT_RESPONSE_WINDOWS[contact.channel];
    const reply = views.loggedMessage(contact, ctx.team, ctx.lang, window, { actorUserId: ctx.actor.userId, duplicate: false });
    const notices: Outgoing[] =
      contact.ownerUserId !== ctx.actor.userId
        ? [{ to: { kind: 'dm', user: contact.ownerUserId }, message: views.ownerNoticeMessage(contact, ctx.team, ctx.lang, ctx.actor.userId) }]
        : [];
    return { outcome: answer(reply, notices) };
  }

  /** Loads a contact the actor may act on, or says why not. */
  async function contactFor(ctx: Context, id: number, forUpdate: Db | null) {
    const contact = forUpdate ? await contactRepository.findByIdForUpdate(forUpdate, id) : await contactRepository.findById(db, id);
    if (!contact) return fail({ key: 'err.unknownContact', params: { id } });
    if (contact.teamId !== ctx.team.id) return fail({ key: 'err.otherTeamContact', params: { id } });
    if (!canSeeOwnedBy(ctx.actor, contact.ownerUserId)) {
      return fail({ key: 'err.notAllowedContact', params: { id, owner: views.mention(contact.ownerUserId) } });
    }
    return { ok: true as const, value: contact };
  }

  async function recordProgress(ctx: Context, kind: 'reply' | 'resolve', id: number, note: string): Promise<CommandOutcome> {
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(ctx, id, trx);
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
          ? { firstRespondedAt: now, status: 'responded' as const }
          : { resolvedAt: now, status: 'resolved' as const, ...(contact.firstRespondedAt ? {} : { firstRespondedAt: now }) };
      await contactRepository.update(trx, id, change);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: ctx.team.id,
        actorUserId: ctx.actor.userId,
        kind: kind === 'reply' ? 'replied' : 'resolved',
        at: now,
        before: { status: contact.status },
        after: { status: change.status, note },
      });
      return { ok: true as const, value: contact };
    });
    if (!result.ok) return err(result.error, ctx.lang);
    const at = formatDateTime(now, ctx.team.zone);
    return answer(textMessage(t(ctx.lang, kind === 'reply' ? 'reply.done' : 'resolve.done', { id, at })));
  }

  async function addNote(ctx: Context, id: number, text: string): Promise<CommandOutcome> {
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await contactFor(ctx, id, trx);
      if (!found.ok) return found;
      await contactRepository.addEvent(trx, { contactId: id, teamId: ctx.team.id, actorUserId: ctx.actor.userId, kind: 'noted', at: now, after: { note: text } });
      return found;
    });
    return result.ok ? answer(textMessage(t(ctx.lang, 'note.done', { id }))) : err(result.error, ctx.lang);
  }

  async function showContact(ctx: Context, id: number): Promise<CommandOutcome> {
    const found = await contactFor(ctx, id, null);
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
    return answer(views.customerMessage(entries, ctx.team, ctx.lang, ctx.actor, clock.now()));
  }

  async function createTeam(request: CommandRequest, name: string, lang: Lang): Promise<CommandOutcome> {
    if (!deps.bootstrapAdmins.has(request.userId)) return err({ key: 'err.notBootstrapAdmin' }, lang);
    if (!request.channelId || /^D/.test(request.channelId)) return err({ key: 'err.teamChannelNeeded', usage: 'usage.teamCreate' }, lang);
    const existing = await teamRepository.findByChannel(db, request.channelId);
    if (existing) return err({ key: 'err.teamExists', params: { name: existing.name } }, existing.lang);
    const channelId = request.channelId;
    const team = await db.transaction().execute(async (trx) => {
      const created = await teamRepository.create(trx, { name, channelId, zone: 'Asia/Shanghai', lang: deps.defaultLang, createdBy: request.userId });
      await teamRepository.upsertMember(trx, { teamId: created.id, userId: request.userId, displayName: request.userName ?? null, role: 'manager' });
      return created;
    });
    const text = t(team.lang, 'team.created', { name: team.name, user: views.mention(request.userId) });
    return answer(textMessage(text), [{ to: { kind: 'channel', channel: team.channelId }, message: textMessage(text) }]);
  }

  async function changeTeam(ctx: Context, command: Extract<Command, { kind: 'teamAdd' | 'teamZone' | 'teamLang' }>): Promise<CommandOutcome> {
    if (!canChangeTeam(ctx.actor) && !deps.bootstrapAdmins.has(ctx.actor.userId)) return err({ key: 'err.notManager' }, ctx.lang);
    switch (command.kind) {
      case 'teamAdd': {
        const how = await teamRepository.upsertMember(db, { teamId: ctx.team.id, userId: command.user.id, displayName: command.user.name, role: command.role });
        const params = { user: views.mention(command.user.id), team: ctx.team.name, role: t(ctx.lang, `role.${command.role}`) };
        return answer(textMessage(t(ctx.lang, how === 'added' ? 'team.added' : 'team.roleChanged', params)));
      }
      case 'teamZone':
        await teamRepository.update(db, ctx.team.id, { zone: command.zone });
        return answer(textMessage(t(ctx.lang, 'team.zoneSet', { zone: command.zone })));
      case 'teamLang':
        await teamRepository.update(db, ctx.team.id, { lang: command.lang });
        return answer(textMessage(t(command.lang, 'team.langSet')));
    }
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
