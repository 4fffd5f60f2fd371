import type { Message } from '../../src/chat/message';

/** Every word a person would read in a message, one block a line: fields as `label: value`, buttons as `[label:command]`. */
export function textOf(message: Message | null | undefined): string {
  if (!message) return '';
  return message.blocks
    .map((b) => {
      switch (b.kind) {
        case 'fields':
          return b.fields.map(([k, v]) => `${k}: ${v}`).join('\n');
        case 'list':
          return b.items.join('\n');
        case 'buttons':
          return b.buttons.map((x) => `[${x.label}:${x.command}]`).join(' ');
        default:
          return b.text;
      }
    })
    .join('\n');
}
