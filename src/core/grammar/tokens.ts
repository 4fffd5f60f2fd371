import { commandWord, inertMarkup } from '../input';

/**
 * A word of the command: as typed (`text`, for names and notes: chat markup in it made
 * plain) and as meant (`word`, full-width folded, a mention still a mention).
 */
export interface Token {
  readonly text: string;
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** Whitespace-separated words (full-width spaces too); "…" or “…” keeps spaces inside one word. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"([^"]*)"|“([^”]*)”|([^\s\u3000]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const typed = m[1] ?? m[2] ?? m[3] ?? '';
    tokens.push({ text: inertMarkup(typed), word: commandWord(typed), start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

/** The original text from a token on, so a note keeps its own spacing; chat markup in it made plain. */
export function restFrom(text: string, tokens: readonly Token[], index: number): string {
  const token = tokens[index];
  return token ? inertMarkup(text.slice(token.start).trim()) : '';
}
