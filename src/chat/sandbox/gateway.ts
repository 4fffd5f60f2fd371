import { t } from '../../i18n';
import { saveExport } from '../export-folder';
import type { ChatGateway, OutgoingImage, PrivateFile } from '../gateway';
import type { Outgoing } from '../message';
import { renderPlain } from './render';

/** Delivers messages by printing them, each labelled with where it went; files and charts go under `exportsDir`. */
export function createSandboxGateway(write: (text: string) => void, exportsDir = 'exports'): ChatGateway {
  return {
    async send(outgoing: Outgoing) {
      write(`${renderPlain(outgoing.to, outgoing.message)}\n`);
    },
    async sendFile(file: PrivateFile) {
      return { kind: 'local', path: await saveExport(exportsDir, file.name, file.content) };
    },
    async sendImage(image: OutgoingImage) {
      // A terminal shows no picture: the PNG goes in the folder, its path printed where the picture would be.
      const path = await saveExport(exportsDir, image.name, image.png);
      const line = t(image.lang, 'chart.savedTo', { title: image.title, path });
      write(`${renderPlain(image.to, { text: line, blocks: [{ kind: 'context', text: line }], lang: image.lang, verbatim: [path] })}\n`);
    },
  };
}
