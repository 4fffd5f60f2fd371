import type { CommandOutcome, CommandService } from '../../src/app/commands/command-service';
import type { Logger } from '../../src/runtime/logger';
import type { ChatGateway } from '../../src/chat/gateway';
import { textMessage, type Message } from '../../src/chat/message';
import { t } from '../../src/i18n';
import { logModalView } from '../../src/chat/slack/log-modal';
import { deliverAskedImage, fileDeliveryMessage } from '../../src/chat/file-delivery';
import type { webApi } from '@slack/bolt';

/** What every Slack listener is given by the composition root. */
export interface HandlerDeps {
  readonly service: CommandService;
  readonly gateway: ChatGateway;
  readonly logger: Logger;
}

/** Sends a command's outcome: the private reply, the notices, or the log form. */
export async function deliverOutcome(
  deps: HandlerDeps,
  outcome: CommandOutcome,
  how: { reply: (message: Message) => Promise<unknown>; client: webApi.WebClient; triggerId?: string; origin: string | null },
): Promise<void> {
  if (outcome.openLogForm && how.triggerId) {
    const { lang, note, channel } = outcome.openLogForm;
    try {
      await how.client.views.open({ trigger_id: how.triggerId, view: logModalView(lang, how.origin, note, channel) });
    } catch (error) {
      // Slack refuses a trigger older than 3 s or a malformed view: say so rather than stay silent.
      deps.logger.warn({ err: error }, 'log form not opened');
      await how.reply(textMessage(t(lang, 'err.internal')));
    }
  }
  if (outcome.reply) await how.reply(outcome.reply);
  if (outcome.file && deps.gateway.sendFile) {
    const { lang } = outcome.file;
    try {
      await how.reply(fileDeliveryMessage(await deps.gateway.sendFile(outcome.file), lang));
    } catch (error) {
      deps.logger.warn({ err: error }, 'export file not delivered');
      await how.reply(textMessage(t(lang, 'err.exportFailed')));
    }
  }
  if (outcome.image) await deliverAskedImage(deps.gateway, outcome.image, how.reply, (error) => deps.logger.warn({ err: error }, 'chart not delivered'));
  for (const notice of outcome.notices) {
    // One undeliverable notice (a user who left, a channel without the bot) must not hide the others.
    await deps.gateway.send(notice).catch((error: unknown) => deps.logger.warn({ err: error, to: notice.to.kind }, 'notice not delivered'));
  }
}

export { commandTextOf } from '../../src/chat/command-text';
