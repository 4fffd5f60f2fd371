/** The usual snooze. */
const SNOOZE_DEFAULT_MS = 15 * 60_000;
/** A snooze never ends closer to the deadline than this: the overdue reminder comes then anyway. */
const SNOOZE_MARGIN_MS = 60_000;

/**
 * How long a snooze may be with `leftMs` to the deadline: what was asked (15 minutes by
 * default), or, when that would reach the deadline, what still fits before it (half the time
 * left, to the minute, and never the last minute). Null when nothing fits.
 */
export function snoozeThatFits(leftMs: number, askedMs: number | null): { ms: number; shortened: boolean } | null {
  const wanted = askedMs ?? SNOOZE_DEFAULT_MS;
  if (wanted <= leftMs - SNOOZE_MARGIN_MS) return { ms: wanted, shortened: false };
  const fit = Math.floor(Math.min(leftMs / 2, leftMs - SNOOZE_MARGIN_MS) / 60_000) * 60_000;
  return fit >= 60_000 ? { ms: fit, shortened: true } : null;
}
