import type { Logger } from '../../runtime/logger';
import type { Metrics } from '../../runtime/metrics';
import type { DingTalkConfig } from '../../config';
import type { Directory } from '../conversation/directory';
import { createDingTalkApi } from './api';
import { startDingTalk, type DingTalkListeners } from './app';
import type { GroupCardsSettings } from './cards';
import { createDingTalkGateway } from './gateway';

export type { DingTalkListeners } from './app';

export interface DingTalkPlatformDeps {
  readonly config: DingTalkConfig;
  /** Names of the people and teams a message mentions. */
  readonly directory: Directory;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly exportDir: string;
  /** How long a person DingTalk flow-controlled waits (a minute unless a test says otherwise). */
  readonly flowControlWaitMs?: number;
  /** Group messages with buttons as interactive cards, where they are kept, and whom to tell when DingTalk refuses them. */
  readonly cards?: GroupCardsSettings;
}

/** DingTalk: the robot's API and gateway, and the Stream connection, started with the listeners the composition root binds. */
export function createDingTalkPlatform(deps: DingTalkPlatformDeps) {
  const { config, logger, metrics } = deps;
  const api = createDingTalkApi({ ...config, logger: logger.child({ component: 'dingtalk-api' }) });
  const gateway = createDingTalkGateway({
    api,
    directory: deps.directory,
    logger,
    exportDir: deps.exportDir,
    ...(deps.flowControlWaitMs ? { flowControlWaitMs: deps.flowControlWaitMs } : {}),
    ...(deps.cards ? { cards: deps.cards } : {}),
  });
  return {
    gateway,
    start: (listeners: DingTalkListeners) => startDingTalk({ config, api, robot: gateway, listeners, logger, metrics }),
  };
}
