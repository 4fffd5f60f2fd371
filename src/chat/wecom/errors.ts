import { DeliveryError } from '../gateway';

/** How WeCom's answers to a send read: which wait, which refusal for good. */

/** WeCom's rate-limit codes: the whole bot waits before the next send. */
const RATE_LIMITED = new Set([45009, 45033, 45047, 45011]);
/** Codes that no retry changes: a message type the gateway refuses, an id it does not know. */
const PERMANENT = new Set([40003, 40008, 40058, 60111, 93006]);
const RATE_LIMIT_WAIT_MS = 60_000;
/** A send while the connection is down is tried again this soon (the SDK reconnects within seconds). */
const NOT_CONNECTED_WAIT_MS = 10_000;

/** WeCom answered a send with an error code: the message was not delivered. */
export class WeComRefusal extends DeliveryError {
  constructor(
    message: string,
    readonly errcode: number,
    retryAfterMs?: number,
    opts: ConstructorParameters<typeof DeliveryError>[2] = {},
  ) {
    super(message, retryAfterMs, opts);
    this.name = 'WeComRefusal';
  }

  /** A rate limit (held for a while), or WeCom busy: nothing about who it was for. */
  get transient(): boolean {
    return RATE_LIMITED.has(this.errcode) || this.errcode === -1;
  }
}

/**
 * A rejected send (an ack frame with errcode, a missing ack, no connection) as the outbox
 * reads it. A rate limit comes back with scope `platform`: the sender narrows it to the lane
 * and conversation it was met on (see lanes.ts).
 */
export function weComDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const frame = error as { errcode?: unknown; errmsg?: unknown } | null;
  if (frame && typeof frame === 'object' && typeof frame.errcode === 'number') {
    const what = `WeCom refused the message: ${frame.errcode} ${String(frame.errmsg ?? '')}`.trim();
    if (RATE_LIMITED.has(frame.errcode)) return new WeComRefusal(what, frame.errcode, RATE_LIMIT_WAIT_MS, { scope: 'platform' });
    return new WeComRefusal(what, frame.errcode, undefined, { permanent: PERMANENT.has(frame.errcode) });
  }
  const message = error instanceof Error ? error.message : String(error);
  // The connection dropped under the send, or is not up yet: soon again, once it is back.
  if (/not connected|connection closed|cancelled|not up/i.test(message)) return new DeliveryError(message, NOT_CONNECTED_WAIT_MS);
  // No ack within 5 s: tried again with backoff.
  return new DeliveryError(message);
}
