import type { App, BlockAction, BlockButtonAction, UsersSelectAction } from '@slack/bolt';
import { PICK_USER_PREFIX } from '../../../src/chat/slack/render';
import type { HandlerDeps } from '../deps';
import { pickUserAction } from './pick-user';
import { runCommandAction } from './run-command';

export function registerActions(app: App, deps: HandlerDeps): void {
  app.action<BlockButtonAction>(/^run_command_\d+$/, runCommandAction(deps));
  app.action<BlockAction<UsersSelectAction>>(new RegExp(`^${PICK_USER_PREFIX}`), pickUserAction(deps));
}
