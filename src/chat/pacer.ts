import type { Clock } from '../core/time/clock';
import type { DeliveryError } from './gateway';

/**
 * Holds sends back while a platform has said to wait: the whole platform (a 429's
 * Retry-After, DingTalk's per-IP ban) or one recipient (DingTalk's flow-controlled
 * users). Every outbound path of a process asks it before calling the platform, so
 * no call goes out while a wait runs; the one pacing object for every platform.
 */
export interface Pacer {
  /** The moment a send to `recipient` may go out (epoch ms), or null for now. */
  heldUntil(recipient: string): number | null;
  /** Records what a refused send said about waiting. */
  refused(recipient: string, error: DeliveryError): void;
}

export function createPacer(clock: Clock, onPause: (scope: DeliveryError['scope']) => void = () => {}): Pacer {
  let platformUntil = 0;
  const recipients = new Map<string, number>();

  return {
    heldUntil(recipient) {
      const now = clock.now().toMillis();
      const until = Math.max(platformUntil, recipients.get(recipient) ?? 0);
      if (until <= now) {
        recipients.delete(recipient);
        return null;
      }
      return until;
    },
    refused(recipient, error) {
      if (error.retryAfterMs === undefined) return;
      const until = clock.now().toMillis() + error.retryAfterMs;
      onPause(error.scope);
      if (error.scope === 'platform') platformUntil = Math.max(platformUntil, until);
      else if (error.scope === 'recipient') recipients.set(recipient, Math.max(recipients.get(recipient) ?? 0, until));
    },
  };
}
