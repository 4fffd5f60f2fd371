import type { Logger } from '../../runtime/logger';
import { NO_METRICS, type Metrics } from '../../runtime/metrics';
import { createMalformedReporter, type MalformedReporter } from '../malformed';
import type { DingTalkConfig } from '../../config';
import { DeliveryError } from '../gateway';
import type { DingTalkApi } from './api';
import type { DingTalkGateway } from './gateway';
import { createStreamClient } from './stream';

/** The robot's callbacks by Stream topic, given what they answer with and where a callback it cannot read is reported. */
export type DingTalkListeners = (parts: { readonly robot: DingTalkGateway; readonly api: DingTalkApi; readonly malformed: MalformedReporter }) => ReadonlyMap<string, (data: string) => Promise<void>>;

export interface DingTalkDeps {
  readonly config: DingTalkConfig;
  readonly api: DingTalkApi;
  /** The robot itself, for answers through a message's session webhook. */
  readonly robot: DingTalkGateway;
  /** The listeners, bound by the composition root. */
  readonly listeners: DingTalkListeners;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

/**
 * The robot on DingTalk: checks the credentials (a refusal rejects, so start-up
 * stops with one clear line), then listens on the Stream connection and hands each
 * callback to its listener.
 */
export async function startDingTalk(deps: DingTalkDeps): Promise<{ stop: () => Promise<void>; connected: () => boolean }> {
  const { config: dingtalk, logger } = deps;
  try {
    await deps.api.checkCredentials();
  } catch (error) {
    // DingTalk unreachable just now is not a reason to stop: the connection keeps trying.
    if (!(error instanceof DeliveryError)) throw error;
    logger.warn({ err: error.message }, 'DingTalk token call failed at start-up; carrying on');
  }
  const malformed = createMalformedReporter({ platform: 'dingtalk', logger, metrics: deps.metrics ?? NO_METRICS });
  const callbacks = deps.listeners({ robot: deps.robot, api: deps.api, malformed });
  const stream = createStreamClient({
    apiUrl: dingtalk.apiUrl,
    clientId: dingtalk.clientId,
    clientSecret: dingtalk.clientSecret,
    logger: logger.child({ component: 'dingtalk-stream' }),
    onCallback: async (topic, data) => {
      const callback = callbacks.get(topic);
      if (callback) await callback(data);
      else malformed('unknown-topic', { topic: topic.slice(0, 100) });
    },
    onMalformed: (kind) => malformed(kind),
  });
  await stream.start();
  return { stop: stream.stop, connected: stream.connected };
}
