import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderSlack } from '../../src/chat/slack/render';
import { deliverOutcome, type HandlerDeps } from '../deps';

/** A button press runs the command the button carries, as the person who pressed it. */
export function runCommandAction(deps: HandlerDeps) {
  return async ({ ack, body, action, respond, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>): Promise<void> => {
    await ack();
    const channelId = body.channel?.id ?? null;
    const outcome = await deps.service.handle({
      userId: body.user.id,
      userName: body.user.name ?? null,
      channelId,
      text: action.value ?? '',
      requestKey: `action:${body.user.id}:${action.action_ts}`,
    });
    await deliverOutcome(deps, outcome, {
      reply: (message) => respond({ response_type: 'ephemeral', replace_original: false, ...renderSlack(message) }),
      client,
      triggerId: body.trigger_id,
      origin: channelId,
    });
  };
}
