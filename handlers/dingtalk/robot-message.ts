import { z } from 'zod';
import { readFrameData } from './frame-data';
import type { Logger } from '../../src/runtime/logger';
import type { InboundHandler, InboundMessage } from '../../src/chat/conversation/inbound';
import type { DingTalkGateway } from '../../src/chat/dingtalk/gateway';
import type { MalformedReporter } from '../../src/chat/malformed';

const userSchema = z.looseObject({ dingtalkId: z.string().optional(), staffId: z.string().optional() });

/** A robot message as DingTalk pushes it (topic /v1.0/im/bot/messages/get); only what we read is checked. */
const robotMessageSchema = z.looseObject({
  msgId: z.string().min(1),
  msgtype: z.string().optional(),
  text: z.looseObject({ content: z.string() }).optional(),
  // Rich text's parts; a voice message's reading of it (speech to text).
  content: z.looseObject({ richText: z.array(z.looseObject({ text: z.string().optional() })).optional(), recognition: z.string().optional() }).optional(),
  conversationId: z.string().min(1),
  conversationType: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? '' : String(v))),
  senderStaffId: z.string().optional(),
  senderId: z.string().optional(),
  senderNick: z.string().optional(),
  chatbotUserId: z.string().optional(),
  atUsers: z.array(userSchema).optional(),
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: z.number().optional(),
});
type RobotMessage = z.infer<typeof robotMessageSchema>;

/** The text of a text or rich-text message, or what DingTalk read from a voice message. */
function textOf(message: RobotMessage): string {
  if (message.text) return message.text.content;
  if (message.content?.recognition?.trim()) return message.content.recognition;
  return (message.content?.richText ?? []).map((part) => part.text ?? '').join('');
}

/** A voice message DingTalk read for us. */
const isVoice = (message: RobotMessage) => !message.text && Boolean(message.content?.recognition?.trim());

/**
 * The people mentioned, written into the text as `<@staffId>`. DingTalk takes the
 * @names of real mentions out of a text message and lists them in `atUsers` (the
 * robot among them); rich text keeps them. @names still in the text are replaced in
 * order (the robot's first, when it is one of them); otherwise the mentions go at
 * the end, where every command that takes a person reads one.
 */
function withMentions(text: string, atUsers: RobotMessage['atUsers'], robotId: string | undefined, richText = false): string {
  const people = [...new Set((atUsers ?? []).filter((u) => u.staffId && u.dingtalkId !== robotId).map((u) => u.staffId!))];
  const robotMentioned = (atUsers ?? []).some((u) => robotId !== undefined && u.dingtalkId === robotId);
  const named = [...text.matchAll(/(^|[\s\u3000])[@＠]([^\s\u3000@＠]+)/g)];
  let body = text;
  // Only rich text keeps the robot's own @name (a text message has it taken out already).
  if (richText && robotMentioned && named.length === people.length + 1) {
    // The robot's own @name, left in by rich text: drop it.
    const first = named.shift()!;
    body = body.slice(0, first.index + first[1]!.length) + body.slice(first.index + first[0].length);
  }
  if (people.length === 0) return body;
  if (named.length === people.length) {
    let i = 0;
    return body.replace(/(^|[\s\u3000])[@＠]([^\s\u3000@＠]+)/g, (_whole, space: string, name: string) => `${space}<@${people[i++]}|${name}>`);
  }
  return `${body.trimEnd()} ${people.map((id) => `<@${id}>`).join(' ')}`;
}

export interface RobotMessageDeps {
  readonly inbound: InboundHandler;
  readonly gateway: DingTalkGateway;
  readonly logger: Logger;
  /** A message it cannot read: counted and logged (it is acknowledged all the same, so it is not pushed again). */
  readonly malformed?: MalformedReporter;
}

/** A session webhook this close to its end is not trusted with an answer. */
const WEBHOOK_MARGIN_MS = 10_000;

/** A message to the robot, in a 1:1 chat or a group that @mentioned it: made neutral and handed to the inbound handler. */
export function robotMessage(deps: RobotMessageDeps) {
  return async (data: string): Promise<void> => {
    const m = readFrameData(data, robotMessageSchema, 'bad-message', deps.malformed);
    if (!m) return;
    // Only a 1:1 chat is private: anything else (a group, a type we do not know) is read by many.
    const group = m.conversationType.trim() !== '1';
    // The webhook's expiry is DingTalk's wall-clock time, not the bot's domain clock.
    const webhook = m.sessionWebhook && (m.sessionWebhookExpiredTime ?? 0) > Date.now() + WEBHOOK_MARGIN_MS ? m.sessionWebhook : null;
    if (!m.senderStaffId) {
      // Someone outside the organisation (an external contact in a group): no staff id to act as,
      // no private chat to answer in. Told, where they wrote, that the bot is for members.
      await deps.inbound({
        key: `dingtalk:${m.msgId}`,
        userId: m.senderId ?? `unknown:${m.conversationId}`,
        userName: null,
        place: group ? { kind: 'group', channelId: m.conversationId } : { kind: 'direct' },
        text: '',
        outsider: true,
        ...(webhook ? { answerHere: (reply) => deps.gateway.answerInSession(webhook, reply, group ? 'group' : 'private') } : {}),
      });
      return;
    }
    const message: InboundMessage = {
      key: `dingtalk:${m.msgId}`,
      userId: m.senderStaffId,
      userName: m.senderNick ?? null,
      place: group ? { kind: 'group', channelId: m.conversationId } : { kind: 'direct' },
      text: isVoice(m) ? textOf(m) : withMentions(textOf(m), m.atUsers, m.chatbotUserId, !m.text),
      ...(m.msgtype !== undefined && m.msgtype !== 'text' && m.msgtype !== 'richText' && !isVoice(m) ? { notText: true } : {}),
      ...(isVoice(m) ? { fromVoice: true } : {}),
      ...(webhook ? { answerHere: (reply, opts) => deps.gateway.answerInSession(webhook, reply, group ? 'group' : 'private', opts?.mention) } : {}),
    };
    await deps.inbound(message);
  };
}
