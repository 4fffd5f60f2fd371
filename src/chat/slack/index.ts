import type { Logger } from '../../runtime/logger';
import type { SlackMode } from '../../config';
import { createOutboxClient, startSlack, type SlackListeners } from './app';
import { createSlackGateway } from './gateway';

export type { SlackListeners } from './app';

/**
 * Slack: the outbound gateway for reminders and digests (a Web API client that fails fast on a
 * rate limit, so the outbox can put a reminder back), and the Bolt app, started with the listeners
 * the composition root binds (Socket Mode with an app token, otherwise HTTP at /slack/events).
 */
export function createSlackPlatform(deps: { slack: SlackMode; slackApiUrl: string | undefined; logger: Logger }) {
  return {
    gateway: createSlackGateway(createOutboxClient(deps.slack.botToken, deps.slackApiUrl, deps.logger)),
    async start(listeners: SlackListeners) {
      const slack = await startSlack({ ...deps, listeners });
      const address = slack.server?.address();
      return {
        stop: slack.stop,
        connected: () => slack.server?.listening ?? true,
        httpPort: address && typeof address === 'object' ? address.port : null,
      };
    },
  };
}
