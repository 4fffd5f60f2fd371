import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DingTalkSend } from './fake-dingtalk';

/** An open API method the fake answers beyond the robot's messages: true when it took the request. */
export type ExtraRoute = (method: string, path: string, body: string, reply: (status: number, payload: unknown) => void) => boolean;

const CARD_TOPIC = '/v1.0/card/instances/callback';
const SEND = '/v1.0/im/v1.0/robot/interactiveCards/send';
const UPDATE = '/v1.0/im/robots/interactiveCards';

/**
 * StandardCard's JSON as DingTalk's samples build it (dingtalk-stream-sdk-python
 * interactive_card.py; docs/dingtalk-cards.md): a header title, components with ids,
 * buttons with a label, an action type and a status. Unknown component types are refused.
 */
const textSchema = z.strictObject({ type: z.literal('text'), text: z.string().min(1), id: z.string().min(1).optional() });
const buttonSchema = z.strictObject({
  type: z.literal('button'),
  label: textSchema,
  actionType: z.enum(['request', 'openLink']),
  status: z.enum(['primary', 'normal', 'warning']).optional(),
  url: z.strictObject({ all: z.string().url() }).optional(),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
});
const componentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('markdown'), text: z.string().min(1), id: z.string().min(1) }),
  z.strictObject({ type: z.literal('text'), text: z.string().min(1), id: z.string().min(1) }),
  z.strictObject({ type: z.literal('action'), actions: z.array(buttonSchema).min(1), id: z.string().min(1) }),
]);
const standardCardSchema = z.strictObject({
  config: z.strictObject({ autoLayout: z.boolean().optional(), enableForward: z.boolean().optional() }).optional(),
  header: z.strictObject({ title: textSchema, logo: z.string().optional() }),
  contents: z.array(componentSchema).min(1),
});
export type StandardCardJson = z.infer<typeof standardCardSchema>;

/** SendRobotInteractiveCardRequest's fields (alibabacloud dingtalk im_1_0 models); anything else is refused here. */
const sendSchema = z.strictObject({
  cardTemplateId: z.string(),
  cardBizId: z.string().min(1).max(100),
  robotCode: z.string().min(1),
  cardData: z.string().min(1),
  openConversationId: z.string().min(1).optional(),
  singleChatReceiver: z.string().optional(),
  callbackUrl: z.string().optional(),
  pullStrategy: z.boolean().optional(),
  sendOptions: z.looseObject({}).optional(),
  userIdPrivateDataMap: z.string().optional(),
  unionIdPrivateDataMap: z.string().optional(),
});
/** UpdateRobotInteractiveCardRequest's fields. */
const updateSchema = z.strictObject({
  cardBizId: z.string().min(1),
  cardData: z.string().min(1),
  updateOptions: z.strictObject({ updateCardDataByKey: z.boolean().optional(), updatePrivateDataByKey: z.boolean().optional() }).optional(),
  userIdPrivateDataMap: z.string().optional(),
  unionIdPrivateDataMap: z.string().optional(),
});

export interface FakeCard {
  readonly cardBizId: string;
  readonly openConversationId: string;
  /** The card as sent, then after each update. */
  readonly versions: StandardCardJson[];
}

const bad = (code: string, message: string) => ({ requestid: randomBytes(4).toString('hex'), code, message });

/** The card's text as a reader sees it: markdown, then the buttons' labels in brackets. */
export function cardText(card: StandardCardJson): string {
  return card.contents.map((c) => (c.type === 'action' ? c.actions.map((a) => `[${a.label.text}]`).join(' ') : c.text)).join('\n');
}

/**
 * The robot's interactive cards on the fake DingTalk, as strict as the docs: the send's
 * required fields and no others, `cardData` a JSON string that parses to a StandardCard,
 * a cardBizId used once, the robot's code, a group the robot is in; refused with DingTalk's
 * 400 shape. Clicks go out as CALLBACK frames on the card topic (only when the connection
 * subscribed to it), to be acknowledged like any callback; updates are recorded.
 */
export function installCardRoutes(core: {
  clientId: string;
  sends: DingTalkSend[];
  extraRoutes: ExtraRoute[];
  subscriptions: () => Array<{ type?: string; topic?: string }>;
  pushRaw: (raw: string) => void;
  acks: Map<string, unknown[]>;
  behaviour: { notInGroup: Set<string> };
}) {
  const cards = new Map<string, FakeCard>();
  const rejected: Array<{ path: string; code: string }> = [];
  const frames = new Map<string, string>();
  const behaviour = { refuseSend: null as null | { status: number; body: unknown } };

  const readCard = (cardData: string): StandardCardJson | string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(cardData);
    } catch {
      return 'cardData is not a JSON string';
    }
    const card = standardCardSchema.safeParse(parsed);
    if (!card.success) return `cardData: ${card.error.issues[0]?.path.join('.')} ${card.error.issues[0]?.message}`;
    const ids = card.data.contents.flatMap((c) => [c.id, ...(c.type === 'action' ? c.actions.map((a) => a.id) : [])]);
    return new Set(ids).size === ids.length ? card.data : 'cardData: component ids repeat';
  };

  core.extraRoutes.push((method, path, raw, reply) => {
    if (path !== SEND && path !== UPDATE) return false;
    const refuse = (code: string, message: string) => {
      rejected.push({ path, code });
      reply(400, bad(code, message));
      return true;
    };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse('invalidParameter', 'body is not JSON');
    }
    if (path === SEND) {
      if (method !== 'POST') return refuse('invalidParameter.method', method);
      if (behaviour.refuseSend) {
        reply(behaviour.refuseSend.status, behaviour.refuseSend.body);
        return true;
      }
      const send = sendSchema.safeParse(body);
      if (!send.success) return refuse('invalidParameter', `${send.error.issues[0]?.path.join('.')} ${send.error.issues[0]?.message}`);
      const b = send.data;
      if (b.cardTemplateId !== 'StandardCard') return refuse('param.templateNotExist', b.cardTemplateId);
      if (b.robotCode !== core.clientId) return refuse('invalidParameter.robotCode', 'robotCode');
      if (!b.openConversationId === !b.singleChatReceiver) return refuse('invalidParameter', 'openConversationId 与 singleChatReceiver 二选一');
      if (cards.has(b.cardBizId)) return refuse('invalidParameter.cardBizId.duplicate', 'cardBizId 已存在');
      if (b.openConversationId && core.behaviour.notInGroup.has(b.openConversationId)) return refuse('invalidParameter.openConversationId.notExist', 'robot not in group');
      const card = readCard(b.cardData);
      if (typeof card === 'string') return refuse('invalidParameter.cardData', card);
      cards.set(b.cardBizId, { cardBizId: b.cardBizId, openConversationId: b.openConversationId ?? '', versions: [card] });
      core.sends.push({ via: 'group', to: b.openConversationId ?? '', msgKey: 'StandardCard', title: card.header.title.text, text: cardText(card), at: [], param: card, at_ms: Date.now() });
      reply(200, { processQueryKey: `pqk-${b.cardBizId}` });
      return true;
    }
    if (method !== 'PUT') return refuse('invalidParameter.method', method);
    const update = updateSchema.safeParse(body);
    if (!update.success) return refuse('invalidParameter', `${update.error.issues[0]?.path.join('.')} ${update.error.issues[0]?.message}`);
    const known = cards.get(update.data.cardBizId);
    if (!known) return refuse('invalidParameter.cardBizId.notExist', 'card not found');
    const card = readCard(update.data.cardData);
    if (typeof card === 'string') return refuse('invalidParameter.cardData', card);
    known.versions.push(card);
    reply(200, { processQueryKey: `pqk-${update.data.cardBizId}-${known.versions.length}` });
    return true;
  });

  return {
    cards,
    rejected,
    behaviour,
    /** The card as it stands now. */
    current: (cardBizId: string): StandardCardJson => cards.get(cardBizId)!.versions.at(-1)!,
    /** The ids of the request buttons on a card now, by label. */
    buttons(cardBizId: string): Map<string, string> {
      const card = cards.get(cardBizId)!.versions.at(-1)!;
      return new Map(card.contents.flatMap((c) => (c.type === 'action' ? c.actions.filter((a) => a.actionType === 'request').map((a) => [a.label.text, a.id] as const) : [])));
    },
    /**
     * Someone presses a button: the callback frame DingTalk pushes, with `content` a JSON
     * string holding cardPrivateData.actionIds. Resolves with the frame's message id. With
     * `staleScreen`, a button of an earlier version of the card (a client not yet refreshed).
     */
    click(cardBizId: string, userId: string, actionId: string, opts: { staleScreen?: boolean } = {}): string {
      if (!core.subscriptions().some((s) => s.type === 'CALLBACK' && s.topic === CARD_TOPIC)) throw new Error(`the connection did not subscribe to ${CARD_TOPIC}: DingTalk would push nothing`);
      const card = cards.get(cardBizId);
      if (!card) throw new Error(`no card ${cardBizId}`);
      const shown = opts.staleScreen ? card.versions.flatMap((v) => v.contents.flatMap((c) => (c.type === 'action' ? c.actions.map((a) => a.id) : []))) : [...this.buttons(cardBizId).values()];
      if (!shown.includes(actionId)) throw new Error(`no request button ${actionId} on card ${cardBizId} ${opts.staleScreen ? 'ever' : 'now'}`);
      const data = {
        extension: '{}',
        corpId: 'ding-corp',
        spaceType: 'IM_GROUP',
        userIdType: 1,
        type: 'actionCallback',
        userId,
        content: JSON.stringify({ cardPrivateData: { actionIds: [actionId], params: {} } }),
        spaceId: card.openConversationId,
        outTrackId: cardBizId,
      };
      const messageId = `card-frame-${randomBytes(6).toString('hex')}`;
      const frame = JSON.stringify({
        specVersion: '1.0',
        type: 'CALLBACK',
        headers: { appId: 'app', connectionId: 'c', contentType: 'application/json', messageId, time: String(Date.now()), topic: CARD_TOPIC },
        data: JSON.stringify(data),
      });
      frames.set(messageId, frame);
      core.pushRaw(frame);
      return messageId;
    },
    /** Pushes a click's frame again, unchanged (DingTalk's re-push of an unacknowledged callback). */
    redeliver(messageId: string): void {
      core.pushRaw(frames.get(messageId)!);
    },
    acked: (messageId: string): boolean => core.acks.has(messageId),
  };
}
