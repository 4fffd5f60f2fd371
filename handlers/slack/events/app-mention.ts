import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createSlackGateway } from '../../../src/chat/slack/gateway';
import { commandTextOf, deliverOutcome, type HandlerDeps } from '../deps';

/** `@bot log wechat …` in a channel: answered privately (ephemeral), since a channel must not read customer details. */
export function appMention(deps: HandlerDeps) {
  return async ({ event, body, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>): Promise<void> => {
    const userId = event.user;
    if (!userId) return;
    const outcome = await deps.service.handle({
      userId,
      channelId: event.channel,
      text: commandTextOf(event.text),
      requestKey: `event:${body.event_id}`,
    });
    const gateway = createSlackGateway(client);
    await deliverOutcome(deps, outcome, {
      reply: (message) => gateway.send({ to: { kind: 'ephemeral', channel: event.channel, user: userId }, message }),
      client,
      origin: event.channel,
    });
  };
}
