import type { Outgoing } from '../../chat/message';
import type { Logger } from '../../runtime/logger';

/**
 * The notices worked out once a change is committed (alerts to supervisors, warnings to the
 * group). One that cannot be worked out just then (the database went away) is logged and
 * left out: the change is saved, and the person must not be told that nothing was.
 */
export async function noticesAfterSaving(logger: Logger, ...producers: Array<() => Promise<Outgoing[]>>): Promise<Outgoing[]> {
  const notices: Outgoing[] = [];
  for (const produce of producers) {
    try {
      notices.push(...(await produce()));
    } catch (error) {
      logger.warn({ err: error }, 'a notice after a saved change could not be worked out; the change stands');
    }
  }
  return notices;
}
