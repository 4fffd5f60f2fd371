import { createHash } from 'node:crypto';

/** Split messages whose later part failed, remembered at most: where each resumes. */
const RESUME_KEEP = 1000;

/**
 * Sends a message split into parts, one call each. When a later part fails, the parts
 * already delivered are remembered (by destination and content), so the retry of the same
 * message resumes there instead of repeating them. `reserve`, when given, is asked for the
 * parts still to go before the first of them is sent (a platform that caps sends per
 * person): a refusal there sends nothing, so a message is never cut by its own budget.
 */
export function createSplitSender() {
  const resumeAt = new Map<string, number>();
  return async function sendParts<P>(destination: string, parts: readonly P[], sendOne: (part: P) => Promise<void>, reserve?: (count: number) => Promise<void>): Promise<void> {
    const key = createHash('sha1').update(destination).update('\u0000').update(JSON.stringify(parts)).digest('hex');
    const from = resumeAt.get(key) ?? 0;
    if (reserve) await reserve(parts.length - from);
    for (let i = from; i < parts.length; i++) {
      try {
        await sendOne(parts[i]!);
      } catch (error) {
        if (i > 0) {
          if (resumeAt.size >= RESUME_KEEP) resumeAt.delete(resumeAt.keys().next().value!);
          resumeAt.set(key, i);
        }
        throw error;
      }
    }
    resumeAt.delete(key);
  };
}
