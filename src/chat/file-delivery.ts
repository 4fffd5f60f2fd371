import { t, type Lang } from '../i18n';
import type { FileDelivery } from './gateway';
import { textMessage, type Message } from './message';

/** Tells the person where their file went. */
export function fileDeliveryMessage(delivery: FileDelivery, lang: Lang): Message {
  switch (delivery.kind) {
    case 'chat':
      return textMessage(t(lang, 'export.sentToDm'));
    // The path is the bot's own text: its dates are no phone, and it must stay a path that exists.
    case 'local':
      return { ...textMessage(t(lang, 'export.savedTo', { path: delivery.path })), verbatim: [delivery.path] };
    case 'server':
      return { ...textMessage(t(lang, 'export.savedOnServer', { path: delivery.path, why: delivery.why })), verbatim: [delivery.path] };
  }
}
