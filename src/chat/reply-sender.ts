import type { Logger } from '../app/logger';
import { DeliveryError, type ChatGateway } from './gateway';
import type { Outgoing } from './message';
import type { Pacer } from './pacer';

/** The longest a reply waits (once, in the background) for a platform that asked to wait. */
const RETRY_WAIT_MAX_MS = 2 * 60_000;
const RETRIES = 3;

const keyOf = (o: Outgoing) => (o.to.kind === 'channel' ? `channel:${o.to.channel}` : `dm:${o.to.user}`);

/**
 * Sends the answers to a message, which have no outbox row of their own: through the
 * process's pacer (no call while the platform's wait runs), each on its own (one failure
 * hides no other), and, when the platform asked to wait a little (a flow-controlled
 * person, a rate limit), once more in the background after the wait. True when sent now.
 */
export function createReplySender(deps: { gateway: ChatGateway; pacer: Pacer; logger: Logger; now?: () => number }) {
  const { gateway, pacer, logger } = deps;
  const now = deps.now ?? Date.now;

  async function attempt(outgoing: Outgoing, tries: number): Promise<boolean> {
    const key = keyOf(outgoing);
    const held = pacer.heldUntil(key);
    try {
      if (held !== null) throw new DeliveryError('held: the platform asked to wait', held - now(), { scope: 'recipient' });
      await gateway.send(outgoing);
      return true;
    } catch (error) {
      if (error instanceof DeliveryError && held === null) pacer.refused(key, error);
      const wait = error instanceof DeliveryError && !error.permanent ? error.retryAfterMs : undefined;
      if (wait !== undefined && wait <= RETRY_WAIT_MAX_MS && tries < RETRIES) {
        setTimeout(() => void attempt(outgoing, tries + 1), Math.max(wait, 50)).unref?.();
        logger.info({ to: outgoing.to.kind, retryInMs: wait }, 'answer held back by the platform; sending it again later');
      } else {
        logger.warn({ err: error, to: outgoing.to.kind }, 'answer not delivered');
      }
      return false;
    }
  }

  return Object.freeze({ send: (outgoing: Outgoing) => attempt(outgoing, 1) });
}

export type ReplySender = ReturnType<typeof createReplySender>;
