import type { Outgoing } from './message';

/** A file for one person: an export. */
export interface PrivateFile {
  readonly user: string;
  readonly name: string;
  readonly title: string;
  readonly content: Buffer;
}

/** The port every chat platform implements: deliver a message to where it is addressed. */
export interface ChatGateway {
  send(outgoing: Outgoing): Promise<void>;
  /** Gives a file to one person privately; where it was saved, when that is a path they can open. */
  sendFile?(file: PrivateFile): Promise<{ savedTo: string | null }>;
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
