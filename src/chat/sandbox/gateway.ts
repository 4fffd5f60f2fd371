import type { ChatGateway } from '../gateway';
import type { Outgoing } from '../message';
import { renderPlain } from './render';

/** Delivers messages by printing them, each labelled with where it went. */
export function createSandboxGateway(write: (text: string) => void): ChatGateway {
  return {
    async send(outgoing: Outgoing) {
      write(`${renderPlain(outgoing.to, outgoing.message)}\n`);
    },
  };
}
