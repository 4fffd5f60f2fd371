import type { WsFrame } from '@wecom/aibot-node-sdk';
import type { Logger } from '../../runtime/logger';
import { t } from '../../i18n';
import type { Directory } from '../conversation/directory';
import { saveExport } from '../export-folder';
import { DeliveryError, type ChatGateway, type FileDelivery, type OutgoingImage, type PrivateFile } from '../gateway';
import type { MarkdownPart, Readers } from '../markdown';
import type { Message, Outgoing } from '../message';
import { maskMessage, replyForAsker } from '../privacy';
import { createSplitSender } from '../split-sends';
import type { WeComApp } from './app-api';
import type { BotChats } from './bot-chats';
import type { WeComConnection } from './connection';
import { WeComRefusal } from './errors';
import { TooLongForLane, type Lane, type Lanes } from './lanes';
import { APP_MAX_BYTES, buttonCard, renderWeCom } from './render';

export interface WeComGatewayDeps {
  readonly connection: WeComConnection;
  /** The self-built app, when configured: it carries the private messages of people the smart bot may not write to. */
  readonly app: WeComApp | null;
  /** Each lane's budget per conversation and the waits WeCom imposed on it. */
  readonly lanes: Lanes;
  /** Who has written to the smart bot. */
  readonly chats: BotChats;
  readonly directory: Directory;
  readonly logger: Logger;
  /** Where an export goes when WeCom would not take the file. */
  readonly exportDir: string;
}

const markdown = (content: string) => ({ msgtype: 'markdown', markdown: { content } });

/** One call of a message: a markdown part, or the card with its buttons (made when it is sent). */
type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'card'; readonly title: string };

/**
 * Delivers neutral messages on WeCom, each in one conversation and whole:
 * - team-channel posts to the group, through the smart bot;
 * - a person's messages (DMs, and what Slack would show ephemerally) to their private
 *   conversation: the smart bot's 1:1 chat once they have written to it (text, then its
 *   buttons as a card, in that one chat; a click's answer lands there too), else the
 *   self-built app's (text, with the commands to type: the app's cards would call back to
 *   an address the bot does not serve). Without the app, the smart bot tries anyway.
 * Every part of a message is reserved against the conversation's cap before the first goes
 * out, so a message is sent whole or later (merged by the caller with what waits), never cut;
 * one too long for any minute goes out as its first screen and says how to get the rest.
 * Only the replica holding the connection sends (`canSend`).
 */
export function createWeComGateway(deps: WeComGatewayDeps) {
  const { connection, app, lanes, chats, directory, logger } = deps;
  const sendParts = createSplitSender();
  // Cards sent lately, by task id: a click updates its card without losing the other buttons.
  const cards = new Map<string, Record<string, unknown>>();
  const remember = (card: Record<string, unknown>) => {
    if (cards.size >= 1000) cards.delete(cards.keys().next().value!);
    cards.set(String(card.task_id), card);
  };

  /** The lane a person's private messages take. */
  async function laneFor(user: string): Promise<Lane> {
    if (!app) return 'bot';
    // Without the database (an outage) the smart bot is tried: a refusal falls back to the app.
    return (await chats.hasWritten(user).catch(() => true)) ? 'bot' : 'app';
  }

  /** One piece on a lane; a rate limit is narrowed to the lane and conversation it was met on. */
  async function sendPiece(lane: Lane, chat: string, readers: Readers, message: Message, piece: Piece): Promise<void> {
    try {
      if (piece.kind === 'card') {
        const card = buttonCard(message, piece.title);
        if (!card) return;
        remember(card);
        await connection.send(chat, 'single', { msgtype: 'template_card', template_card: card });
      } else if (lane === 'app') await app!.sendMarkdown(chat, piece.text);
      else await connection.send(chat, readers === 'group' ? 'group' : 'single', markdown(piece.text));
    } catch (error) {
      throw lanes.refused(lane, chat, error);
    }
  }

  /** The pieces of a message on a lane: its parts, and on the smart bot's private chat the card with its first buttons. */
  function piecesOf(lane: Lane, readers: Readers, message: Message, parts: readonly MarkdownPart[]): Piece[] {
    const text: Piece[] = parts.map((p) => ({ kind: 'text', text: p.text }));
    const card = lane === 'bot' && readers === 'private' && buttonCard(message, parts[0]?.title ?? '') ? [{ kind: 'card', title: parts[0]?.title ?? '' } as const] : [];
    return [...text, ...card];
  }

  /** Sends a message whole on a lane (every piece reserved first), or its first screen and how to get the rest. */
  async function whole(lane: Lane, chat: string, readers: Readers, message: Message, parts: readonly MarkdownPart[], delivered = () => {}): Promise<void> {
    const pieces = piecesOf(lane, readers, message, parts);
    const send = (list: readonly Piece[]) =>
      sendParts(
        `${lane}:${chat}`,
        list,
        async (piece) => {
          await sendPiece(lane, chat, readers, message, piece);
          delivered();
        },
        (count) => lanes.reserve(lane, chat, count),
      );
    try {
      await send(pieces);
    } catch (error) {
      if (!(error instanceof TooLongForLane)) throw error;
      logger.warn({ lane, parts: parts.length }, 'WeCom message too long to go out whole; sending its first screen and how to get the rest');
      const lang = message.lang ?? 'zh-CN';
      const how = message.again !== undefined ? t(lang, lane === 'app' ? 'wecom.tooLongAgainInBot' : 'wecom.tooLongAgain', { command: message.again }) : t(lang, 'wecom.tooLongNoCommand');
      const notice: Piece = { kind: 'text', text: t(lang, 'wecom.tooLong', { parts: parts.length, how }) };
      await send([pieces[0]!, notice, ...pieces.filter((p) => p.kind === 'card')]);
    }
  }

  /** A person's private message: the smart bot for those who wrote to it, else the app; a refusal by the bot before anything went out moves it whole to the app. */
  async function toPerson(user: string, message: Message): Promise<void> {
    const names = await directory.namesIn(message);
    const lane = await laneFor(user);
    if (lane === 'app') return whole('app', user, 'private', message, renderWeCom(message, 'private', names, APP_MAX_BYTES));
    const parts = renderWeCom(message, 'private', names);
    let started = false;
    try {
      await whole('bot', user, 'private', message, parts, () => (started = true));
    } catch (error) {
      // The smart bot would not write to them (they never wrote to it, or no longer may be written to):
      // the app carries the whole message, in its own conversation, from now on. A message
      // already begun in the bot's chat is finished there.
      const refusedOutright = error instanceof WeComRefusal && !error.transient;
      if (!refusedOutright || started) throw error;
      const wrote = await chats.hasWritten(user).catch(() => true);
      if (!app) {
        if (wrote) throw error;
        throw new DeliveryError(
          `the WeCom smart bot may not write first to ${user}, who never wrote to it (a self-built app would reach them: WECOM_CORP_ID, WECOM_APP_SECRET, WECOM_AGENT_ID)`,
          undefined,
          { permanent: true },
        );
      }
      logger.warn({ err: error.message }, 'WeCom smart bot refused a private message; the self-built app carries it');
      await chats.forget(user).catch(() => {});
      await whole('app', user, 'private', message, renderWeCom(message, 'private', names, APP_MAX_BYTES));
    }
  }

  /** One send's place in a conversation, waiting up to a minute for it (a file has no outbox to wait in). */
  async function reserveSoon(lane: Lane, chat: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await lanes.reserve(lane, chat, 1);
      } catch (error) {
        const wait = error instanceof DeliveryError ? error.retryAfterMs : undefined;
        if (attempt > 0 || wait === undefined || wait > 65_000) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  const gateway: ChatGateway & {
    answer(frame: WsFrame, message: Message, readers: Readers, chat: string): Promise<boolean>;
    cardFor(taskId: string): Record<string, unknown> | null;
    /** `user` wrote to the smart bot: from now on their private messages go through its chat with them. */
    noteWrote(user: string): Promise<void>;
  } = {
    canSend: () => connection.canSend(),
    /** A card this process sent lately, by its task id (null when unknown: sent before a restart, or elsewhere). */
    cardFor: (taskId) => cards.get(taskId) ?? null,
    noteWrote: (user) => chats.wrote(user),

    async send({ to, message }: Outgoing) {
      if (to.kind === 'channel') {
        const parts = renderWeCom(message, 'group', await directory.namesIn(message));
        await whole('bot', to.channel, 'group', message, parts);
        return;
      }
      // No ephemeral messages on WeCom: what only one person may read goes to their private conversation.
      await toPerson(to.user, message);
    },

    async sendFile(file: PrivateFile): Promise<FileDelivery> {
      try {
        // The person just asked for it, so they have written to the smart bot: the file comes into that chat.
        await reserveSoon('bot', file.user);
        const mediaId = await connection.upload(file.name, file.content);
        await connection.send(file.user, 'single', { msgtype: 'file', file: { media_id: mediaId } }).catch((error: unknown) => {
          throw lanes.refused('bot', file.user, error);
        });
        return { kind: 'chat' };
      } catch (error) {
        logger.warn({ err: error }, 'export not delivered in WeCom; kept on the server');
        const path = await saveExport(deps.exportDir, file.name, file.content);
        return { kind: 'server', path, why: error instanceof Error ? error.message : String(error) };
      }
    },

    async sendImage(image: OutgoingImage): Promise<void> {
      // Through the smart bot, group or person: a person asking for a chart has just written to it.
      const chat = image.to.kind === 'channel' ? image.to.channel : image.to.user;
      await reserveSoon('bot', chat);
      try {
        const mediaId = await connection.upload(image.name, image.png, 'image');
        await connection.send(chat, image.to.kind === 'channel' ? 'group' : 'single', { msgtype: 'image', image: { media_id: mediaId } });
      } catch (error) {
        const refused = lanes.refused('bot', chat, error);
        // A refusal that is no rate limit (no permission, a stranger) will be the same next time.
        throw refused instanceof WeComRefusal && !refused.transient ? new DeliveryError(refused.message, undefined, { permanent: true }) : refused;
      }
    },

    /**
     * Answers the message `frame` came with, in its conversation (`chat`: the group's chatid,
     * or the person), as one markdown reply. False when it would not fit in one, the
     * conversation's budget is spent just now, or WeCom would not take it: the caller sends
     * it the ordinary way (which waits for the budget).
     */
    async answer(frame, original, readers, chat) {
      // The one masking step, as for every other send: a group never reads a whole number.
      const message = readers === 'group' ? maskMessage(original) : replyForAsker(original);
      const parts = renderWeCom(message, readers, await directory.namesIn(message));
      if (parts.length !== 1) return false;
      try {
        await lanes.reserve('bot', chat, 1);
      } catch {
        return false;
      }
      const stream = { id: `cs-${frame.headers.req_id}`.slice(0, 64), finish: true, content: parts[0]!.text };
      // In a private chat the first buttons come along as a card, in the same reply.
      const card = readers === 'private' ? buttonCard(message, parts[0]!.title) : null;
      if (card) remember(card);
      try {
        await connection.reply(frame, card ? { msgtype: 'stream_with_template_card', stream, template_card: card } : { msgtype: 'stream', stream });
      } catch (error) {
        lanes.refused('bot', chat, error);
        logger.debug({ err: error }, 'WeCom reply refused; sending it the ordinary way');
        return false;
      }
      return true;
    },
  };

  return gateway;
}

export type WeComGateway = ReturnType<typeof createWeComGateway>;
