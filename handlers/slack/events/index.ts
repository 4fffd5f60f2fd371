import type { App } from '@slack/bolt';
import type { HandlerDeps } from '../deps';
import { appMention } from './app-mention';
import { directMessage } from './direct-message';

export function registerEvents(app: App, deps: HandlerDeps): void {
  app.event('app_mention', appMention(deps));
  app.event('message', directMessage(deps));
}
