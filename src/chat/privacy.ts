import type { Outgoing } from './message';
import { maskPhonesIn } from '../core/phone-text';
import type { Block, Message } from './message';

function maskBlock(block: Block): Block {
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

/** A message with every phone number in it masked, in every field: what anyone but an entitled reader may see. */
export function maskMessage(message: Message): Message {
  const { revealsPhones: _, ...rest } = message;
  return { ...rest, text: maskPhonesIn(message.text), blocks: message.blocks.map(maskBlock) };
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
