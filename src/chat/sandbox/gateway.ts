import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ChatGateway, PrivateFile } from '../gateway';
import type { Outgoing } from '../message';
import { renderPlain } from './render';

/** Delivers messages by printing them, each labelled with where it went; files go under `exportsDir`. */
export function createSandboxGateway(write: (text: string) => void, exportsDir = 'exports'): ChatGateway {
  return {
    async send(outgoing: Outgoing) {
      write(`${renderPlain(outgoing.to, outgoing.message)}\n`);
    },
    async sendFile(file: PrivateFile) {
      await mkdir(exportsDir, { recursive: true });
      // The name is ours (period and time stamp), never user text: no path tricks to guard against.
      const path = join(exportsDir, file.name);
      await writeFile(path, file.content);
      return { savedTo: resolve(path) };
    },
  };
}
