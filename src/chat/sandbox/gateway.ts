import { saveExport } from '../export-folder';
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
      return { kind: 'local', path: await saveExport(exportsDir, file.name, file.content) };
    },
  };
}
