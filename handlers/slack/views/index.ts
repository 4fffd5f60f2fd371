import type { App, ViewSubmitAction } from '@slack/bolt';
import { LOG_MODAL_CALLBACK } from '../../../src/chat/slack/log-modal';
import type { HandlerDeps } from '../deps';
import { logContactSubmit } from './log-contact-submit';

export function registerViews(app: App, deps: HandlerDeps): void {
  app.view<ViewSubmitAction>(LOG_MODAL_CALLBACK, logContactSubmit(deps));
}
