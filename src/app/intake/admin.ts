import { createHash, randomBytes } from 'node:crypto';
import { intakeRepository } from '../../../db/repositories/intake';
import { teamRepository } from '../../../db/repositories/teams';
import type { Block, Message } from '../../chat/message';
import { textMessage } from '../../chat/message';
import type { IntakeCommand } from '../../core/grammar/intake-commands';
import { displayPhone } from '../../core/phone';
import { formatDateTime } from '../../core/time/time-of-day';
import { t, type Lang } from '../../i18n';
import { mention } from '../commands/mention';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';

/** How long a rotated-out secret still verifies: a sender has a day to change over. */
const PREVIOUS_SECRET_HOURS = 24;

/** An address's id: 24 random bytes (192 bits), base64url, 32 characters. */
const newSourceId = (): string => randomBytes(24).toString('base64url');
/** A signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
/** What is kept of an address's id: its SHA-256, to find the source by. */
export const sourceIdHash = (id: string): string => createHash('sha256').update(id).digest('hex');
/** The start of an id, shown to recognise it by: 4 of its 32 characters say next to nothing about the rest. */
const ID_HINT_CHARS = 4;

/** The two addresses of a source under the intake server's base URL. */
function intakeUrls(base: string | null, id: string): { cti: string; events: string } {
  const root = (base ?? '').replace(/\/+$/, '');
  return { cti: `${root}/intake/${id}/cti`, events: `${root}/intake/${id}/events` };
}

/** A stored phone mapping key as people read it: a number as dialled, anything else as kept. */
const keyText = (key: string) => (key.startsWith('+') ? displayPhone(key) : key);

/**
 * `/cs team intake [on|off|rotate]` and `/cs team phone …`: a team's intake source (an
 * unguessable address and a signing secret, shown once, privately) and which extension,
 * number or PBX user name is which member. Managers change them, every change audited.
 */
export function createIntakeAdmin(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;
  const isManager = (ctx: Context) => ctx.actor.role === 'manager' || deps.bootstrapAdmins.has(ctx.actor.userId);

  async function run(ctx: Context, command: IntakeCommand): Promise<CommandOutcome> {
    if (command.kind === 'teamPhones') {
      if (ctx.actor.role === 'specialist') return answerError({ key: 'err.notSupervisorPhones', usage: 'usage.phone' }, ctx.lang);
      return answer(phonesMessage(ctx, await intakeRepository.phones(db, ctx.team.id)));
    }
    if (!isManager(ctx)) return answerError({ key: 'err.notManagerIntake', usage: command.kind === 'teamIntake' ? 'usage.intake' : 'usage.phone' }, ctx.lang);
    switch (command.kind) {
      case 'teamIntake':
        return command.action === 'show' ? status(ctx) : command.action === 'on' ? turnOn(ctx) : command.action === 'off' ? turnOff(ctx) : rotate(ctx);
      case 'teamPhone':
        return setPhone(ctx, command.user.id, command.key);
      case 'teamPhoneRemove':
        return removePhone(ctx, command.key);
    }
  }

  async function turnOn(ctx: Context): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const now = clock.now();
    const id = newSourceId();
    const secret = newSigningSecret();
    const enabled = await db.transaction().execute(async (trx) => {
      const done = await intakeRepository.enable(trx, { teamId: team.id, idHash: sourceIdHash(id), idHint: id.slice(0, ID_HINT_CHARS), secret, by: ctx.actor.userId, at: now });
      if (done) await intakeRepository.audit(trx, { teamId: team.id, actor: ctx.actor.userId, action: 'intake.on', at: now });
      return done;
    });
    if (!enabled) return answer(textMessage(t(lang, 'intake.already')));
    logger.info({ teamId: team.id }, 'intake turned on');
    const base = deps.intakeBaseUrl?.() ?? null;
    const urls = intakeUrls(base, id);
    const title = t(lang, 'intake.onTitle', { team: team.name });
    const blocks: Block[] = [
      { kind: 'header', text: title },
      {
        kind: 'fields',
        fields: [
          [t(lang, 'intake.ctiUrl'), urls.cti],
          [t(lang, 'intake.eventsUrl'), urls.events],
          [t(lang, 'intake.secret'), secret],
        ],
      },
      { kind: 'context', text: t(lang, 'intake.once') },
    ];
    if (base === null) blocks.push({ kind: 'context', text: t(lang, 'intake.noServer') });
    // The bot's own text: an address or a secret is no customer's number, and must stay whole to be copied.
    return answer({ text: title, blocks, lang, verbatim: [urls.cti, urls.events, secret] });
  }

  async function turnOff(ctx: Context): Promise<CommandOutcome> {
    const now = clock.now();
    const done = await db.transaction().execute(async (trx) => {
      const off = await intakeRepository.disable(trx, ctx.team.id, now);
      if (off) await intakeRepository.audit(trx, { teamId: ctx.team.id, actor: ctx.actor.userId, action: 'intake.off', at: now });
      return off;
    });
    if (done) logger.info({ teamId: ctx.team.id }, 'intake turned off');
    return answer(textMessage(t(ctx.lang, done ? 'intake.off' : 'intake.offAlready')));
  }

  async function rotate(ctx: Context): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const now = clock.now();
    const secret = newSigningSecret();
    const until = now.plus({ hours: PREVIOUS_SECRET_HOURS });
    const done = await db.transaction().execute(async (trx) => {
      const rotated = await intakeRepository.rotate(trx, team.id, secret, now, until);
      if (rotated) await intakeRepository.audit(trx, { teamId: team.id, actor: ctx.actor.userId, action: 'intake.rotate', at: now, detail: { previousValidUntil: until.toISO() } });
      return rotated;
    });
    if (!done) return answerError({ key: 'intake.notOn', usage: 'usage.intake' }, lang);
    logger.info({ teamId: team.id }, 'intake secret rotated');
    const title = t(lang, 'intake.rotatedTitle', { team: team.name });
    return answer({
      text: title,
      blocks: [
        { kind: 'header', text: title },
        {
          kind: 'fields',
          fields: [
            [t(lang, 'intake.secret'), secret],
            [t(lang, 'intake.previousUntil'), formatDateTime(until, team.zone)],
          ],
        },
        { kind: 'context', text: t(lang, 'intake.rotatedHint') },
      ],
      lang,
      verbatim: [secret],
    });
  }

  async function status(ctx: Context): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const source = await intakeRepository.source(db, team.id);
    const title = t(lang, 'intake.statusTitle', { team: team.name });
    if (!source?.on) {
      return answer({
        text: title,
        blocks: [
          { kind: 'header', text: title },
          { kind: 'fields', fields: [[t(lang, 'intake.state'), t(lang, 'intake.stateOff')]] },
          { kind: 'context', text: t(lang, 'intake.offHint') },
        ],
        lang,
      });
    }
    const now = clock.now();
    const counts = await intakeRepository.countsSince(db, team.id, now.setZone(team.zone).startOf('day'));
    const at = (d: typeof now | null) => (d ? formatDateTime(d, team.zone) : t(lang, 'intake.never'));
    const urls = intakeUrls(deps.intakeBaseUrl?.() ?? null, `${source.idHint ?? ''}…`);
    const fields: Array<[string, string]> = [
      [t(lang, 'intake.state'), t(lang, 'intake.stateOn', { since: at(source.enabledAt), user: mention(source.enabledBy ?? '') })],
      [t(lang, 'intake.ctiUrl'), urls.cti],
      [t(lang, 'intake.eventsUrl'), urls.events],
      [t(lang, 'intake.secretMade'), at(source.secretCreatedAt)],
    ];
    if (source.previousValidUntil && source.previousValidUntil > now) fields.push([t(lang, 'intake.previousUntil'), at(source.previousValidUntil)]);
    fields.push([t(lang, 'intake.lastEvent'), at(source.lastEventAt)]);
    fields.push([t(lang, 'intake.today'), t(lang, 'intake.todayValue', counts)]);
    if (deps.intakeBaseUrl?.() == null) fields.push(['INTAKE_PORT', t(lang, 'intake.noServer')]);
    return answer({
      text: title,
      blocks: [
        { kind: 'header', text: title },
        { kind: 'fields', fields },
        { kind: 'context', text: t(lang, 'intake.hiddenId') },
      ],
      lang,
      verbatim: [urls.cti, urls.events],
    });
  }

  async function setPhone(ctx: Context, userId: string, key: string): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const member = await teamRepository.memberOf(db, team.id, userId);
    if (!member || member.active === false) return answerError({ key: 'err.notMember', params: { user: mention(userId), team: team.name }, usage: 'usage.phone' }, lang);
    const now = clock.now();
    const previous = await db.transaction().execute(async (trx) => {
      const before = await intakeRepository.setPhone(trx, { teamId: team.id, key, userId, by: ctx.actor.userId, at: now });
      if (before !== userId) await intakeRepository.audit(trx, { teamId: team.id, actor: ctx.actor.userId, action: 'phone.set', at: now, detail: { key, user: userId, previous: before } });
      return before;
    });
    const params = { key: keyText(key), user: mention(userId), previous: mention(previous ?? '') };
    const text = t(lang, previous === null ? 'phone.set' : previous === userId ? 'phone.same' : 'phone.moved', params);
    // The manager typed the number: it is theirs to read back whole.
    return answer({ ...textMessage(text), revealsPhones: true });
  }

  async function removePhone(ctx: Context, key: string): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const now = clock.now();
    const was = await db.transaction().execute(async (trx) => {
      const user = await intakeRepository.removePhone(trx, team.id, key);
      if (user) await intakeRepository.audit(trx, { teamId: team.id, actor: ctx.actor.userId, action: 'phone.remove', at: now, detail: { key, user } });
      return user;
    });
    if (!was) return answerError({ key: 'phone.notFound', params: { key: keyText(key) }, usage: 'usage.phone' }, lang);
    return answer({ ...textMessage(t(lang, 'phone.removed', { key: keyText(key), user: mention(was) })), revealsPhones: true });
  }

  return Object.freeze({ run });
}

/** `/cs team phone`: every noted extension, number and PBX user name with its member (staff numbers, shown whole to a supervisor or manager). */
function phonesMessage(ctx: Context, phones: ReadonlyArray<{ key: string; userId: string }>): Message {
  const lang: Lang = ctx.lang;
  const title = t(lang, 'phone.title', { team: ctx.team.name });
  if (phones.length === 0)
    return {
      text: title,
      blocks: [
        { kind: 'header', text: title },
        { kind: 'text', text: t(lang, 'phone.empty') },
      ],
      lang,
    };
  const lines = phones.map((p) => t(lang, 'phone.line', { key: keyText(p.key), user: mention(p.userId) }));
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      { kind: 'list', items: lines },
    ],
    lang,
    revealsPhones: true,
  };
}
