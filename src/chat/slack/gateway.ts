import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import { DeliveryError, type ChatGateway, type OutgoingImage, type PrivateFile } from '../gateway';
import type { Outgoing } from '../message';
import { createSplitSender } from '../split-sends';
import { renderSlackParts } from './render';

/** Slack's errors as the outbox reads them: a rate limit carries its Retry-After. */
function deliveryError(error: unknown): unknown {
  const e = error as { code?: string; retryAfter?: number; message?: string };
  // Slack's rule: no call to the method until Retry-After has passed. The outbox uses one method, so it all waits.
  if (e?.code === 'slack_webapi_rate_limited_error') return new DeliveryError(e.message ?? 'rate limited', (e.retryAfter ?? 1) * 1000, { scope: 'platform' });
  if (e?.code === 'slack_webapi_http_error' || e?.code === 'slack_webapi_request_error') return new DeliveryError(e.message ?? 'Slack unavailable');
  return error;
}

/** Delivers messages through Slack's Web API. A DM is posted to the user id, which opens the app's DM. */
export function createSlackGateway(client: WebClient): ChatGateway {
  // A message over 50 blocks goes in parts; a retry after a later part failed resumes there.
  const sendParts = createSplitSender();
  return {
    async send(outgoing: Outgoing) {
      try {
        await post(client, outgoing, sendParts);
      } catch (error) {
        throw deliveryError(error);
      }
    },
    async sendFile(file: PrivateFile) {
      // files.uploadV2 shares into a conversation id: open (or find) the app's DM with the person first.
      const opened = await client.conversations.open({ users: file.user });
      const channel = opened.channel?.id;
      if (!channel) throw new DeliveryError('no DM channel for the file');
      await client.files.uploadV2({ channel_id: channel, file: file.content, filename: file.name, title: file.title });
      return { kind: 'chat' };
    },
    async sendImage(image: OutgoingImage) {
      try {
        // files.uploadV2: getUploadURLExternal, the bytes POSTed to the URL it gives, completeUploadExternal sharing it in.
        const channel = image.to.kind === 'channel' ? image.to.channel : (await client.conversations.open({ users: image.to.user })).channel?.id;
        if (!channel) throw new DeliveryError('no DM channel for the chart', undefined, { permanent: true });
        await client.files.uploadV2({ channel_id: channel, file: image.png, filename: image.name, title: image.title, alt_text: image.title });
      } catch (error) {
        throw imageError(error);
      }
    },
  };
}

/**
 * A refused upload as the chart's sender reads it: Slack's own answers (missing_scope for
 * files:write, not_in_channel, …) will not change on a retry; a network fault or 5xx may.
 */
function imageError(error: unknown): unknown {
  const e = error as { code?: string; data?: { error?: string; needed?: string }; message?: string };
  if (e?.code === 'slack_webapi_platform_error') {
    const needed = e.data?.needed ? ` (needs ${e.data.needed})` : '';
    return new DeliveryError(`Slack refused the upload: ${e.data?.error ?? e.message ?? 'error'}${needed}`, undefined, { permanent: true });
  }
  return deliveryError(error);
}

async function post(client: WebClient, { to, message }: Outgoing, sendParts: ReturnType<typeof createSplitSender>): Promise<void> {
  const where = to.kind === 'channel' ? `channel:${to.channel}` : to.kind === 'dm' ? `dm:${to.user}` : `ephemeral:${to.channel}:${to.user}`;
  await sendParts(where, renderSlackParts(message), async (rendered) => {
    switch (to.kind) {
      case 'channel':
        await client.chat.postMessage({ channel: to.channel, ...rendered });
        break;
      case 'dm':
        await client.chat.postMessage({ channel: to.user, ...rendered });
        break;
      case 'ephemeral':
        await client.chat.postEphemeral({ channel: to.channel, user: to.user, ...rendered });
        break;
    }
  });
}
