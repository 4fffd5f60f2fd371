import type { Readable, Writable } from 'node:stream';
import type { Lang } from '../../i18n';
import { createSandboxGateway } from './gateway';
import { runSandbox, type SandboxDeps } from './sandbox';

export interface SandboxPlatformDeps {
  readonly input: Readable;
  readonly output: Writable;
  /** Where CSV exports are written. */
  readonly exportDir: string;
  /** The demo member you are at first (`/as` changes it). */
  readonly user: string;
  readonly defaultLang: Lang;
}

/** What the terminal hands each line to: the command service and the guided log form, answering through the bot's gateway. */
export type SandboxListeners = Pick<SandboxDeps, 'service' | 'forms' | 'gateway'>;

/**
 * The terminal: messages printed, each labelled with where it went; its session, which reads
 * the input line by line, begins once the bot's jobs run and resolves when the input ends.
 */
export function createSandboxPlatform(deps: SandboxPlatformDeps) {
  const { input, output, user, defaultLang } = deps;
  return {
    gateway: createSandboxGateway((text) => output.write(text), deps.exportDir),
    async start(listeners: SandboxListeners) {
      return {
        stop: async () => {},
        connected: () => true,
        session: () => runSandbox({ ...listeners, input, output, user, defaultLang }),
      };
    },
  };
}
