import { zipSync } from 'fflate';
import type { Logger } from '../../runtime/logger';
import type { Directory } from '../conversation/directory';
import { saveExport } from '../export-folder';
import { createSplitSender } from '../split-sends';
import { DeliveryError, type ChatGateway, type FileDelivery, type OutgoingImage, type PrivateFile } from '../gateway';
import type { MarkdownPart, Readers } from '../markdown';
import type { Message, Outgoing } from '../message';
import { maskMessage, replyForAsker } from '../privacy';
import type { DingTalkApi, RobotMessage } from './api';
import { createGroupCards, type GroupCardsSettings } from './cards';
import { renderDingTalk } from './render';

export interface DingTalkGatewayDeps {
  readonly api: DingTalkApi;
  readonly directory: Directory;
  readonly logger: Logger;
  /** Where an export goes when DingTalk would not take the file. */
  readonly exportDir: string;
  /** How long a person DingTalk flow-controlled waits before the next try. */
  readonly flowControlWaitMs?: number;
  /** Group messages with buttons as interactive cards (cards.ts); without it, as markdown with the commands to type. */
  readonly cards?: GroupCardsSettings;
}

const markdown = (part: MarkdownPart): RobotMessage => ({ msgKey: 'sampleMarkdown', msgParam: { title: part.title, text: part.text } });

/**
 * Delivers neutral messages through the robot: a person's messages (DMs, and what
 * Slack would show ephemerally) by batch send to their 1:1 chat, team-channel posts
 * by group send, each rendered to DingTalk markdown and split to its size limit.
 * A person DingTalk flow-controlled is held back and tried again later; one it does
 * not know is a permanent refusal.
 */
export function createDingTalkGateway(deps: DingTalkGatewayDeps) {
  const { api, directory, logger } = deps;
  const flowControlWaitMs = deps.flowControlWaitMs ?? 60_000;
  const sendParts = createSplitSender();
  const cards = createGroupCards({ api, directory, logger, enabled: false, ...deps.cards });

  async function toPerson(user: string, message: RobotMessage): Promise<void> {
    const result = await api.sendToUsers([user], message);
    if (result.invalid.includes(user)) throw new DeliveryError(`DingTalk does not know user ${user} (left, or outside the robot's visible range)`, undefined, { permanent: true });
    if (result.flowControlled.includes(user)) throw new DeliveryError(`DingTalk flow-controlled user ${user}`, flowControlWaitMs, { scope: 'recipient' });
  }

  const gateway: ChatGateway & {
    readonly cards: typeof cards;
    answerInSession(webhook: string, message: Message, readers: Readers, mentionUser?: string): Promise<boolean>;
  } = {
    cards,

    async send({ to, message }: Outgoing) {
      // A group's buttons are real ones on a card, where the app may send cards.
      if (to.kind === 'channel' && (await cards.send(to.channel, message))) return;
      const names = await directory.namesIn(message);
      if (to.kind === 'channel') {
        const parts = renderDingTalk(message, 'group', names);
        await sendParts(`channel:${to.channel}`, parts, (part) => api.sendToGroup(to.channel, markdown(part)));
        return;
      }
      // No ephemeral messages on DingTalk: what only one person may read goes to their 1:1 chat.
      const parts = renderDingTalk(message, 'private', names);
      await sendParts(`dm:${to.user}`, parts, (part) => toPerson(to.user, markdown(part)));
    },

    async sendFile(file: PrivateFile): Promise<FileDelivery> {
      // DingTalk's file messages take xlsx, pdf, zip, rar, doc and docx: a CSV goes zipped.
      const zipName = `${file.name.replace(/\.[^.]+$/, '')}.zip`;
      try {
        const mediaId = await api.uploadFile(zipName, zipSync({ [file.name]: new Uint8Array(file.content) }));
        await toPerson(file.user, { msgKey: 'sampleFile', msgParam: { mediaId, fileName: zipName, fileType: 'zip' } });
        return { kind: 'chat' };
      } catch (error) {
        logger.warn({ err: error }, 'export not delivered in DingTalk; kept on the server');
        const path = await saveExport(deps.exportDir, file.name, file.content);
        return { kind: 'server', path, why: error instanceof Error ? error.message : String(error) };
      }
    },

    async sendImage(image: OutgoingImage): Promise<void> {
      const mediaId = await api.uploadImage(image.name, new Uint8Array(image.png));
      // sampleImageMsg's photoURL takes the media id of an uploaded picture as well as a URL.
      const message: RobotMessage = { msgKey: 'sampleImageMsg', msgParam: { photoURL: mediaId } };
      if (image.to.kind === 'channel') await api.sendToGroup(image.to.channel, message);
      else await toPerson(image.to.user, message);
    },

    /**
     * Answers in the conversation a message came from, through its session webhook;
     * `mentionUser` is @-mentioned (DingTalk needs the id in the text as well). False
     * when DingTalk would not take it (the session ended), so the caller sends it the ordinary way.
     */
    async answerInSession(webhook, original, readers, mentionUser) {
      // The one masking step, as for every other send: a group never reads a whole number.
      const message = readers === 'group' ? maskMessage(original) : replyForAsker(original);
      const names = await directory.namesIn(message);
      const shown = mentionUser ? { ...names, users: new Map([...names.users, [mentionUser, mentionUser]]) } : names;
      for (const part of renderDingTalk(message, readers, shown)) {
        if (!(await api.replyInSession(webhook, part, mentionUser ? [mentionUser] : []))) return false;
      }
      return true;
    },
  };
  return gateway;
}

export type DingTalkGateway = ReturnType<typeof createDingTalkGateway>;
