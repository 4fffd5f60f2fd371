import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { isDatabaseUnavailable } from '../../../db/availability';
import { requestKeyRepository } from '../../../db/repositories/request-keys';
import { teamRepository } from '../../../db/repositories/teams';
import type { CommandOutcome, CommandRequest, CommandService } from '../../app/commands/command-service';
import type { Logger } from '../../runtime/logger';
import { mention } from '../../app/commands/mention';
import type { Clock } from '../../core/time/clock';
import type { Platform } from '../../core/model';
import { t, type Lang } from '../../i18n';
import { commandTextOf } from '../command-text';
import { deliverAskedImage, fileDeliveryMessage } from '../file-delivery';
import type { ChatGateway } from '../gateway';
import { joinMessages, textMessage, type Message, type Outgoing } from '../message';
import type { Pacer } from '../pacer';
import { createReplySender } from '../reply-sender';
import { isCommandLine, type FormReply, type LogForm } from './log-form';

/**
 * Commands that only read (asking again changes nothing), whose answer a platform that
 * cannot deliver it whole may offer to show again: `show 1001`, `mine`, `kpi week`…
 */
const READ_ONLY = /^(help|帮助|mine|我的|show|查看|customer|客户|overdue|超时|kpi|指标|绩效|rotation|轮序|team(\s+policy)?$|团队$|digest(?!\s+ack)|日报(?!\s+ack))(\s|$)/i;

/** A message to the bot on a platform without Slack's features (DingTalk, WeCom), made neutral by its listener. */
export interface InboundMessage {
  /** The platform's id of this message: a re-push or a second replica's copy is handled once. */
  readonly key: string;
  readonly userId: string;
  /** The sender's name on the platform, kept for mentions. */
  readonly userName: string | null;
  /** A private chat with the bot, or a group where the bot was mentioned. */
  readonly place: { readonly kind: 'direct' } | { readonly kind: 'group'; readonly channelId: string };
  /** What was typed after the bot's mention; people mentioned in it as `<@id|name>`. */
  readonly text: string;
  /** Something the bot cannot read as a command (a picture, a file). */
  readonly notText?: boolean;
  /** The text is the platform's reading of a voice message: the answer says what it heard. */
  readonly fromVoice?: boolean;
  /**
   * What the platform made of the text cannot be a command as it stands, and why in the
   * reader's words (WeCom's @name picked from the list, which a bot cannot resolve): said
   * instead of running it.
   */
  readonly unreadable?: (lang: Lang) => string;
  /** Someone outside the organisation (DingTalk: no staff id): told once that only its members can use the bot. */
  readonly outsider?: boolean;
  /**
   * Answers in the conversation the message came from, while the platform allows
   * it (DingTalk's session webhook, which can also @ the sender); false when it
   * could not, so the answer goes out the ordinary way.
   */
  readonly answerHere?: (message: Message, opts?: { readonly mention?: string }) => Promise<boolean>;
  /**
   * A button clicked on a card in a group (DingTalk): told what the command came to (the card
   * shows who clicked), instead of the group's line that the answer went to the private chat.
   */
  readonly onOutcome?: (outcome: CommandOutcome, lang: Lang) => Promise<void>;
}

export interface InboundDeps {
  readonly platform: Platform;
  readonly db: Kysely<Database>;
  readonly service: CommandService;
  readonly forms: LogForm;
  readonly gateway: ChatGateway;
  /** The process's waits imposed by the platform, shared with the reminders. */
  readonly pacer: Pacer;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The language of an answer when the database cannot say the team's. */
  readonly defaultLang: Lang;
  /** How long a message is held for its handler, unless renewed, before a re-pushed copy may be handled instead. */
  readonly holdMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Handles a message for a platform without ephemeral messages, modals or buttons
 * that call back, the same way on each (build once, WeCom reuses it): every answer
 * goes to the person's private chat; a group where they asked gets at most one short
 * line without customer details; the log form is a guided conversation in the
 * private chat. Each message is handled once across re-pushes and replicas.
 */
export function createInboundHandler(deps: InboundDeps) {
  const { db, service, forms, clock, logger } = deps;
  const holdMs = deps.holdMs ?? 15_000;
  const sender = createReplySender({ gateway: deps.gateway, pacer: deps.pacer, logger, defaultLang: deps.defaultLang, now: () => clock.now().toMillis() });
  const send = (outgoing: Outgoing) => sender.send(outgoing);

  return async function handle(message: InboundMessage): Promise<'handled' | 'duplicate' | 'failed'> {
    // The hold has a key of its own: the command's writes claim `message.key` themselves (a log is written once).
    if (message.outsider) return tellOutsider(message);
    const gate = `inbound:${message.key}`;
    let held: boolean;
    try {
      held = await requestKeyRepository.hold(db, gate, clock.now(), holdMs);
    } catch (error) {
      // No database: nothing can be done or saved. Say so rather than stay silent.
      logger.error({ err: error }, 'message not handled: the database is unavailable');
      await toPerson(message, textMessage(t(deps.defaultLang, 'err.databaseUnavailable')));
      return 'failed';
    }
    // Held by another: a replica handling it now, or a process that died holding it (a crash
    // between receiving and acknowledging, then the platform's re-push). Waited for: done there,
    // it is a duplicate; a dead holder's hold runs out and it is handled here, once.
    if (!held) held = await takeOver(gate);
    if (!held) return 'duplicate';
    // Renewed while it runs, so a slow answer is not taken over by a re-pushed copy.
    const renewal = setInterval(() => void requestKeyRepository.renewHold(db, gate, clock.now(), holdMs).catch(() => {}), holdMs / 3);
    try {
      await respond(message);
    } catch (error) {
      const away = isDatabaseUnavailable(error);
      if (away) logger.warn('message not handled: the database is unavailable');
      else logger.error({ err: error }, 'message handling failed');
      await toPerson(message, textMessage(t(deps.defaultLang, away ? 'err.databaseUnavailable' : 'err.internal')));
    } finally {
      clearInterval(renewal);
      await requestKeyRepository.handled(db, gate).catch((error: unknown) => logger.warn({ err: error }, 'could not mark a message handled'));
    }
    return 'handled';
  };

  /**
   * Someone outside the organisation has no account the bot can act as, nor a private chat it
   * can write to: told in the conversation they wrote in, once a day at most (the key is kept
   * as long as handled messages' keys are).
   */
  async function tellOutsider(message: InboundMessage): Promise<'handled' | 'duplicate' | 'failed'> {
    const key = `outsider:${deps.platform}:${message.userId}`;
    try {
      if (!(await requestKeyRepository.hold(db, key, clock.now(), holdMs))) return 'duplicate';
      const lang = message.place.kind === 'group' ? ((await teamRepository.findByChannel(db, deps.platform, message.place.channelId))?.lang ?? deps.defaultLang) : deps.defaultLang;
      await message.answerHere?.(textMessage(t(lang, 'err.outsider'))).catch(() => false);
      await requestKeyRepository.handled(db, key);
      return 'handled';
    } catch (error) {
      logger.warn({ err: error }, 'could not tell someone outside the organisation that the bot is for its members');
      return 'failed';
    }
  }

  /** Waits, for a little longer than a hold lasts, until the message is handled elsewhere (false) or its hold has run out and is taken here (true). */
  async function takeOver(gate: string): Promise<boolean> {
    const giveUpAt = Date.now() + holdMs + 5_000;
    while (Date.now() < giveUpAt) {
      await sleep(250);
      try {
        if (await requestKeyRepository.isHandled(db, gate)) return false;
        if (await requestKeyRepository.hold(db, gate, clock.now(), holdMs)) return true;
      } catch {
        return false;
      }
    }
    return false;
  }

  async function respond(message: InboundMessage): Promise<void> {
    // Speech read as text ends as a sentence does ("mine。"): the full stop is no part of a command.
    const spoken = message.fromVoice ? message.text.replace(/[\s。．.！!？?，,、]+$/u, '') : message.text;
    if (spoken !== message.text) message = { ...message, text: spoken };
    const text = commandTextOf(message.text);
    const request: CommandRequest = {
      userId: message.userId,
      userName: message.userName,
      channelId: message.place.kind === 'group' ? message.place.channelId : null,
      text,
      requestKey: message.key,
    };
    if (message.userName) await teamRepository.noteDisplayName(db, deps.platform, message.userId, message.userName).catch(() => {});
    // The catalogue's own example (a whole number to copy) for the asker alone.
    if (message.notText) return toPerson(message, { ...textMessage(t(await service.languageFor(request), 'err.textOnly')), revealsPhones: true });
    if (message.unreadable) {
      const lang = await service.languageFor(request);
      await toPerson(message, textMessage(message.unreadable(lang)));
      return groupLine(message, t(lang, 'private.groupLine', { user: mention(message.userId) }));
    }
    // In the private chat, an open form takes the line as its next answer (`/cs …` stays a command).
    if (message.place.kind === 'direct' && !isCommandLine(message.text)) {
      const step = await forms.answer(request, message.text);
      if (step.kind === 'reply') return formReply(message, step.messages.length || step.prompt || step.outcome ? { ...step, messages: [...(await heard(message, request)), ...step.messages] } : step);
      if (step.kind === 'expired') await toPerson(message, step.notice);
    }
    const outcome = await service.handle(request);
    await deliver(message, request, outcome);
  }

  /** For an answer to a voice message: what the bot read from it, so a wrong reading is seen at once. */
  async function heard(message: InboundMessage, request: CommandRequest): Promise<Message[]> {
    if (!message.fromVoice) return [];
    return [textMessage(t(await service.languageFor(request), 'inbound.heardVoice', { text: message.text }))];
  }

  /** Private: in the chat it came from when that is the private chat, else the person's 1:1 chat. */
  async function toPerson(message: InboundMessage, reply: Message): Promise<void> {
    if (message.place.kind === 'direct' && message.answerHere && (await message.answerHere(reply).catch(() => false))) return;
    await send({ to: { kind: 'dm', user: message.userId }, message: reply });
  }

  /** The one short line a group gets when someone asked there: no customer details, ever. */
  async function groupLine(message: InboundMessage, line: string): Promise<void> {
    if (message.place.kind !== 'group') return;
    const reply = textMessage(line);
    if (message.answerHere && (await message.answerHere(reply, { mention: message.userId }).catch(() => false))) return;
    await send({ to: { kind: 'channel', channel: message.place.channelId }, message: reply });
  }

  async function formReply(message: InboundMessage, step: FormReply): Promise<void> {
    const parts = [...step.messages, ...(step.outcome?.reply ? [step.outcome.reply] : []), ...(step.prompt ? [textMessage(step.prompt)] : [])];
    if (parts.length) await toPerson(message, joinMessages(parts));
    if (step.outcome) await deliverNotices(step.outcome);
  }

  async function deliver(message: InboundMessage, request: CommandRequest, outcome: CommandOutcome): Promise<void> {
    const lang = outcome.openLogForm?.lang ?? outcome.file?.lang ?? (await service.languageFor(request));
    const who = mention(message.userId);
    let line = t(lang, 'private.groupLine', { user: who });
    // Another command ran while the person's form waits: its answer ends with the form's question again.
    const waiting = outcome.openLogForm ? null : await forms.stillWaiting(message.userId);
    const answered = outcome.reply && waiting ? joinMessages([outcome.reply, waiting]) : (outcome.reply ?? waiting);
    if (answered) {
      const reply = outcome.reply && READ_ONLY.test(request.text) ? { ...answered, again: request.text } : answered;
      const voice = await heard(message, request);
      await toPerson(message, voice.length ? { ...joinMessages([...voice, reply]), ...(reply.again ? { again: reply.again } : {}) } : reply);
    }
    // The number of what was logged, only in the team's own group (not another team's, not any group).
    if (outcome.loggedId !== undefined && message.place.kind === 'group') {
      const own = await service.membership(message.userId, message.place.channelId).catch(() => null);
      if (own?.team.channelId === message.place.channelId) line = t(lang, 'private.loggedGroupLine', { id: outcome.loggedId, user: who });
    }
    if (outcome.openLogForm) {
      const first = await forms.start(request, outcome.openLogForm);
      await toPerson(message, joinMessages([...first.messages, ...(first.prompt ? [textMessage(first.prompt)] : [])]));
      line = t(lang, 'private.formGroupLine', { user: who });
    }
    if (outcome.file) await deliverFile(message, outcome.file, lang);
    if (outcome.image)
      await deliverAskedImage(
        deps.gateway,
        outcome.image,
        (reply) => toPerson(message, reply),
        (error) => logger.warn({ err: error }, 'chart not delivered'),
      );
    await deliverNotices(outcome);
    // A command that already posts to this group (team create) needs no second line there.
    const postsHere = outcome.notices.some((n) => n.to.kind === 'channel' && message.place.kind === 'group' && n.to.channel === message.place.channelId);
    if (message.onOutcome) await message.onOutcome(outcome, lang).catch((error: unknown) => logger.warn({ err: error }, 'card not updated after a click'));
    else if (!postsHere) await groupLine(message, line);
  }

  async function deliverFile(message: InboundMessage, file: NonNullable<CommandOutcome['file']>, lang: Lang): Promise<void> {
    if (!deps.gateway.sendFile) return;
    try {
      await toPerson(message, fileDeliveryMessage(await deps.gateway.sendFile(file), lang));
    } catch (error) {
      logger.warn({ err: error }, 'export file not delivered');
      await toPerson(message, textMessage(t(lang, 'err.exportFailed')));
    }
  }

  async function deliverNotices(outcome: CommandOutcome): Promise<void> {
    // Each on its own: one undeliverable notice (someone who left) hides no other.
    for (const notice of outcome.notices) await send(notice);
  }
}

export type InboundHandler = ReturnType<typeof createInboundHandler>;
