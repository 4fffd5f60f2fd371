import { dingtalkCallbacks } from '../../handlers/dingtalk';
import { createDirectory } from '../chat/conversation/directory';
import { createDingTalkPlatform } from '../chat/dingtalk';
import type { PlatformModule, PlatformOf } from './platform';

/** DingTalk: the robot on its Stream connection, with the callbacks of handlers/dingtalk bound. */
export const dingtalk: PlatformModule<PlatformOf<'dingtalk'>> = {
  observed: true,
  open(settings, { config, db, logger, metrics, flowControlWaitMs }) {
    const platform = createDingTalkPlatform({
      config: settings.dingtalk,
      directory: createDirectory(db, 'dingtalk'),
      logger,
      metrics,
      exportDir: config.exportDir,
      flowControlWaitMs,
    });
    return {
      gateway: platform.gateway,
      async start(listening) {
        const inbound = await listening.inbound();
        return platform.start(({ robot, malformed }) => dingtalkCallbacks({ inbound, gateway: robot, logger, malformed }));
      },
    };
  },
};
