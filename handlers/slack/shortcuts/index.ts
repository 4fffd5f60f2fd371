import type { App, MessageShortcut } from '@slack/bolt';
import type { HandlerDeps } from '../deps';
import { LOG_FROM_MESSAGE_CALLBACK, logFromMessage } from './log-from-message';

export function registerShortcuts(app: App, deps: HandlerDeps): void {
  app.shortcut<MessageShortcut>(LOG_FROM_MESSAGE_CALLBACK, logFromMessage(deps));
}
