import { t, type Lang } from '../i18n';
import type { ChatGateway, FileDelivery, OutgoingImage } from './gateway';
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

/**
 * Sends the picture a command made for the person who asked (`/cs kpi … chart`) after its
 * reply; when the platform will not take it, `tell` says so to them: the reply has every figure.
 */
export async function deliverAskedImage(gateway: ChatGateway, image: OutgoingImage, tell: (message: Message) => Promise<unknown>, warn: (error: unknown) => void): Promise<void> {
  if (!gateway.sendImage) return;
  try {
    await gateway.sendImage(image);
  } catch (error) {
    warn(error);
    const why = error instanceof Error ? error.message : String(error);
    await tell(textMessage(t(image.lang, 'chart.notDelivered', { why: why.slice(0, 200) }))).catch(() => {});
  }
}
