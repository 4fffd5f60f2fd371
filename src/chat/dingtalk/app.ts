import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { dingtalkCallbacks } from '../../../handlers/dingtalk';
import type { CommandService } from '../../app/command-service';
import type { Logger } from '../../app/logger';
import type { DingTalkConfig } from '../../config';
import type { Clock } from '../../core/clock';
import { createInboundHandler } from '../conversation/inbound';
import type { LogForm } from '../conversation/log-form';
import { DeliveryError, type ChatGateway } from '../gateway';
import type { Pacer } from '../pacer';
import type { Lang } from '../../i18n';
import type { DingTalkApi } from './api';
import type { DingTalkGateway } from './gateway';
import { createStreamClient } from './stream';

export interface DingTalkDeps {
  readonly config: DingTalkConfig;
  readonly db: Kysely<Database>;
  readonly api: DingTalkApi;
  /** Sends as every sender does (through the one masking step). */
  readonly gateway: ChatGateway;
  /** The robot itself, for answers through a message's session webhook. */
  readonly robot: DingTalkGateway;
  readonly service: CommandService;
  readonly forms: LogForm;
  readonly pacer: Pacer;
  readonly defaultLang: Lang;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The robot on DingTalk: checks the credentials (a refusal rejects, so start-up
 * stops with one clear line), then listens on the Stream connection and hands each
 * robot message to the inbound handler.
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
  const inbound = createInboundHandler({
    platform: 'dingtalk',
    db: deps.db,
    service: deps.service,
    forms: deps.forms,
    gateway: deps.gateway,
    pacer: deps.pacer,
    clock: deps.clock,
    logger,
    defaultLang: deps.defaultLang,
  });
  const callbacks = dingtalkCallbacks({ inbound, gateway: deps.robot, logger });
  const stream = createStreamClient({
    apiUrl: dingtalk.apiUrl,
    clientId: dingtalk.clientId,
    clientSecret: dingtalk.clientSecret,
    logger: logger.child({ component: 'dingtalk-stream' }),
    onCallback: async (topic, data) => {
      const callback = callbacks.get(topic);
      if (callback) await callback(data);
      else logger.debug({ topic }, 'DingTalk callback on a topic we do not use');
    },
  });
  await stream.start();
  return { stop: stream.stop, connected: stream.connected };
}
