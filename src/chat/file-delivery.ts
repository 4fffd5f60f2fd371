import { t, type Lang } from '../i18n';
import type { FileDelivery } from './gateway';
import { textMessage, type Message } from './message';

/** Tells the person where their file went. */
export function fileDeliveryMessage(delivery: FileDelivery, lang: Lang): Message {
  switch (delivery.kind) {
    case 'chat':
      return textMessage(t(lang, 'export.sentToDm'));
    case 'local':
      return textMessage(t(lang, 'export.savedTo', { path: delivery.path }));
    case 'server':
      return textMessage(t(lang, 'export.savedOnServer', { path: delivery.path, why: delivery.why }));
  }
}
