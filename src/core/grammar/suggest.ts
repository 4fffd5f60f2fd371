import type { MessageKey } from '../../i18n';
import type { UserError } from '../result';

/** A mistyped word's nearest known word, so an answer can ask "did you mean …?". */

/** Edits between two words (insert, delete, replace, swap two neighbours), by character, Chinese included. */
function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The known word nearest to `word`, when it is near enough to be a slip: one edit for a word
 * of up to four characters (`lgo`, 登陆), two for a longer one (`comfrim`). Among equals the
 * first in `known` wins. Null when none is that near, or the word is known already.
 */
export function nearestWord(word: string, known: readonly string[]): string | null {
  const w = word.toLowerCase();
  if (known.includes(w)) return null;
  const allowed = [...w].length <= 4 ? 1 : 2;
  let best: { word: string; distance: number } | null = null;
  for (const candidate of known) {
    const distance = editDistance(w, candidate);
    if (distance <= allowed && distance < [...candidate].length && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word ?? null;
}

/** An unknown command, with the nearest known one when there is one near enough (`/cs lgo` → `/cs log`). */
export function unknownCommand(typed: string, suggestion: string | null, usage: MessageKey): UserError {
  return suggestion ? { key: 'err.unknownCommandDidYouMean', params: { word: typed, suggestion }, usage } : { key: 'err.unknownCommand', params: { word: typed }, usage };
}
