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
