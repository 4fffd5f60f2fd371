import type { WsFrame } from '@wecom/aibot-node-sdk';
import type { Logger } from '../../runtime/logger';
import type { WeComConfig } from '../../config';
import type { Clock } from '../../core/time/clock';
import { NO_METRICS, type Metrics } from '../../runtime/metrics';
import { t, type Lang } from '../../i18n';
import { createMalformedReporter, type MalformedReporter } from '../malformed';
import { textMessage } from '../message';
import type { Directory } from '../conversation/directory';
import { createWeComApp, type WeComApp } from './app-api';
import { createBotChats, type BotChatStore } from './bot-chats';
import { createWeComConnection, type ConnectionLeases, type WeComConnection } from './connection';
import { createWeComGateway, type WeComGateway } from './gateway';
import { createLanes, type SendBudget } from './lanes';

export interface WeComChatDeps {
  readonly config: WeComConfig;
  /** What it keeps where every replica sees it: the connection's lease, the send budgets, who wrote to the smart bot. */
  readonly storage: { readonly leases: ConnectionLeases; readonly budget: SendBudget; readonly botChats: BotChatStore };
  /** Names of the people and teams a message mentions. */
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly exportDir: string;
  readonly onReady: () => void;
  readonly metrics?: Metrics;
  /** Who is told when something outside this bot keeps taking its connection. */
  readonly bootstrapAdmins?: readonly string[];
  readonly defaultLang?: Lang;
}

/** The smart bot's callbacks, given what they answer with and where a callback it cannot read is reported. */
export type WeComListeners = (parts: { readonly gateway: WeComGateway; readonly connection: WeComConnection; readonly malformed: MalformedReporter }) => {
  onMessage: (frame: WsFrame) => Promise<void>;
  onEvent: (frame: WsFrame) => Promise<void>;
};

/** WeCom's outbound side, made before the bot's services (the outbox needs the gateway); the callbacks are bound when it starts. */
export function weComChat(deps: WeComChatDeps) {
  const metrics = deps.metrics ?? NO_METRICS;
  const handlers: ReturnType<WeComListeners> = {
    onMessage: async () => {},
    onEvent: async () => {},
  };
  // The bootstrap admins hear of a contested connection once per episode, when a message can reach them.
  let tellAdmins: (() => Promise<void>) | null = null;
  const connection = createWeComConnection({
    config: deps.config,
    leases: deps.storage.leases,
    logger: deps.logger.child({ component: 'wecom' }),
    onMessage: (frame) => handlers.onMessage(frame),
    onEvent: (frame) => handlers.onEvent(frame),
    onReady: () => {
      deps.onReady();
      void tellAdmins?.();
    },
    onKick: () => metrics.chatKicked('wecom'),
    onContested: () => {
      metrics.chatContested('wecom', true);
      const pending = new Set(deps.bootstrapAdmins ?? []);
      const lang = deps.defaultLang ?? 'zh-CN';
      const message = { ...textMessage(t(lang, 'wecom.contested', { botId: deps.config.botId })), lang } as const;
      tellAdmins = async () => {
        for (const admin of [...pending]) {
          await gateway.send({ to: { kind: 'dm', user: admin }, message }).then(
            () => pending.delete(admin),
            (error: unknown) => deps.logger.warn({ err: error }, 'could not tell a bootstrap admin that the WeCom connection is contested; trying when it is back'),
          );
        }
        if (pending.size === 0) tellAdmins = null;
      };
      void tellAdmins();
    },
    onUncontested: () => metrics.chatContested('wecom', false),
  });
  const app = deps.config.app ? createWeComApp({ ...deps.config.app, clock: deps.clock }) : null;
  const gateway = createWeComGateway({
    connection,
    app,
    lanes: createLanes({ budget: deps.storage.budget, clock: deps.clock }),
    chats: createBotChats(deps.storage.botChats, deps.clock),
    directory: deps.directory,
    logger: deps.logger,
    exportDir: deps.exportDir,
  });
  return { connection, app, gateway, handlers };
}

export interface WeComDeps {
  readonly chat: { connection: WeComConnection; app: WeComApp | null; gateway: WeComGateway; handlers: ReturnType<WeComListeners> };
  /** The listeners, bound by the composition root. */
  readonly listeners: WeComListeners;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

/**
 * The smart bot on WeCom: checks the self-built app's credentials when there is one (a
 * refusal stops start-up with one clear line), binds the callbacks to their listeners,
 * and takes the connection when no other replica holds it.
 */
export async function startWeCom(deps: WeComDeps): Promise<{ stop: () => Promise<void>; connected: () => boolean }> {
  const { chat, logger } = deps;
  if (chat.app)
    await chat.app.checkCredentials().catch((error: unknown) => {
      if ((error as Error).name === 'WeComAppCredentialsError') throw error;
      logger.warn({ err: (error as Error).message }, 'WeCom app token call failed at start-up; carrying on');
    });
  const malformed = createMalformedReporter({ platform: 'wecom', logger, metrics: deps.metrics ?? NO_METRICS });
  const callbacks = deps.listeners({ gateway: chat.gateway, connection: chat.connection, malformed });
  chat.handlers.onMessage = callbacks.onMessage;
  chat.handlers.onEvent = callbacks.onEvent;
  await chat.connection.start();
  // Ready while connected, or standing by for another replica; never while something outside keeps taking the connection.
  return { stop: chat.connection.stop, connected: () => !chat.connection.contested() && (chat.connection.connected() || !chat.connection.holding()) };
}
