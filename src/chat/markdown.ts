import type { Block, Message } from './message';

/** Names to show for the ids a message mentions: people (`<@id>`) and channels (`<#id>`). */
export interface Names {
  readonly users: ReadonlyMap<string, string>;
  readonly channels: ReadonlyMap<string, string>;
}

export const NO_NAMES: Names = { users: new Map(), channels: new Map() };

/** Where a message is read: a person's private chat (links can run commands there) or a group. */
export type Readers = 'private' | 'group';

/** How one platform writes the parts markdown leaves open. */
export interface MarkdownDialect {
  /** A line break inside a block (DingTalk needs two spaces before the newline). */
  readonly lineBreak: string;
  /** A button: a link that runs its command as whoever taps it, or the command to type. */
  button(label: string, command: string, readers: Readers): string;
  /** A user picker: the command to finish with a colleague's mention. */
  picker(label: string, command: string): string;
  /** A channel reference without a known name. */
  readonly unnamedChannel: string;
  /**
   * A person, in the markup the platform's client shows as their name (WeCom's smart bot:
   * `<@userid>`); without it, `@` and the name the bot knows (or the id).
   */
  mention?(id: string): string | null;
}

/** One message as the platform takes it: a title (notifications, chat list) and markdown. */
export interface MarkdownPart {
  readonly title: string;
  readonly text: string;
}

/** The ids a message mentions, to look their names up before rendering. */
export function mentionedIds(message: Message): { users: string[]; channels: string[] } {
  const all = JSON.stringify(message);
  return {
    users: [...new Set([...all.matchAll(/<@([^\s|<>]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))],
    channels: [...new Set([...all.matchAll(/<#([^\s|<>]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))],
  };
}

/**
 * User text made inert: no link, image or HTML can be formed from it (a note with
 * `[点我](dtmd://…)` would otherwise run a command as whoever taps it), no heading
 * of its own, and no scheme link survives; brackets and angle brackets show as their
 * full-width forms (entities are not rendered everywhere). Our own `*bold*` becomes
 * markdown bold.
 */
function inert(text: string): string {
  return (
    text
      .replace(/</g, '＜')
      .replace(/>/g, '＞')
      // A line that would start a heading of its own (`# 标题`) stays a plain line; `#1001` is no heading.
      .replace(/(^|\n)([ \t]*)#(?=#*[ \t])/g, '$1$2＃')
      .replace(/\[/g, '［')
      .replace(/\]/g, '］')
      .replace(/!(?=［)/g, '！')
      .replace(/(?<![a-z])(dtmd|dingtalk|weixin|wxwork|javascript)(\s*):/gi, '$1\u200b$2:')
  );
}

const BOLD = /(^|[\s（(])\*([^*\n]+)\*(?=$|[\s，。：:)）])/g;

/** Text without our `*bold*` markers; every other `*` stays (a masked 137****5678 must still read as masked). */
export const withoutBold = (text: string): string => text.replace(BOLD, '$1$2');

/** Text with our mentions and bold rendered and everything else inert. */
function markdownText(text: string, names: Names, dialect: MarkdownDialect): string {
  const tokens: string[] = [];
  const hold = (shown: string) => `\u0000${tokens.push(inert(shown)) - 1}\u0000`;
  // The platform's own mention markup goes in as it is (it is built from an id, not from what someone typed).
  const raw = (markup: string) => `\u0000${tokens.push(markup) - 1}\u0000`;
  const held = text
    .replace(/<@([^\s|<>]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => {
      const markup = dialect.mention?.(id);
      return markup ? raw(markup) : hold(`@${names.users.get(id) ?? name ?? id}`);
    })
    .replace(/<#([^\s|<>]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => hold(`#${names.channels.get(id) ?? name ?? dialect.unnamedChannel}`));
  return inert(held)
    .replace(BOLD, '$1**$2**')
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => tokens[Number(i)]!)
    .replace(/\r?\n/g, dialect.lineBreak);
}

/** Plain text for a title: mentions as names, no markup. */
function plainTitle(text: string, names: Names): string {
  const line = (text.split('\n')[0] ?? '')
    .replace(/<@([^\s|<>]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${names.users.get(id) ?? name ?? id}`)
    .replace(/<#([^\s|<>]+)(?:\|([^>]*))?>/g, (_m, id: string) => `#${names.channels.get(id) ?? ''}`);
  const shown = withoutBold(line)
    .replace(/[[\]<>]/g, '')
    .trim();
  return [...shown].length > 40 ? `${[...shown].slice(0, 39).join('')}…` : shown || '…';
}

/** A block as lines that may go to different parts of a split message, and what joins them. */
interface Unit {
  readonly text: string;
  /** What comes before it when it follows another unit. */
  readonly join: string;
}

function units(block: Block, names: Names, dialect: MarkdownDialect, readers: Readers): Unit[] {
  const md = (text: string) => markdownText(text, names, dialect);
  const paragraph = '\n\n';
  switch (block.kind) {
    case 'header':
      return [{ text: `#### ${md(block.text).replace(/\s*\n\s*/g, ' ')}`, join: paragraph }];
    case 'text':
    case 'context':
      return md(block.text)
        .split(dialect.lineBreak)
        .map((line, i) => ({ text: line, join: i === 0 ? paragraph : dialect.lineBreak }));
    case 'fields':
      return block.fields.map(([label, value], i) => ({ text: `**${md(label)}**：${md(value)}`, join: i === 0 ? paragraph : dialect.lineBreak }));
    case 'list':
      return block.items.map((item, i) => ({ text: `- ${md(item)}`, join: i === 0 ? paragraph : '\n' }));
    case 'buttons': {
      const buttons = block.buttons.map((b) => dialect.button(md(b.label), b.command, readers));
      const pickers = (block.pickers ?? []).map((p) => dialect.picker(md(p.label), p.command));
      const lines = readers === 'private' && buttons.length ? [buttons.join('　'), ...pickers] : [...buttons, ...pickers];
      return lines.map((line, i) => ({ text: line, join: i === 0 ? paragraph : dialect.lineBreak }));
    }
  }
}

/** UTF-8 bytes of a text as it stands inside a JSON string. */
const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

/**
 * A message as markdown parts, each within `maxBytes` (the platform's limit on the
 * JSON of title and text): split between lines, never inside one unless a single
 * line is longer than a whole part; no line is lost.
 */
export function renderMarkdown(message: Message, opts: { names: Names; dialect: MarkdownDialect; readers: Readers; maxBytes: number }): MarkdownPart[] {
  const all = message.blocks.flatMap((b) => units(b, opts.names, opts.dialect, opts.readers));
  const title = plainTitle(message.blocks.find((b) => b.kind === 'header')?.text ?? message.text, opts.names);
  // Room for the title (with a "(12/34)" counter) and the JSON around both.
  const budget = opts.maxBytes - jsonBytes(title) - 40;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  const flush = () => {
    if (current) parts.push(current);
    current = '';
    size = 0;
  };
  for (const unit of all.length ? all : [{ text: markdownText(message.text, opts.names, opts.dialect), join: '' }]) {
    for (const piece of cut(unit.text, budget)) {
      const join = current ? unit.join : '';
      const bytes = jsonBytes(join) + jsonBytes(piece);
      if (current && size + bytes > budget) flush();
      current = current ? `${current}${join}${piece}` : piece;
      size += current === piece ? jsonBytes(piece) : bytes;
    }
  }
  flush();
  if (parts.length === 0) parts.push(title);
  return parts.map((text, i) => ({ title: parts.length > 1 ? `${title} (${i + 1}/${parts.length})` : title, text }));
}

/** A line longer than a whole part, in pieces that fit (by characters, never inside one). */
function cut(text: string, budget: number): string[] {
  if (jsonBytes(text) <= budget) return [text];
  const pieces: string[] = [];
  let piece = '';
  for (const char of text) {
    if (jsonBytes(piece + char) > budget) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
