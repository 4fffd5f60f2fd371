import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../runtime/logger';
import type { SlackMode } from '../../config';
import { maskingGateway, type ChatGateway } from '../gateway';
import { createSlackGateway } from './gateway';
import { leanFetch } from './lean-fetch';

/** Bolt's logger interface on top of ours, so Bolt's lines are scrubbed and formatted like the rest. */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  const line = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    debug: (...args) => child.debug(line(args)),
    info: (...args) => child.info(line(args)),
    warn: (...args) => child.warn(line(args)),
    error: (...args) => child.error(line(args)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** Binds the listeners to the Bolt app; `gateway` answers through the app's own client, masked like every send. */
export type SlackListeners = (app: App, gateway: ChatGateway) => void;

export interface SlackDeps {
  readonly slack: SlackMode;
  readonly slackApiUrl?: string;
  readonly listeners: SlackListeners;
  readonly logger: Logger;
}

/** The Bolt app with the listeners bound: Socket Mode with an app token, otherwise HTTP at /slack/events. */
export function createSlackApp(deps: SlackDeps): App {
  const { slack, logger } = deps;
  const clientOptions = { fetch: leanFetch, ...(deps.slackApiUrl ? { slackApiUrl: deps.slackApiUrl } : {}) };
  const app =
    slack.kind === 'socket'
      ? new App({ token: slack.botToken, appToken: slack.appToken, socketMode: true, logger: boltLogger(logger), clientOptions, convoStore: false })
      : new App({
          token: slack.botToken,
          clientOptions,
          logger: boltLogger(logger),
          // We keep no conversation state in Bolt; its default in-memory store costs time on every request.
          convoStore: false,
          // Signature verification stays on: HTTPReceiver checks every request's signature and age.
          receiver: new HTTPReceiver({ signingSecret: slack.signingSecret, endpoints: '/slack/events', logger: boltLogger(logger) }),
        });
  deps.listeners(app, maskingGateway(createSlackGateway(app.client)));
  app.error(async (error) => {
    logger.error({ err: error }, 'slack listener failed');
  });
  return app;
}

/**
 * A Web API client for the reminder outbox: it fails fast on a rate limit or an
 * outage instead of waiting and retrying inside the call, so the outbox can put
 * the reminder back (honouring Retry-After) and carry on with the others.
 */
export function createOutboxClient(botToken: string, slackApiUrl: string | undefined, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(botToken, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    fetch: leanFetch,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: boltLogger(logger),
  });
}

/** Starts the app; in HTTP mode resolves with the listening server. */
export async function startSlack(deps: SlackDeps): Promise<{ server: Server | null; stop: () => Promise<void> }> {
  const app = createSlackApp(deps);
  const started = deps.slack.kind === 'http' ? await app.start(deps.slack.port) : await app.start();
  const server = deps.slack.kind === 'http' ? (started as Server) : null;
  return { server, stop: () => app.stop().then(() => undefined) };
}
