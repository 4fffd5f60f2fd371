import type { App, BlockButtonAction } from '@slack/bolt';
import type { HandlerDeps } from '../deps';
import { runCommandAction } from './run-command';

export function registerActions(app: App, deps: HandlerDeps): void {
  app.action<BlockButtonAction>(/^run_command_\d+$/, runCommandAction(deps));
}
