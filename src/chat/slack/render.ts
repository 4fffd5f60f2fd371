import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import type { Block, Message } from '../message';

/** Escapes user text for mrkdwn, keeping our own `<@U…>` mentions and `<#C…>` channel references. */
function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/&lt;([@#][A-Za-z0-9_.-]+)&gt;/g, '<$1>');
}

const SECTION_MAX = 3000;
/** Action ids of user menus start with this; the rest is the command the pick finishes. */
export const PICK_USER_PREFIX = 'pick_user:';
const HEADER_MAX = 150;
const FIELDS_PER_SECTION = 10;
const BLOCKS_MAX = 50;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: clip(escapeMrkdwn(text), SECTION_MAX) });

/** Splits list lines into sections that each stay under Slack's text limit. */
function listSections(items: readonly string[]): KnownBlock[] {
  const sections: KnownBlock[] = [];
  let current = '';
  for (const item of items) {
    const line = `• ${item}`;
    if (current && current.length + line.length + 1 > SECTION_MAX - 200) {
      sections.push({ type: 'section', text: mrkdwn(current) });
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) sections.push({ type: 'section', text: mrkdwn(current) });
  return sections;
}

function renderBlock(block: Block): KnownBlock[] {
  switch (block.kind) {
    case 'header':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(block.text, HEADER_MAX), emoji: true } }];
    case 'text':
      return [{ type: 'section', text: mrkdwn(block.text) }];
    case 'context':
      return [{ type: 'context', elements: [mrkdwn(block.text)] }];
    case 'list':
      return listSections(block.items);
    case 'fields': {
      const sections: KnownBlock[] = [];
      for (let i = 0; i < block.fields.length; i += FIELDS_PER_SECTION) {
        const chunk = block.fields.slice(i, i + FIELDS_PER_SECTION);
        sections.push({ type: 'section', fields: chunk.map(([label, value]) => mrkdwn(`*${label}*\n${clip(value, 1900)}`)) });
      }
      return sections;
    }
    case 'buttons':
      return [
        {
          type: 'actions',
          elements: block.buttons.map((b, i) => ({
            type: 'button' as const,
            action_id: `run_command_${i}`,
            text: { type: 'plain_text' as const, text: clip(b.label, 75), emoji: true },
            value: b.command,
            ...(b.style ? { style: b.style } : {}),
          })),
        },
        ...(block.pickers ?? []).map(
          (p): KnownBlock => ({
            type: 'actions',
            elements: [
              {
                type: 'users_select',
                // The command rides in the action id: a menu has no value of its own.
                action_id: `${PICK_USER_PREFIX}${p.command}`,
                placeholder: { type: 'plain_text', text: clip(p.label, 150), emoji: true },
              },
            ],
          }),
        ),
      ];
  }
}

/** A neutral message as Slack's `text` + Block Kit `blocks` (the first 50 blocks; see renderSlackParts). */
export function renderSlack(message: Message): { text: string; blocks: KnownBlock[] } {
  return renderSlackParts(message)[0]!;
}

/**
 * A neutral message as one or more Slack messages of at most 50 blocks each: a long
 * message (a big reminder list, a digest) is sent in parts rather than cut short.
 */
export function renderSlackParts(message: Message): Array<{ text: string; blocks: KnownBlock[] }> {
  const blocks = message.blocks.flatMap(renderBlock);
  // The fallback text is read as mrkdwn too (notifications): escaped the same way as the blocks.
  const text = clip(escapeMrkdwn(message.text), 3000);
  const parts: Array<{ text: string; blocks: KnownBlock[] }> = [];
  for (let i = 0; i < blocks.length || parts.length === 0; i += BLOCKS_MAX) parts.push({ text, blocks: blocks.slice(i, i + BLOCKS_MAX) });
  return parts;
}
