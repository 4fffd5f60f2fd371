import { z } from 'zod';
import { readFrameData } from './frame-data';
import type { Logger } from '../../src/runtime/logger';
import { mention } from '../../src/app/commands/mention';
import type { InboundHandler } from '../../src/chat/conversation/inbound';
import { commandOfAction } from '../../src/chat/dingtalk/cards';
import type { DingTalkGateway } from '../../src/chat/dingtalk/gateway';
import type { MalformedReporter } from '../../src/chat/malformed';
import { textMessage } from '../../src/chat/message';
import { t } from '../../src/i18n';

/**
 * A card click as DingTalk pushes it (topic /v1.0/card/instances/callback): the card's
 * id (`outTrackId`, the cardBizId it was sent with), who clicked (`userId`, their staff id)
 * and `content`, a JSON string whose `cardPrivateData.actionIds` names the button.
 */
const callbackSchema = z.looseObject({
  outTrackId: z.string().min(1),
  userId: z.string().min(1),
  content: z.string().min(1),
  corpId: z.string().optional(),
  spaceType: z.string().optional(),
  spaceId: z.string().optional(),
  type: z.string().optional(),
});
const contentSchema = z.looseObject({
  cardPrivateData: z.looseObject({ actionIds: z.array(z.string()).min(1), params: z.record(z.string(), z.unknown()).optional() }),
});

export interface CardCallbackDeps {
  readonly inbound: InboundHandler;
  readonly gateway: DingTalkGateway;
  readonly logger: Logger;
  readonly malformed?: MalformedReporter;
}

/**
 * A button pressed on a group card: its command runs as the person who pressed it, as if
 * they had typed it (refused with the usual answer, in their private chat, when they may
 * not), once however often DingTalk pushes the click; the card then shows who pressed it
 * instead of the button. A refused command leaves the card as it was.
 */
export function cardCallback(deps: CardCallbackDeps) {
  return async (data: string): Promise<void> => {
    const callback = readFrameData(data, callbackSchema, 'bad-card-callback', deps.malformed);
    // The click itself is a JSON string inside the frame's data.
    const click = callback && readFrameData(callback.content, contentSchema, 'bad-card-callback', deps.malformed);
    if (!callback || !click) return;
    const { outTrackId, userId, spaceType, spaceId } = callback;
    const actionId = click.cardPrivateData.actionIds[0]!;
    const command = commandOfAction(actionId);
    if (command === null) {
      deps.malformed?.('unknown-card-action');
      return;
    }
    const card = await deps.gateway.cards.find(outTrackId);
    // A button already pressed (gone from the card, still shown on a stale screen) or one the card
    // never had does not run: the presser is told, privately, that it was dealt with.
    if (card && !card.buttons.some((b) => b.command === command)) {
      // Their own press pushed again (DingTalk's re-push, a double tap): handled already, nothing to say.
      if (card.pressed?.some((p) => p.command === command && p.user === userId)) return;
      const lang = card.message.lang ?? 'zh-CN';
      await deps.gateway
        .send({ to: { kind: 'dm', user: userId }, message: textMessage(t(lang, 'cards.alreadyPressed')) })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'card answer not delivered'));
      return;
    }
    // The group from the card the bot sent; else from where DingTalk says it was clicked [unverified shape].
    const channel = card?.channel ?? (spaceType === 'IM_GROUP' && spaceId ? spaceId : null);
    const label = card?.buttons.find((b) => b.command === command)?.label.replace(/\*/g, '') ?? command;
    await deps.inbound({
      // One click is handled once: DingTalk's re-push of the frame, a double tap, a second replica.
      key: `dingtalk-card:${outTrackId}:${userId}:${actionId}`,
      userId,
      userName: null,
      place: channel ? { kind: 'group', channelId: channel } : { kind: 'direct' },
      text: `/cs ${command}`,
      onOutcome: async (outcome, lang) => {
        if (outcome.userError) return;
        const updated = await deps.gateway.cards.clicked(outTrackId, command, t(lang, 'cards.clicked', { user: mention(userId), label }), userId);
        if (!updated) deps.logger.info({ outTrackId }, 'card clicked that this process did not send; not updated');
      },
    });
  };
}
