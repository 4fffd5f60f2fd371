import { registerSlackListeners } from '../../handlers/slack';
import { createSlackPlatform } from '../chat/slack';
import type { PlatformModule, PlatformOf } from './platform';

/** Slack: the Bolt app with the listeners of handlers/slack bound. */
export const slack: PlatformModule<PlatformOf<'slack'>> = {
  observed: true,
  open(settings, { config, logger }) {
    const platform = createSlackPlatform({ slack: settings.slack, slackApiUrl: config.slackApiUrl, logger });
    return {
      gateway: platform.gateway,
      start: ({ service }) => platform.start((app, gateway) => registerSlackListeners(app, { service, gateway, logger })),
    };
  },
};
