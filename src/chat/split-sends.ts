import { createHash } from 'node:crypto';

/** Split messages whose later part failed, remembered at most: where each resumes. */
const RESUME_KEEP = 1000;

/**
 * Sends a message split into parts, one call each. When a later part fails, the parts
 * already delivered are remembered (by destination and content), so the retry of the same
 * message resumes there instead of repeating them.
 */
export function createSplitSender() {
  const resumeAt = new Map<string, number>();
  return async function sendParts<P>(destination: string, parts: readonly P[], sendOne: (part: P) => Promise<void>): Promise<void> {
    const key = createHash('sha1').update(destination).update('\u0000').update(JSON.stringify(parts)).digest('hex');
    for (let i = resumeAt.get(key) ?? 0; i < parts.length; i++) {
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
