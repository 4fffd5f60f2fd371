/**
 * What people type, made safe to store and echo: no terminal escape sequences,
 * no control characters (but line breaks and tabs), no bidirectional overrides
 * that would make a note read backwards (U+202E), no zero-width spaces.
 */
export function cleanInput(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[@-_]/g, '')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, '')
    .replace(/[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
}

/** A command word as its meaning: full-width letters, digits and signs from a Chinese IME read as ASCII (ｗｅｃｈａｔ, ＃１００１). */
export const commandWord = (word: string): string => word.normalize('NFKC');

/**
 * Chat markup inside free text (a name, a note, a plan) made plain, so what someone typed
 * can never become a live mention or link when the bot shows it again: Slack's
 * `<@U1|李主管>` reads @李主管, `<#C1|项目群>` #项目群, `<!channel>` @channel,
 * `<https://x|看这里>` 看这里 (https://x). Mentions meant as a command's argument are read
 * from the word itself, before this.
 */
export function inertMarkup(text: string): string {
  if (!text.includes('<')) return text;
  return text
    .replace(/<([@#!])([^<>|\s]*)(?:\|([^<>]*))?>/g, (_m, sign: string, id: string, label?: string) => {
      if (sign === '!') return label ? (label.startsWith('@') ? label : `@${label}`) : `@${id.replace(/^subteam\^/, '')}`;
      return `${sign}${label || id}`;
    })
    .replace(/<((?:https?|mailto|tel):[^<>|\s]+)(?:\|([^<>]*))?>/g, (_m, url: string, label?: string) => (label ? `${label} (${url})` : url));
}
