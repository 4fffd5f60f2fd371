import { randomBytes } from 'node:crypto';
import type { Logger } from '../../runtime/logger';
import type { Directory } from '../conversation/directory';
import { DeliveryError } from '../gateway';
import type { Names } from '../markdown';
import type { Block, Button, Message } from '../message';
import type { DingTalkApi } from './api';
import { renderDingTalk } from './render';

/**
 * Real buttons in DingTalk groups: a robot interactive card built in code (the
 * "StandardCard" template, no template made on DingTalk's card platform), sent with
 * `POST /v1.0/im/v1.0/robot/interactiveCards/send` and updated in place with
 * `PUT /v1.0/im/robots/interactiveCards` (docs/dingtalk-cards.md). A click comes back
 * over Stream on /v1.0/card/instances/callback with the card's id and the button's id;
 * the button's id carries the command it runs, so a click still runs after a restart.
 */
const CARD_SEND_PATH = '/v1.0/im/v1.0/robot/interactiveCards/send';
const CARD_UPDATE_PATH = '/v1.0/im/robots/interactiveCards';
/** DingTalk publishes no limit on a card's buttons; more than this and the message goes as markdown. */
const MAX_CARD_BUTTONS = 6;
/** The card's JSON as a string; DingTalk publishes no figure: the robot messages' margin is kept. */
const MAX_CARD_BYTES = 12_000;
const ACTION_PREFIX = 'cs_';

/** The button id that carries a command (base64url: letters, digits, `-` and `_` only). */
const actionIdOf = (command: string): string => `${ACTION_PREFIX}${Buffer.from(command, 'utf8').toString('base64url')}`;

/** The command a clicked button's id carries; null for an id the bot did not make. */
export function commandOfAction(actionId: string): string | null {
  if (!actionId.startsWith(ACTION_PREFIX)) return null;
  const command = Buffer.from(actionId.slice(ACTION_PREFIX.length), 'base64url').toString('utf8');
  return command.trim() && actionIdOf(command) === actionId ? command : null;
}

/** A card the bot sent to a group: the message without its buttons, the buttons still to press, and who pressed which. */
export interface SentCard {
  readonly channel: string;
  readonly message: Message;
  readonly buttons: readonly Button[];
  readonly done: readonly string[];
  /** Who pressed which button (a re-pushed click of theirs is not someone else's stale one). */
  readonly pressed?: ReadonlyArray<{ readonly command: string; readonly user: string }>;
}

const buttonsOf = (message: Message): Button[] => message.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : []));

/** The message as the card's markdown shows it: buttons taken out (they are the card's own), pickers kept as text. */
function bodyOf(message: Message): Message {
  const blocks: Block[] = message.blocks.flatMap((b): Block[] => (b.kind !== 'buttons' ? [b] : b.pickers?.length ? [{ kind: 'buttons', buttons: [], pickers: b.pickers }] : []));
  return { ...message, blocks };
}

/**
 * The StandardCard JSON: a title, the message as one markdown component, the lines of
 * who pressed what, and the buttons still to press, each a "request" button whose id is
 * its command. Null when the message does not fit one card.
 */
function standardCard(card: SentCard, names: Names): Record<string, unknown> | null {
  const done: Block[] = card.done.map((text) => ({ kind: 'context', text }));
  const parts = renderDingTalk({ ...card.message, blocks: [...card.message.blocks, ...done] }, 'group', names);
  if (parts.length !== 1) return null;
  const [part] = parts as [{ title: string; text: string }];
  const actions = card.buttons.map((b, i) => ({
    type: 'button',
    label: { type: 'text', text: b.label.replace(/\*/g, ''), id: `label_${i}` },
    actionType: 'request',
    status: b.style === 'danger' ? 'warning' : b.style === 'primary' ? 'primary' : 'normal',
    id: actionIdOf(b.command),
  }));
  const json = {
    config: { autoLayout: true, enableForward: false },
    header: { title: { type: 'text', text: part.title } },
    contents: [{ type: 'markdown', text: part.text, id: 'body' }, ...(actions.length ? [{ type: 'action', actions, id: 'actions' }] : [])],
  };
  return Buffer.byteLength(JSON.stringify(json)) <= MAX_CARD_BYTES ? json : null;
}

/**
 * A refusal no retry will change: any 4xx but the rate limits (which hold back every send,
 * scope `platform`) — a permission the app lacks, a card DingTalk will not take.
 */
const refusedOutright = (error: unknown): error is DeliveryError =>
  error instanceof DeliveryError && error.scope !== 'platform' && error.status !== undefined && error.status >= 400 && error.status < 500;

/**
 * Where sent cards are kept, so a click updates its card after a restart or on another
 * replica. `change` reads and writes one card atomically (two clicks at once on two replicas
 * each see the other's); it answers null for a card it does not know.
 */
export interface CardStore {
  save(cardId: string, card: SentCard): Promise<void>;
  find(cardId: string): Promise<SentCard | null>;
  change(cardId: string, update: (card: SentCard) => SentCard): Promise<SentCard | null>;
}

/** Cards kept in this process only (a test, or a bot without storage): the last 2,000. */
function memoryCardStore(): CardStore {
  const cards = new Map<string, SentCard>();
  return {
    async save(cardId, card) {
      if (cards.size >= 2000) cards.delete(cards.keys().next().value!);
      cards.set(cardId, card);
    },
    find: async (cardId) => cards.get(cardId) ?? null,
    async change(cardId, update) {
      const card = cards.get(cardId);
      if (!card) return null;
      const next = update(card);
      cards.set(cardId, next);
      return next;
    },
  };
}

/** The group cards' settings, as the composition root gives them. */
export interface GroupCardsSettings {
  /** Cards in groups at all (DINGTALK_GROUP_CARDS); off, groups read the commands to type as before. */
  readonly enabled: boolean;
  /** DingTalk refused a card outright: told once (the managers are told); cards stay off in this process. */
  readonly onRefused?: (channel: string, detail: string) => Promise<void>;
  /** Where sent cards are kept (in this process only, without one). */
  readonly store?: CardStore;
}

export interface GroupCardsDeps extends GroupCardsSettings {
  readonly api: Pick<DingTalkApi, 'call' | 'robotCode'>;
  readonly directory: Directory;
  readonly logger: Logger;
}

/**
 * The group cards: sends a message with buttons as a card (false: send it the ordinary way),
 * remembers the cards it sent lately, and updates one in place after a click. A card refused
 * outright turns cards off in this process (the message and every later one go as markdown,
 * with the commands to type) and says so once.
 */
export function createGroupCards(deps: GroupCardsDeps) {
  const { api, directory, logger } = deps;
  let enabled = deps.enabled;
  const store = deps.store ?? memoryCardStore();

  async function dataOf(card: SentCard): Promise<Record<string, unknown> | null> {
    return standardCard(card, await directory.namesIn({ ...card.message, blocks: [...card.message.blocks, ...card.done.map((text): Block => ({ kind: 'text', text }))] }));
  }

  return Object.freeze({
    enabled: () => enabled,

    /** Sends a group message with buttons as a card; false when it should go as markdown instead. */
    async send(channel: string, message: Message): Promise<boolean> {
      const buttons = buttonsOf(message);
      if (!enabled || buttons.length === 0 || buttons.length > MAX_CARD_BUTTONS) return false;
      const card: SentCard = { channel, message: bodyOf(message), buttons, done: [] };
      const data = await dataOf(card);
      if (!data) return false;
      // The card's id: unique per card (DingTalk keeps the first card of an id and ignores a second).
      const cardBizId = `cs-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
      try {
        await api.call(CARD_SEND_PATH, { cardTemplateId: 'StandardCard', cardBizId, robotCode: api.robotCode, openConversationId: channel, cardData: JSON.stringify(data) });
      } catch (error) {
        // Rate limits and outages are the outbox's to wait for, as for any message.
        if (!refusedOutright(error)) throw error;
        enabled = false;
        logger.warn({ err: error.message }, 'DingTalk refused an interactive card; group buttons go as commands to type from now on');
        await deps.onRefused?.(channel, error.message).catch((e: unknown) => logger.warn({ err: e }, 'could not tell the managers that DingTalk refused cards'));
        return false;
      }
      await store.save(cardBizId, card);
      return true;
    },

    /** A card the bot sent, by its id (the callback's outTrackId). */
    find: (cardBizId: string): Promise<SentCard | null> => store.find(cardBizId),

    /**
     * After a click: the card in place without the clicked button and with a line saying who
     * pressed it. False when the card is not known (one kept in another process's memory only).
     */
    async clicked(cardBizId: string, command: string, line: string, user: string): Promise<boolean> {
      const card = await store.change(cardBizId, (c) => ({
        ...c,
        buttons: c.buttons.filter((b) => b.command !== command),
        done: [...c.done, line],
        pressed: [...(c.pressed ?? []), { command, user }],
      }));
      if (!card) return false;
      const data = await dataOf(card);
      if (!data) return false;
      await api.call(CARD_UPDATE_PATH, { cardBizId, cardData: JSON.stringify(data) }, 'PUT');
      return true;
    },
  });
}

export type GroupCards = ReturnType<typeof createGroupCards>;
