import type { WsFrame } from '@wecom/aibot-node-sdk';
import type { Logger } from '../../app/logger';
import type { Directory } from '../conversation/directory';
import { saveExport } from '../export-folder';
import type { ChatGateway, FileDelivery, PrivateFile } from '../gateway';
import type { Readers } from '../markdown';
import type { Message, Outgoing } from '../message';
import { maskMessage, replyForAsker } from '../privacy';
import { createSplitSender } from '../split-sends';
import type { WeComApp } from './app-api';
import type { WeComConnection } from './connection';
import { APP_MAX_BYTES, buttonCard, renderWeCom } from './render';

export interface WeComGatewayDeps {
  readonly connection: WeComConnection;
  /** The self-built app, when configured: DMs go through it. */
  readonly app: WeComApp | null;
  readonly directory: Directory;
  readonly logger: Logger;
  /** Where an export goes when WeCom would not take the file. */
  readonly exportDir: string;
}

const markdown = (content: string) => ({ msgtype: 'markdown', markdown: { content } });

/**
 * Delivers neutral messages on WeCom: team-channel posts to the group through the smart
 * bot; a person's messages (DMs, and what Slack would show ephemerally) to their 1:1 chat,
 * through the self-built app when there is one (it reaches people who never wrote to the
 * bot), else the smart bot; the smart bot adds a card with the first buttons. Only the
 * replica holding the connection sends (`canSend`).
 */
export function createWeComGateway(deps: WeComGatewayDeps) {
  const { connection, app, directory, logger } = deps;
  const sendParts = createSplitSender();
  // Cards sent lately, by task id: a click updates its card without losing the other buttons.
  const cards = new Map<string, Record<string, unknown>>();
  const remember = (card: Record<string, unknown>) => {
    if (cards.size >= 1000) cards.delete(cards.keys().next().value!);
    cards.set(String(card.task_id), card);
  };

  const gateway: ChatGateway & {
    answer(frame: WsFrame, message: Message, readers: Readers): Promise<boolean>;
    cardFor(taskId: string): Record<string, unknown> | null;
  } = {
    canSend: () => connection.canSend(),
    /** A card this process sent lately, by its task id (null when unknown: sent before a restart, or elsewhere). */
    cardFor: (taskId) => cards.get(taskId) ?? null,

    async send({ to, message }: Outgoing) {
      const names = await directory.namesIn(message);
      if (to.kind === 'channel') {
        const parts = renderWeCom(message, 'group', names);
        await sendParts(`channel:${to.channel}`, parts, (part) => connection.send(to.channel, 'group', markdown(part.text)));
        return;
      }
      // No ephemeral messages on WeCom: what only one person may read goes to their 1:1 chat.
      if (app) {
        const parts = renderWeCom(message, 'private', names, APP_MAX_BYTES);
        await app.reserve(to.user, parts.length);
        await sendParts(`dm:${to.user}`, parts, (part) => app.sendMarkdown(to.user, part.text));
        // The app's own cards would call back to a URL we do not serve: the buttons come from the
        // smart bot, which reaches people who have written to it (a refusal costs only the shortcut).
        await sendCard(to.user, message, parts[0]?.title ?? '');
        return;
      }
      const parts = renderWeCom(message, 'private', names);
      await sendParts(`dm:${to.user}`, parts, (part) => connection.send(to.user, 'single', markdown(part.text)));
      await sendCard(to.user, message, parts[0]?.title ?? '');
    },

    async sendFile(file: PrivateFile): Promise<FileDelivery> {
      try {
        await connection.sendFile(file.user, file.name, file.content);
        return { kind: 'chat' };
      } catch (error) {
        logger.warn({ err: error }, 'export not delivered in WeCom; kept on the server');
        const path = await saveExport(deps.exportDir, file.name, file.content);
        return { kind: 'server', path, why: error instanceof Error ? error.message : String(error) };
      }
    },

    /**
     * Answers the message `frame` came with, in its conversation (one markdown reply).
     * False when it would not fit in one or WeCom would not take it: the caller sends it the ordinary way.
     */
    async answer(frame, original, readers) {
      // The one masking step, as for every other send: a group never reads a whole number.
      const message = readers === 'group' ? maskMessage(original) : replyForAsker(original);
      const parts = renderWeCom(message, readers, await directory.namesIn(message));
      if (parts.length !== 1) return false;
      const stream = { id: `cs-${frame.headers.req_id}`.slice(0, 64), finish: true, content: parts[0]!.text };
      // In a private chat the first buttons come along as a card, in the same reply.
      const card = readers === 'private' ? buttonCard(message, parts[0]!.title) : null;
      if (card) remember(card);
      try {
        await connection.reply(frame, card ? { msgtype: 'stream_with_template_card', stream, template_card: card } : { msgtype: 'stream', stream });
      } catch (error) {
        logger.debug({ err: error }, 'WeCom reply refused; sending it the ordinary way');
        return false;
      }
      return true;
    },
  };

  /** The message's first buttons as a card in a private chat; the markdown already says how to type them, so a refusal only costs the shortcut. */
  async function sendCard(user: string, message: Message, title: string): Promise<void> {
    const card = buttonCard(message, title);
    if (!card) return;
    remember(card);
    try {
      await connection.send(user, 'single', { msgtype: 'template_card', template_card: card });
    } catch (error) {
      logger.warn({ err: error }, 'WeCom button card not delivered; the message says how to type the commands');
    }
  }

  return gateway;
}

export type WeComGateway = ReturnType<typeof createWeComGateway>;
