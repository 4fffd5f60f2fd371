import type { WsFrame } from '@wecom/aibot-node-sdk';
import { z } from 'zod';
import type { Logger } from '../../src/runtime/logger';
import type { InboundHandler, InboundMessage } from '../../src/chat/conversation/inbound';
import type { WeComConnection } from '../../src/chat/wecom/connection';
import type { WeComGateway } from '../../src/chat/wecom/gateway';
import type { MalformedReporter } from '../../src/chat/malformed';
import { clickedCard, commandOfKey } from '../../src/chat/wecom/render';
import { t, type Lang } from '../../src/i18n';

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
  // A voice message comes with WeCom's reading of it; a mixed one with its text items among the pictures.
  voice: z.looseObject({ content: z.string().optional() }).optional(),
  mixed: z.looseObject({ msg_item: z.array(z.looseObject({ msgtype: z.string().optional(), text: z.looseObject({ content: z.string() }).optional() })).optional() }).optional(),
});

/** The words of a message: typed, read from a voice message, or the text items of a mixed one. */
function wordsOf(m: z.infer<typeof messageSchema>): { text: string; fromVoice: boolean } | null {
  if (m.msgtype === 'text') return { text: m.text?.content ?? '', fromVoice: false };
  if (m.msgtype === 'voice' && m.voice?.content?.trim()) return { text: m.voice.content, fromVoice: true };
  const items = (m.mixed?.msg_item ?? []).flatMap((item) => (item.text?.content?.trim() ? [item.text.content.trim()] : []));
  if (m.msgtype === 'mixed' && items.length > 0) return { text: items.join(' '), fromVoice: false };
  return null;
}
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
  event: z.looseObject({ eventtype: z.string().optional(), template_card_event: cardEventSchema.optional(), event_key: z.string().optional(), task_id: z.string().optional() }).optional(),
  template_card_event: cardEventSchema.optional(),
});

/** How long after a click the card may still be updated (WeCom allows 5 s). */
const CARD_UPDATE_WITHIN_MS = 4_000;

/** Commands whose words after the verb name people, not customers or teams. */
const PEOPLE_VERBS = /^(\/cs\s+)?(assign|reassign|转交|指派|kpi|指标|绩效|cover|代班|handover|离职交接|rotation|轮序|team\s+(add|remove|role))(?=$|[\s\u3000])/i;

/**
 * WeCom's user ids are case-insensitive and come back lower-cased: kept so everywhere.
 * Someone named in a message as `@userid` becomes a mention, and in a command that names
 * people a bare id is lower-cased too; the bot's own @name, which WeCom leaves at the start
 * of a group message, is taken out.
 */
export function commandText(content: string, group: boolean): string {
  const text = group ? content.replace(/^\s*[@＠]\S+[\s\u3000]*/, '') : content;
  const mentioned = text.replace(/(^|[\s\u3000])[@＠]([A-Za-z0-9][\w.-]*)(?=$|[\s\u3000])/g, (_m, space: string, id: string) => `${space}<@${id.toLowerCase()}>`);
  const verb = PEOPLE_VERBS.exec(mentioned.trim());
  if (!verb) return mentioned;
  const start = mentioned.indexOf(verb[0]) + verb[0].length;
  return mentioned.slice(0, start) + mentioned.slice(start).replace(/(^|[\s\u3000])([A-Za-z][\w.-]*)(?=$|[\s\u3000])/g, (_m, space: string, word: string) => `${space}${word.toLowerCase()}`);
}

/**
 * A colleague picked from WeCom's @ list arrives as `@李专员`, their display name, which WeCom
 * never resolves for a bot: in a command that names people, the name that needs an account id
 * instead (null when there is none).
 */
function nameOnlyMention(text: string): string | null {
  if (!PEOPLE_VERBS.test(text.trim())) return null;
  return /(^|[\s\u3000])[@＠]([^\s\u3000@＠<>]*[^\x00-\x7f][^\s\u3000@＠<>]*)/.exec(text)?.[2] ?? null;
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
    const words = wordsOf(m);
    // From now on the smart bot may write to them: their private messages come into its chat.
    await gateway.noteWrote(userId).catch((error: unknown) => logger.warn({ err: error }, 'could not note who wrote to the WeCom bot'));
    const text = commandText(words?.text ?? '', group);
    const byName = nameOnlyMention(text);
    const message: InboundMessage = {
      key: `wecom:${m.msgid}`,
      userId,
      userName: null,
      place: group ? { kind: 'group', channelId: m.chatid! } : { kind: 'direct' },
      text,
      ...(words === null ? { notText: true } : {}),
      ...(byName !== null
        ? { unreadable: (lang: Lang) => t(lang, 'wecom.mentionByName', { name: byName, example: text.replace(/(^|[\s\u3000])[@＠]\S+/, '$1zhangsan').replace(/^\/cs\s+/i, '') }) }
        : {}),
      ...(words?.fromVoice ? { fromVoice: true } : {}),
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
