import { dingtalkCallbacks } from '../../handlers/dingtalk';
import { createDirectory } from '../chat/conversation/directory';
import { createDingTalkPlatform } from '../chat/dingtalk';
import { listeningThroughInbound, type PlatformModule, type PlatformOf } from './platform';

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
    return listeningThroughInbound(platform, (inbound) => ({ robot, malformed }) => dingtalkCallbacks({ inbound, gateway: robot, logger, malformed }));
  },
};
