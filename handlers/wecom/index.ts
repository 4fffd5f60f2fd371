import type { WsFrame } from '@wecom/aibot-node-sdk';
import { z } from 'zod';
import type { Logger } from '../../src/app/logger';
import type { InboundHandler, InboundMessage } from '../../src/chat/conversation/inbound';
import type { WeComConnection } from '../../src/chat/wecom/connection';
import type { WeComGateway } from '../../src/chat/wecom/gateway';
import type { MalformedReporter } from '../../src/chat/malformed';
import { clickedCard, commandOfKey } from '../../src/chat/wecom/render';
import type { Lang } from '../../src/i18n';

export interface WeComHandlerDeps {
  readonly inbound: InboundHandler;
  readonly gateway: WeComGateway;
  readonly connection: WeComConnection;
  readonly logger: Logger;
  readonly defaultLang: Lang;
  /** A callback it cannot read: counted and logged. */
  readonly malformed?: MalformedReporter;
}

const fromSchema = z.looseObject({ userid: z.string().min(1) });
/** A message callback's body (aibot_msg_callback); only what we read is checked. */
const messageSchema = z.looseObject({
  msgid: z.string().min(1),
  chatid: z.string().optional(),
  chattype: z.string().optional(),
  from: fromSchema,
  msgtype: z.string(),
  text: z.looseObject({ content: z.string() }).optional(),
});
const cardEventSchema = z.looseObject({ event_key: z.string(), task_id: z.string().optional() });
/**
 * A card click (aibot_event_callback). Its data is read wherever it comes: nested under
 * `event.template_card_event` (the official docs), on `event` itself (the SDK's type), or
 * beside `event` at the top of the body.
 */
const eventSchema = z.looseObject({
  msgid: z.string().min(1),
  chatid: z.string().optional(),
  chattype: z.string().optional(),
  from: fromSchema,
  event: z
    .looseObject({ eventtype: z.string().optional(), template_card_event: cardEventSchema.optional(), event_key: z.string().optional(), task_id: z.string().optional() })
    .optional(),
  template_card_event: cardEventSchema.optional(),
});

/** How long after a click the card may still be updated (WeCom allows 5 s). */
const CARD_UPDATE_WITHIN_MS = 4_000;

/** Commands whose words after the verb name people, not customers or teams. */
const PEOPLE_VERBS = /^(\/cs\s+)?(assign|reassign|转交|指派|kpi|指标|绩效|cover|代班|handover|离职交接|rotation|轮序|team\s+(add|remove|role))\b/i;

/**
 * WeCom's user ids are case-insensitive and come back lower-cased: kept so everywhere.
 * Someone named in a message as `@userid` becomes a mention, and in a command that names
 * people a bare id is lower-cased too; the bot's own @name, which WeCom leaves at the start
 * of a group message, is taken out.
 */
export function commandText(content: string, group: boolean): string {
  const text = group ? content.replace(/^\s*[@＠]\S+[\s\u3000]*/, '') : content;
  const mentioned = text.replace(/(^|[\s\u3000])[@＠]([A-Za-z0-9][\w.\-]*)(?=$|[\s\u3000])/g, (_m, space: string, id: string) => `${space}<@${id.toLowerCase()}>`);
  const verb = PEOPLE_VERBS.exec(mentioned.trim());
  if (!verb) return mentioned;
  const start = mentioned.indexOf(verb[0]) + verb[0].length;
  return mentioned.slice(0, start) + mentioned.slice(start).replace(/(^|[\s\u3000])([A-Za-z][\w.\-]*)(?=$|[\s\u3000])/g, (_m, space: string, word: string) => `${space}${word.toLowerCase()}`);
}

/** The smart bot's callbacks: messages (1:1 chats, group @mentions) and card clicks, made neutral for the inbound handler. */
export function wecomCallbacks(deps: WeComHandlerDeps) {
  const { inbound, gateway, connection, logger } = deps;

  async function onMessage(frame: WsFrame): Promise<void> {
    const parsed = messageSchema.safeParse(frame.body);
    if (!parsed.success) {
      deps.malformed?.('bad-message', { issues: parsed.error.issues.length });
      return;
    }
    const m = parsed.data;
    // Only a 1:1 chat is private: a group, or a type we do not know, is read by many.
    const group = m.chattype !== 'single';
    if (group && !m.chatid) {
      deps.malformed?.('group-without-chatid');
      return;
    }
    const userId = m.from.userid.toLowerCase();
    // From now on the smart bot may write to them: their private messages come into its chat.
    await gateway.noteWrote(userId).catch((error: unknown) => logger.warn({ err: error }, 'could not note who wrote to the WeCom bot'));
    const message: InboundMessage = {
      key: `wecom:${m.msgid}`,
      userId,
      userName: null,
      place: group ? { kind: 'group', channelId: m.chatid! } : { kind: 'direct' },
      text: commandText(m.text?.content ?? '', group),
      ...(m.msgtype !== 'text' ? { notText: true } : {}),
      answerHere: (reply) => gateway.answer(frame, reply, group ? 'group' : 'private', group ? m.chatid! : userId),
    };
    await inbound(message);
  }

  async function onEvent(frame: WsFrame): Promise<void> {
    const clickedAt = Date.now();
    const parsed = eventSchema.safeParse(frame.body);
    if (!parsed.success) {
      deps.malformed?.('bad-event', { issues: parsed.error.issues.length });
      return;
    }
    const e = parsed.data;
    const inline = e.event?.event_key !== undefined ? { event_key: e.event.event_key, ...(e.event.task_id ? { task_id: e.event.task_id } : {}) } : undefined;
    const click = e.event?.template_card_event ?? e.template_card_event ?? inline;
    const eventType = e.event?.eventtype ?? (e.template_card_event ? 'template_card_event' : undefined);
    if (eventType !== 'template_card_event' || !click) return;
    const command = commandOfKey(click.event_key);
    if (command === null) return;
    const userId = e.from.userid.toLowerCase();
    const group = e.chattype === 'group' && Boolean(e.chatid);
    await gateway.noteWrote(userId).catch((error: unknown) => logger.warn({ err: error }, 'could not note who wrote to the WeCom bot'));
    // The button runs its command as the person who clicked it, as if they had typed it.
    const handled = await inbound({
      key: `wecom:${e.msgid}`,
      userId,
      userName: null,
      place: group ? { kind: 'group', channelId: e.chatid! } : { kind: 'direct' },
      text: `/cs ${command}`,
    });
    // Within WeCom's five seconds, the card loses the clicked button (nothing to press twice)
    // and says the answer is in the private chat; the other contacts' buttons stay.
    const card = click.task_id ? gateway.cardFor(click.task_id) : null;
    if (handled === 'handled' && card && Date.now() - clickedAt < CARD_UPDATE_WITHIN_MS) {
      await connection
        .reply(frame, { response_type: 'update_template_card', template_card: clickedCard(card, click.event_key, deps.defaultLang), userids: [e.from.userid] }, 'aibot_respond_update_msg')
        .catch((error: unknown) => logger.debug({ err: error }, 'WeCom card not updated'));
    }
  }

  return { onMessage, onEvent };
}
