import { dingtalkCallbacks } from '../../handlers/dingtalk';
import { createDirectory } from '../chat/conversation/directory';
import { createDingTalkPlatform } from '../chat/dingtalk';
import { cardsRefusedNotice } from './dingtalk-cards-refused';
import { dingTalkCardStore } from './dingtalk-storage';
import { listeningThroughInbound, type PlatformModule, type PlatformOf } from './platform';

/** DingTalk: the robot on its Stream connection, with the callbacks of handlers/dingtalk bound. */
export const dingtalk: PlatformModule<PlatformOf<'dingtalk'>> = {
  observed: true,
  open(settings, { config, db, clock, logger, metrics, flowControlWaitMs }) {
    const platform: ReturnType<typeof createDingTalkPlatform> = createDingTalkPlatform({
      config: settings.dingtalk,
      directory: createDirectory(db, 'dingtalk'),
      logger,
      metrics,
      exportDir: config.exportDir,
      flowControlWaitMs,
      cards: {
        enabled: settings.dingtalk.groupCards,
        store: dingTalkCardStore(db, clock),
        onRefused: (channel, detail) => cardsRefusedNotice({ db, clock, logger, send: (o) => platform.gateway.send(o) })(channel, detail),
      },
    });
    return listeningThroughInbound(
      platform,
      (inbound) =>
        ({ robot, malformed }) =>
          dingtalkCallbacks({ inbound, gateway: robot, logger, malformed }),
    );
  },
};
