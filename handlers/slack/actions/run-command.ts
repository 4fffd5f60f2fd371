import type { AllMiddlewareArgs, BlockAction, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderSlack } from '../../../src/chat/slack/render';
import { deliverOutcome, type HandlerDeps } from '../deps';

/** A button press runs the command the button carries, as the person who pressed it. */
export function runCommandAction(deps: HandlerDeps) {
  return async (args: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>): Promise<void> => {
    await args.ack();
    await runCommandAs(deps, args, args.action.value ?? '');
  };
}

/** Runs a command from an interactive element as the person who used it, answering privately. */
export async function runCommandAs(deps: HandlerDeps, { body, respond, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>, text: string): Promise<void> {
  const channelId = body.channel?.id ?? null;
  const actionTs = body.actions[0]?.action_ts ?? body.trigger_id;
  const outcome = await deps.service.handle({
    userId: body.user.id,
    userName: body.user.name ?? null,
    channelId,
    text,
    requestKey: `action:${body.user.id}:${actionTs}`,
  });
  await deliverOutcome(deps, outcome, {
    reply: (message) => respond({ response_type: 'ephemeral', replace_original: false, ...renderSlack(message) }),
    client,
    triggerId: body.trigger_id,
    origin: channelId,
  });
}
