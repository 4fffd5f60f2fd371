import type { Destination, Message } from '../message';

/** Mentions and channel references as the terminal shows them: @alice, #demo. */
function plain(text: string): string {
  return text
    .replace(/<@([^>|]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<#([^>|]+)(?:\|[^>]*)?>/g, '#$1')
    .replace(/(^|[\s（(])\*([^*\n]+)\*(?=$|[\s，。：:)）])/g, '$1$2');
}

function destinationLabel(to: Destination): string {
  switch (to.kind) {
    case 'channel':
      return `[#${to.channel}]`;
    case 'dm':
      return `[DM ${to.user}]`;
    case 'ephemeral':
      return `[ephemeral ${to.user}]`;
  }
}

/** A message as terminal lines: the destination first, then the blocks, buttons as the commands they run. */
export function renderPlain(to: Destination, message: Message): string {
  const lines: string[] = [];
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'header':
      case 'text':
      case 'context':
        lines.push(...plain(block.text).split('\n'));
        break;
      case 'fields':
        for (const [label, value] of block.fields) lines.push(`  ${plain(label)}: ${plain(value)}`);
        break;
      case 'list':
        for (const item of block.items) lines.push(`  • ${plain(item)}`);
        break;
      case 'buttons':
        lines.push(`  ${block.buttons.map((b) => `[${b.label}: /cs ${b.command}]`).join(' ')}`);
        if (block.pickers?.length) lines.push(`  ${block.pickers.map((p) => `[${p.label}: /cs ${p.command} @…]`).join(' ')}`);
        break;
    }
  }
  const [first = '', ...rest] = lines.length ? lines : [plain(message.text)];
  return [`${destinationLabel(to)} ${first}`, ...rest.map((l) => `    ${l}`)].join('\n');
}
