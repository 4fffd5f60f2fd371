import type { Outgoing } from './message';

/** The port every chat platform implements: deliver a message to where it is addressed. */
export interface ChatGateway {
  send(outgoing: Outgoing): Promise<void>;
}

/**
 * A message the platform did not take. `retryAfterMs` is the platform's own wait
 * (HTTP 429 Retry-After); without it the sender backs off on its own.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
