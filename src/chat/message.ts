import type { Lang } from '../i18n';

/**
 * The neutral message model. Adapters render it: Block Kit on Slack, plain
 * text in the sandbox. Text may hold user mentions as `<@id>` and *bold*;
 * adapters escape everything else.
 */
export type Block =
  | { readonly kind: 'header'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'fields'; readonly fields: ReadonlyArray<readonly [label: string, value: string]> }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'context'; readonly text: string }
  | { readonly kind: 'buttons'; readonly buttons: readonly Button[]; readonly pickers?: readonly UserPicker[] };

/**
 * A button runs a command as the person who presses it, so the sandbox can show
 * the command instead and both paths share one handler.
 */
export interface Button {
  readonly label: string;
  readonly command: string;
  readonly style?: 'primary' | 'danger';
}

/**
 * A user picker finishes a command with the person picked: `assign 1024` becomes
 * `assign 1024 <@U…>`. Slack shows a user menu; the sandbox shows the command to type.
 */
export interface UserPicker {
  readonly label: string;
  readonly command: string;
}

export interface Message {
  /** Plain fallback for notifications and screen readers. */
  readonly text: string;
  readonly blocks: readonly Block[];
  /** The language it is written in, for words an adapter adds (how to type a button's command); Chinese when unset. */
  readonly lang?: Lang;
  /**
   * Written for one reader allowed full phone numbers (the owner, a supervisor, a manager,
   * asking privately): only then do numbers reach the chat unmasked (see privacy.ts).
   */
  readonly revealsPhones?: boolean;
  /**
   * Text the bot wrote itself that holds digits (a file's path with its dates): never
   * masked, since it is no customer's number and must stay usable.
   */
  readonly verbatim?: readonly string[];
  /**
   * A command that shows this message again (`show 1001`), for a platform that cannot
   * deliver it whole: it says how to ask for it once more instead.
   */
  readonly again?: string;
}

/** Where a message goes. */
export type Destination =
  | { readonly kind: 'channel'; readonly channel: string }
  | { readonly kind: 'dm'; readonly user: string }
  | { readonly kind: 'ephemeral'; readonly channel: string; readonly user: string };

export interface Outgoing {
  readonly to: Destination;
  readonly message: Message;
}

export function textMessage(text: string): Message {
  return { text, blocks: [{ kind: 'text', text }] };
}

/**
 * Several messages as one, in order (one chat bubble where a platform counts sends): in the
 * language of the first, with full numbers only when every one of them was written to show them.
 */
export function joinMessages(messages: readonly Message[]): Message {
  const verbatim = messages.flatMap((m) => m.verbatim ?? []);
  const lang = messages.find((m) => m.lang)?.lang;
  const reveals = messages.length > 0 && messages.every((m) => m.revealsPhones);
  return {
    text: messages.map((m) => m.text).join('\n'),
    blocks: messages.flatMap((m) => m.blocks),
    ...(verbatim.length ? { verbatim } : {}),
    ...(lang ? { lang } : {}),
    ...(reveals ? { revealsPhones: true } : {}),
  };
}
