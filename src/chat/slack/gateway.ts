import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { ChatGateway } from '../gateway';
import type { Outgoing } from '../message';
import { renderSlack } from './render';

/** Delivers messages through Slack's Web API. A DM is posted to the user id, which opens the app's DM. */
export function createSlackGateway(client: WebClient): ChatGateway {
  return {
    async send({ to, message }: Outgoing) {
      const rendered = renderSlack(message);
      switch (to.kind) {
        case 'channel':
          await client.chat.postMessage({ channel: to.channel, ...rendered });
          return;
        case 'dm':
          await client.chat.postMessage({ channel: to.user, ...rendered });
          return;
        case 'ephemeral':
          await client.chat.postEphemeral({ channel: to.channel, user: to.user, ...rendered });
          return;
      }
    },
  };
}
