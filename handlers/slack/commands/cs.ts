import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { renderSlack } from '../../../src/chat/slack/render';
import { deliverOutcome, type HandlerDeps } from '../deps';

/** `/cs …`: acknowledged at once (Slack allows 3 s), answered through the response URL. */
export function csCommand(deps: HandlerDeps) {
  return async ({ ack, command, respond, client }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    await ack();
    const outcome = await deps.service.handle({
      userId: command.user_id,
      userName: command.user_name,
      channelId: command.channel_id,
      text: command.text,
      requestKey: `command:${command.trigger_id}`,
    });
    await deliverOutcome(deps, outcome, {
      reply: (message) => respond({ response_type: 'ephemeral', ...renderSlack(message) }),
      client,
      triggerId: command.trigger_id,
      origin: command.channel_id,
    });
  };
}
