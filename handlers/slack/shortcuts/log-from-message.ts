import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { logModalView } from '../../../src/chat/slack/log-modal';
import type { HandlerDeps } from '../deps';

export const LOG_FROM_MESSAGE_CALLBACK = 'log_from_message';

/** "Log as customer contact" on a message: the log form with the message as its note. */
export function logFromMessage(deps: HandlerDeps) {
  return async ({ ack, shortcut, client }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>): Promise<void> => {
    await ack();
    const channelId = shortcut.channel.id;
    const lang = (await deps.service.membership(shortcut.user.id, channelId))?.team.lang ?? (await deps.service.languageFor({ userId: shortcut.user.id, channelId, text: '' }));
    await client.views.open({ trigger_id: shortcut.trigger_id, view: logModalView(lang, channelId, shortcut.message.text ?? '') });
  };
}
