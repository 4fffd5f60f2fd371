import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createSlackGateway } from '../../../src/chat/slack/gateway';
import { commandTextOf, deliverOutcome, type HandlerDeps } from '../deps';

/** A direct message to the bot is a command without `/cs`; the answer stays in the DM. */
export function directMessage(deps: HandlerDeps) {
  return async ({ event, body, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>): Promise<void> => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || ('bot_id' in event && event.bot_id)) return;
    const userId = event.user;
    const outcome = await deps.service.handle({
      userId,
      channelId: event.channel,
      text: commandTextOf(event.text ?? ''),
      requestKey: event.client_msg_id ? `message:${event.client_msg_id}` : `event:${body.event_id}`,
    });
    const gateway = createSlackGateway(client);
    await deliverOutcome(deps, outcome, {
      reply: (message) => gateway.send({ to: { kind: 'channel', channel: event.channel }, message }),
      client,
      origin: null,
    });
  };
}
