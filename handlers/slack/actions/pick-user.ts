import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, UsersSelectAction } from '@slack/bolt';
import { PICK_USER_PREFIX } from '../../../src/chat/slack/render';
import { runCommandAs } from './run-command';
import type { HandlerDeps } from '../deps';

/** A user menu finishes the command in its action id with the person picked, e.g. `assign 1024 <@U…>`. */
export function pickUserAction(deps: HandlerDeps) {
  return async (args: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<UsersSelectAction>>): Promise<void> => {
    await args.ack();
    const { action } = args;
    const command = action.action_id.slice(PICK_USER_PREFIX.length);
    await runCommandAs(deps, args, `${command} <@${action.selected_user}>`);
  };
}
