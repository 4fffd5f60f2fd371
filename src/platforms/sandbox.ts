import { seedDemoTeam } from '../app/team/demo-seed';
import { createSandboxPlatform } from '../chat/sandbox';
import type { PlatformModule, PlatformOf } from './platform';

/** The terminal: a demo team on an empty database, each line typed handed to the command service. */
export const sandbox: PlatformModule<PlatformOf<'sandbox'>> = {
  observed: false,
  open(_settings, { config, db, clock, stdin, stdout, seedDemo }) {
    const platform = createSandboxPlatform({
      input: stdin ?? process.stdin,
      output: stdout ?? process.stdout,
      exportDir: config.exportDir,
      user: config.sandboxUser,
      defaultLang: config.defaultLang,
    });
    return {
      gateway: platform.gateway,
      async start({ service, forms, gateway }) {
        if (seedDemo ?? true) await seedDemoTeam(db, config.defaultLang, clock.now().toJSDate());
        return platform.start({ service, forms, gateway });
      },
    };
  },
};
