import { parseDuration } from './duration';

/** A duration word held against a command's bounds: its seconds, or whether it is no duration or one outside them. */
export type BoundedDuration = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly problem: 'unreadable' | 'outOfRange' };

/**
 * Reads a duration (`30s`, `15m`, `4h`, `2d`) for a command that takes `minS` to `maxS`
 * seconds. A zero (`0s`, `0m`) is a duration too, just out of range: it is answered with the
 * bounds, not as unreadable.
 */
export function durationWithin(word: string, minS: number, maxS: number): BoundedDuration {
  const seconds = parseDuration(word) ?? (parseDuration(word.replace(/\d+(?:\.\d+)?/g, '1')) === null ? null : 0);
  if (seconds === null) return { ok: false, problem: 'unreadable' };
  return seconds >= minS && seconds <= maxS ? { ok: true, seconds } : { ok: false, problem: 'outOfRange' };
}
