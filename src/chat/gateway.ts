import type { Outgoing } from './message';

/** The port every chat platform implements: deliver a message to where it is addressed. */
export interface ChatGateway {
  send(outgoing: Outgoing): Promise<void>;
}
