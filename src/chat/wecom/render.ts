import { randomBytes } from 'node:crypto';
import { t, type Lang } from '../../i18n';
import { renderMarkdown, withoutBold, type MarkdownDialect, type MarkdownPart, type Names, type Readers } from '../markdown';
import type { Button, Message } from '../message';

/** The smart bot's markdown: its replies take 20,480 bytes; proactive sends have no published figure, so well under. */
const SMART_BOT_MAX_BYTES = 8_000;
/** The self-built app's markdown takes 2,048 bytes. */
export const APP_MAX_BYTES = 2_000;
/** A button-interaction card holds at most six buttons. */
const CARD_BUTTONS = 6;
/** What a card button's key starts with: the command follows, base64url-encoded. */
const KEY_PREFIX = 'cs_';

/**
 * WeCom's markdown: every message says how to type its buttons' commands (a card
 * carries the first buttons in a private chat, but not every WeCom client shows cards,
 * and a group has no card of ours); a user picker is the command to finish by name.
 */
function wecomDialect(lang: Lang, mentions: 'tag' | 'name' = 'tag'): MarkdownDialect {
  return {
    lineBreak: '\n',
    // The smart bot's markdown shows `<@userid>` as the person's name [3P]; WeCom never tells the bot names,
    // so anything else would show the bare id. The app's markdown has no mentions: names (or ids) as text.
    ...(mentions === 'tag' ? { mention: (id: string) => (/^[A-Za-z0-9][\w.@-]{0,63}$/.test(id) ? `<@${id}>` : null) } : {}),
    unnamedChannel: t(lang, 'private.teamGroup'),
    button: (label, command, readers) => t(lang, readers === 'private' ? 'private.typeInChat' : 'private.typeInGroup', { label, command }),
    picker: (label, command) => t(lang, 'private.pickUser', { label, command }),
  };
}

/** A neutral message as WeCom markdown parts within `maxBytes` each: the smart bot's, or (with APP_MAX_BYTES) the self-built app's. */
export function renderWeCom(message: Message, readers: Readers, names: Names, maxBytes = SMART_BOT_MAX_BYTES): MarkdownPart[] {
  const dialect = wecomDialect(message.lang ?? 'zh-CN', maxBytes === APP_MAX_BYTES ? 'name' : 'tag');
  return renderMarkdown(message, { names, readers, dialect, maxBytes });
}

/** The key a card button carries: the command it runs, in characters any key takes. */
export const buttonKey = (command: string) => `${KEY_PREFIX}${Buffer.from(command, 'utf8').toString('base64url')}`;

/** The command a clicked button's key carries; null for a key that is not one of ours. */
export function commandOfKey(key: string): string | null {
  if (key.length > 1024 || !/^cs_[A-Za-z0-9_-]+$/.test(key)) return null;
  const command = Buffer.from(key.slice(KEY_PREFIX.length), 'base64url').toString('utf8');
  // Only a printable line: a key made up by hand is read as what a person could have typed.
  return command && !/[\u0000-\u001f]/.test(command) && command.length <= 500 ? command : null;
}

/** WeCom's button text is short: longer labels are cut. */
const short = (label: string) => ([...label].length > 12 ? `${[...label].slice(0, 11).join('')}…` : label);

/** A card with the message's first buttons (a private chat), or null when it has none. */
export function buttonCard(message: Message, title: string): Record<string, unknown> | null {
  const buttons: Button[] = message.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : []));
  if (buttons.length === 0) return null;
  return {
    card_type: 'button_interaction',
    main_title: { title: short(title.replace(/\s*\(\d+\/\d+\)$/, '')).slice(0, 26) },
    task_id: `cs-${Date.now()}-${randomBytes(6).toString('hex')}`,
    button_list: buttons.slice(0, CARD_BUTTONS).map((b) => ({ text: short(withoutBold(b.label)), style: b.style === 'danger' ? 3 : b.style === 'primary' ? 1 : 2, key: buttonKey(b.command) })),
  };
}

/** A button that does nothing (a card with every button clicked keeps one: WeCom wants at least one). */
const SPENT_KEY = 'spent';

/**
 * The card after a click: the same card with the clicked button gone and a line saying
 * what was clicked (the answer itself goes to the private chat); the other contacts'
 * buttons stay.
 */
export function clickedCard(card: Record<string, unknown>, clickedKey: string, lang: Lang): Record<string, unknown> {
  const buttons = (card.button_list as Array<{ text: string; key: string }> | undefined) ?? [];
  const clicked = buttons.find((b) => b.key === clickedKey);
  const rest = buttons.filter((b) => b.key !== clickedKey);
  const title = (card.main_title as { title?: string } | undefined)?.title ?? '';
  return {
    ...card,
    main_title: { title, desc: t(lang, 'wecom.cardClicked', { label: clicked?.text ?? '' }) },
    button_list: rest.length > 0 ? rest : [{ text: t(lang, 'wecom.cardDoneButton'), style: 2, key: SPENT_KEY }],
  };
}
