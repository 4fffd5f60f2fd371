import { wecomCallbacks } from '../../handlers/wecom';
import { createDirectory } from '../chat/conversation/directory';
import { createWeComPlatform } from '../chat/wecom';
import { listeningThroughInbound, type PlatformModule, type PlatformOf } from './platform';
import { weComStorage } from './wecom-storage';

/** WeCom: the smart bot (and its self-built app) with the callbacks of handlers/wecom bound, its lease and budgets in the database. */
export const wecom: PlatformModule<PlatformOf<'wecom'>> = {
  observed: true,
  open(settings, { config, db, clock, logger, metrics, onReady }) {
    const platform = createWeComPlatform({
      config: settings.wecom,
      storage: weComStorage(db),
      directory: createDirectory(db, 'wecom'),
      clock,
      logger,
      exportDir: config.exportDir,
      onReady,
      metrics,
      bootstrapAdmins: config.bootstrapAdmins,
      defaultLang: config.defaultLang,
    });
    return listeningThroughInbound(
      platform,
      (inbound) =>
        ({ gateway, connection, malformed }) =>
          wecomCallbacks({ inbound, gateway, connection, logger, defaultLang: config.defaultLang, malformed }),
    );
  },
};
