import type { App } from '@slack/bolt';
import type { HandlerDeps } from '../deps';
import { csCommand } from './cs';

export function registerCommands(app: App, deps: HandlerDeps): void {
  app.command('/cs', csCommand(deps));
}
