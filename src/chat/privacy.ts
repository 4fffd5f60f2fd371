import type { Outgoing } from './message';
import { maskPhonesIn as maskNumbers } from '../core/phone-text';
import type { Block, Message } from './message';

function maskBlock(block: Block, verbatim: readonly string[]): Block {
  const maskPhonesIn = (text: string) => maskNumbers(text, verbatim);
  switch (block.kind) {
    case 'header':
    case 'text':
    case 'context':
      return { ...block, text: maskPhonesIn(block.text) };
    case 'fields':
      return { ...block, fields: block.fields.map(([label, value]) => [maskPhonesIn(label), maskPhonesIn(value)] as const) };
    case 'list':
      return { ...block, items: block.items.map(maskPhonesIn) };
    case 'buttons':
      return {
        ...block,
        buttons: block.buttons.map((b) => ({ ...b, label: maskPhonesIn(b.label) })),
        ...(block.pickers ? { pickers: block.pickers.map((p) => ({ ...p, label: maskPhonesIn(p.label) })) } : {}),
      };
  }
}

/** A message with every personal number in it (phones, ID and bank cards) masked, in every field but the bot's own text: what anyone but an entitled reader may see. */
export function maskMessage(message: Message): Message {
  const { revealsPhones: _, ...rest } = message;
  const verbatim = message.verbatim ?? [];
  return { ...rest, text: maskNumbers(message.text, verbatim), blocks: message.blocks.map((b) => maskBlock(b, verbatim)) };
}

/**
 * The one masking step for everything that leaves the bot: a message keeps full phone
 * numbers only when it was written for a reader allowed them (`revealsPhones`, set by the
 * views that check who asks) and goes to that one person privately; everything else —
 * channel posts, DMs to others, reminders, digests — is masked, whatever field a number
 * hides in (notes, plans, names, departments).
 */
export function forReaders(outgoing: Outgoing): Outgoing {
  const privately = outgoing.to.kind === 'dm' || outgoing.to.kind === 'ephemeral';
  return privately && outgoing.message.revealsPhones ? outgoing : { ...outgoing, message: maskMessage(outgoing.message) };
}

/** A reply to the person who asked: full numbers only when its view allowed them. */
export const replyForAsker = (message: Message): Message => (message.revealsPhones ? message : maskMessage(message));
