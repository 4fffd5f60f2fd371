import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import type { WsFrame } from '@wecom/aibot-node-sdk';
import { wecomCallbacks } from '../../../handlers/wecom';
import type { Logger } from '../../app/logger';
import type { WeComConfig } from '../../config';
import type { Clock } from '../../core/clock';
import type { Lang } from '../../i18n';
import { createDirectory } from '../conversation/directory';
import type { InboundHandler } from '../conversation/inbound';
import { createWeComApp, type WeComApp } from './app-api';
import { createBotChats } from './bot-chats';
import { createWeComConnection, type WeComConnection } from './connection';
import { createWeComGateway, type WeComGateway } from './gateway';
import { createLanes } from './lanes';

/** WeCom's outbound side, made before the bot's services (the outbox needs the gateway); the callbacks are bound when it starts. */
export function weComChat(deps: { config: WeComConfig; db: Kysely<Database>; clock: Clock; logger: Logger; exportDir: string; onReady: () => void }) {
  const handlers: { onMessage: (frame: WsFrame) => Promise<void>; onEvent: (frame: WsFrame) => Promise<void> } = {
    onMessage: async () => {},
    onEvent: async () => {},
  };
  const connection = createWeComConnection({
    config: deps.config,
    db: deps.db,
    logger: deps.logger.child({ component: 'wecom' }),
    onMessage: (frame) => handlers.onMessage(frame),
    onEvent: (frame) => handlers.onEvent(frame),
    onReady: deps.onReady,
  });
  const app = deps.config.app ? createWeComApp({ ...deps.config.app, clock: deps.clock }) : null;
  const gateway = createWeComGateway({
    connection,
    app,
    lanes: createLanes({ db: deps.db, clock: deps.clock }),
    chats: createBotChats(deps.db, deps.clock),
    directory: createDirectory(deps.db, 'wecom'),
    logger: deps.logger,
    exportDir: deps.exportDir,
  });
  return { connection, app, gateway, handlers };
}

export interface WeComDeps {
  readonly chat: { connection: WeComConnection; app: WeComApp | null; gateway: WeComGateway; handlers: ReturnType<typeof weComChat>['handlers'] };
  /** What handles each message (the platform-neutral part). */
  readonly inbound: InboundHandler;
  readonly defaultLang: Lang;
  readonly logger: Logger;
}

/**
 * The smart bot on WeCom: checks the self-built app's credentials when there is one (a
 * refusal stops start-up with one clear line), binds the callbacks to the inbound handler,
 * and takes the connection when no other replica holds it.
 */
export async function startWeCom(deps: WeComDeps): Promise<{ stop: () => Promise<void>; connected: () => boolean }> {
  const { chat, logger } = deps;
  if (chat.app) await chat.app.checkCredentials().catch((error: unknown) => {
    if ((error as Error).name === 'WeComAppCredentialsError') throw error;
    logger.warn({ err: (error as Error).message }, 'WeCom app token call failed at start-up; carrying on');
  });
  const callbacks = wecomCallbacks({ inbound: deps.inbound, gateway: chat.gateway, connection: chat.connection, logger, defaultLang: deps.defaultLang });
  chat.handlers.onMessage = callbacks.onMessage;
  chat.handlers.onEvent = callbacks.onEvent;
  await chat.connection.start();
  return { stop: chat.connection.stop, connected: () => chat.connection.connected() || !chat.connection.holding() };
}
