import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { WSClient, WsFrame } from '@wecom/aibot-node-sdk';
import { scrubText, type Logger } from '../../runtime/logger';
import type { WeComConfig } from '../../config';
import { DeliveryError } from '../gateway';
import { weComDeliveryError } from './errors';

/** Who among the replicas holds the one connection: leases kept where every replica sees them (built by the composition root). */
export interface ConnectionLeases {
  /** Takes the lease `name` for `holder` until `until`, or extends it when `holder` has it: true when `holder` holds it now. */
  acquire(name: string, holder: string, now: DateTime, until: DateTime): Promise<boolean>;
  /** Gives the lease up at once (a clean stop), if `holder` has it. */
  release(name: string, holder: string): Promise<void>;
}

export interface WeComConnectionDeps {
  readonly config: WeComConfig;
  readonly leases: ConnectionLeases;
  readonly logger: Logger;
  /** A message callback (aibot_msg_callback) and an event callback (aibot_event_callback). */
  readonly onMessage: (frame: WsFrame) => Promise<void>;
  readonly onEvent: (frame: WsFrame) => Promise<void>;
  /** This process holds the connection and it is authenticated: what waited may go out. */
  readonly onReady?: () => void;
  /** How long the lease on the connection holds unless renewed (renewed every third of it). */
  readonly leaseMs?: number;
  /**
   * Once kicks keep coming (a connection for this bot from outside this database's replicas),
   * how long before trying again; a single kick is answered by connecting again at once.
   */
  readonly kickedWaitMs?: number;
  /** This many kicks within `contestWindowMs` while holding the lease: something outside keeps taking the connection. */
  readonly contestAfterKicks?: number;
  readonly contestWindowMs?: number;
  /** WeCom closed the connection for another one (every kick), for the operator's count. */
  readonly onKick?: () => void;
  /** The connection is contested (said once each time it starts being so), with the cause in words; and when it is no longer. */
  readonly onContested?: (cause: string) => void;
  readonly onUncontested?: () => void;
  /** A holder that cannot get through to WeCom this long lets the lease go, for another replica to try. */
  readonly giveUpMs?: number;
}

/** Subscribe refusals that mean the Bot ID or Secret is wrong (others, such as -1 "system busy", pass). */
const BAD_CREDENTIALS = new Set([40001, 40013, 40014, 40056, 40058, 40063, 93017, 600001]);
/** Waiting for the connection at start-up, to report refused credentials before going on. */
const FIRST_AUTH_WAIT_MS = 15_000;

/**
 * The smart bot's one long connection, through the official SDK. WeCom lets one
 * connection per bot live (a second kicks the first), so with several replicas one
 * holds it: a lease row in the database decides, renewed while held; a replica that
 * dies stops renewing and another connects once the lease has run out. A kick (a
 * connection from elsewhere) is answered by connecting again at once; kicks that keep coming
 * are reported loudly and tried again only after a while.
 */
export function createWeComConnection(deps: WeComConnectionDeps) {
  const { config, leases, logger } = deps;
  const leaseMs = deps.leaseMs ?? 15_000;
  const kickedWaitMs = deps.kickedWaitMs ?? 60_000;
  const giveUpMs = deps.giveUpMs ?? 30_000;
  const contestAfterKicks = deps.contestAfterKicks ?? 2;
  const contestWindowMs = deps.contestWindowMs ?? 10 * 60_000;
  /** When WeCom closed this process's connection for another one, lately. */
  let kicks: number[] = [];
  let contested = false;
  /** Since when this holder has been without an authenticated connection (epoch ms), or null. */
  let downSince: number | null = null;
  const me = randomUUID();
  const leaseName = `wecom:${config.botId}`;
  let client: WSClient | null = null;
  let authenticated = false;
  let stopped = false;
  let kickedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastError = '';
  let firstAuth: { resolve: () => void; reject: (error: Error) => void } | null = null;

  // The SDK's own log: its debug lines carry message bodies (customer details), never kept.
  const sdkLogger = {
    debug: () => {},
    info: (message: string) => logger.debug({ component: 'wecom-sdk' }, scrubText(message)),
    warn: (message: string) => logger.warn({ component: 'wecom-sdk' }, scrubText(message)),
    error: (message: string) => logger.warn({ component: 'wecom-sdk' }, scrubText(message)),
  };

  async function connect(): Promise<void> {
    const { WSClient } = await import('@wecom/aibot-node-sdk');
    if (stopped) return;
    const next = new WSClient({
      botId: config.botId,
      secret: config.secret,
      wsUrl: config.wsUrl,
      logger: sdkLogger,
      // The SDK backs off (1 s doubling to 30 s) and keeps trying; the lease decides whether to be connected at all.
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
    });
    client = next;
    downSince = Date.now();
    // Without a listener the SDK's errors go nowhere; each different one is reported once.
    next.on('error', (error: Error) => {
      const message = scrubText(error.message);
      const code = Number(/code: (-?\d+)/.exec(message)?.[1] ?? NaN);
      if (/Authentication failed/i.test(message) && BAD_CREDENTIALS.has(code) && firstAuth) {
        firstAuth.reject(new Error(`WeCom refused the smart bot's credentials (WECOM_BOT_ID, WECOM_BOT_SECRET): ${message}`));
        firstAuth = null;
      }
      if (message !== lastError) logger.error({ err: message }, 'WeCom connection error');
      lastError = message;
    });
    next.on('authenticated', () => {
      authenticated = true;
      downSince = null;
      lastError = '';
      logger.info('WeCom smart bot connected');
      firstAuth?.resolve();
      firstAuth = null;
      deps.onReady?.();
    });
    next.on('disconnected', (reason: string) => {
      authenticated = false;
      downSince ??= Date.now();
      if (!stopped) logger.warn({ reason: scrubText(String(reason)) }, 'WeCom connection lost; reconnecting');
    });
    next.on('event.disconnected_event', () => {
      // Another connection for this bot took over. The SDK does not reconnect by itself.
      authenticated = false;
      if (client === next) {
        client = null;
        next.removeAllListeners();
        next.disconnect();
      }
      void onKicked();
    });
    next.on('message', (frame: WsFrame) => void deps.onMessage(frame).catch((error: unknown) => logger.error({ err: error }, 'WeCom message not handled')));
    next.on('event', (frame: WsFrame) => {
      if ((frame.body as { event?: { eventtype?: string } } | undefined)?.event?.eventtype === 'disconnected_event') return;
      void deps.onEvent(frame).catch((error: unknown) => logger.error({ err: error }, 'WeCom event not handled'));
    });
    next.connect();
  }

  /**
   * WeCom closed the connection because another one opened for this bot. When another replica
   * of ours holds the lease now, it is theirs. Otherwise the other connection is outside our
   * lease (a stale one a proxy kept, a deploy's old process): connected again at once. When that
   * keeps happening, another deployment is using this Bot ID: said loudly (an error line with the
   * cause, the operator's hooks: readiness, a metric, a DM), and tried again only after a wait,
   * so the two do not take the connection from each other every second.
   */
  async function onKicked(): Promise<void> {
    deps.onKick?.();
    const now = Date.now();
    kicks = [...kicks.filter((at) => at > now - contestWindowMs), now];
    if (stopped) return;
    const stillMine = await leases.acquire(leaseName, me, DateTime.utc(), DateTime.utc().plus({ milliseconds: leaseMs })).catch(() => true);
    if (stopped) return;
    if (!stillMine) {
      logger.warn('WeCom connection taken over by another replica; standing by');
      return;
    }
    if (kicks.length >= contestAfterKicks) {
      kickedUntil = now + kickedWaitMs;
      const cause =
        `WeCom closed this bot's connection ${kicks.length} times in ${Math.ceil((now - kicks[0]!) / 60_000)} min for another connection with the same WECOM_BOT_ID ` +
        `that no replica on this database holds: another deployment (or a copy on someone's machine) runs with this Bot ID against another database, ` +
        `or a proxy keeps an old connection open. Stop the other one; meanwhile messages to the bot may be lost. Trying again in ${Math.round(kickedWaitMs / 1000)} s.`;
      logger.error({ kicks: kicks.length }, cause);
      if (!contested) {
        contested = true;
        deps.onContested?.(cause);
      }
      return;
    }
    logger.warn('WeCom closed this connection for another one that no replica here holds (a stale connection?); connecting again at once');
    if (!client) await connect();
  }

  function disconnect(): void {
    authenticated = false;
    downSince = null;
    const was = client;
    client = null;
    if (was) {
      was.removeAllListeners();
      was.disconnect();
    }
  }

  /** Takes or renews the lease; connects when it is ours, lets go when it is not. */
  async function tick(): Promise<void> {
    if (stopped) return;
    const now = DateTime.utc();
    // Contested no longer: the connection has stayed up a whole window without a kick.
    if (contested && authenticated && kicks.every((at) => at <= now.toMillis() - contestWindowMs)) {
      contested = false;
      kicks = [];
      logger.info('WeCom connection no longer contested');
      deps.onUncontested?.();
    }
    let held: boolean;
    try {
      held = await leases.acquire(leaseName, me, now, now.plus({ milliseconds: leaseMs }));
    } catch (error) {
      // The database away: a holder keeps its connection (WeCom itself kicks a second one).
      logger.warn({ err: error }, 'WeCom connection lease not renewed');
      return;
    }
    if (stopped) return;
    // Holding the lease but unable to get through to WeCom for a while (a network path, a secret
    // changed): let it go, so a replica that can reach WeCom connects instead.
    if (held && client && !authenticated && downSince !== null && now.toMillis() - downSince > giveUpMs) {
      logger.error({ forMs: now.toMillis() - downSince }, 'WeCom unreachable from this replica; letting another take the connection');
      disconnect();
      kickedUntil = now.toMillis() + leaseMs;
      await leases.release(leaseName, me).catch(() => {});
      return;
    }
    // After repeated kicks the lease is kept (so no replica of ours joins the tug of war) but nothing connects until the wait ends.
    if (held && !client && now.toMillis() >= kickedUntil) await connect();
    else if (!held && client) {
      logger.warn('WeCom connection taken over by another replica; disconnecting');
      disconnect();
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(schedule), leaseMs / 3);
    timer.unref?.();
  }

  const requireClient = (): WSClient => {
    if (!client || !authenticated) throw new DeliveryError('WeCom connection not up', 5_000);
    return client;
  };

  async function stop(): Promise<void> {
    stopped = true;
    if (timer) clearTimeout(timer);
    disconnect();
    await leases.release(leaseName, me).catch(() => {});
  }

  return Object.freeze({
    /**
     * Takes the lease when free and connects; when this process connects, waits for the
     * first authentication so refused credentials stop start-up with one clear line.
     */
    async start(): Promise<void> {
      const authenticatedOnce = new Promise<void>((resolve, reject) => (firstAuth = { resolve, reject }));
      authenticatedOnce.catch(() => {});
      await tick();
      schedule();
      if (!client) {
        firstAuth = null;
        logger.info('another replica holds the WeCom connection; standing by');
        return;
      }
      const waited = await Promise.race([authenticatedOnce.then(() => 'ok' as const), new Promise<'slow'>((r) => setTimeout(() => r('slow'), FIRST_AUTH_WAIT_MS).unref?.())]).catch(
        async (error: unknown) => {
          await stop();
          throw error;
        },
      );
      if (waited === 'slow') {
        firstAuth = null;
        logger.warn('WeCom did not answer within 15 s; still trying');
      }
    },
    stop,
    /** Connected and authenticated (this replica holds the connection). */
    connected: () => authenticated,
    /** Something outside this database's replicas keeps taking the connection (see onKicked). */
    contested: () => contested,
    /** Whether this replica holds the connection's lease (connected or connecting); false while standing by. */
    holding: () => client !== null,
    /** Whether this replica may send now: only the holder of the connection can. */
    canSend: () => authenticated && client !== null,
    /** A proactive message to a person (their userid) or a group (its chatid). */
    async send(chatid: string, chatType: 'single' | 'group', body: Record<string, unknown>): Promise<void> {
      try {
        // chat_type: 1 a person, 2 a group (the SDK spreads the body into the frame).
        await requireClient().sendMessage(chatid, { ...body, chat_type: chatType === 'group' ? 2 : 1 } as never);
      } catch (error) {
        throw weComDeliveryError(error);
      }
    },
    /**
     * A file or picture uploaded over the connection (aibot_upload_media_init, _chunk, _finish):
     * its media id, for a file or image message in a conversation.
     */
    async upload(name: string, content: Buffer, type: 'file' | 'image' = 'file'): Promise<string> {
      try {
        const { media_id } = await requireClient().uploadMedia(content, { type, filename: name });
        return media_id;
      } catch (error) {
        throw weComDeliveryError(error);
      }
    },
    /** An answer to the message or event `frame` came with. */
    async reply(frame: WsFrame, body: Record<string, unknown>, cmd?: string): Promise<void> {
      try {
        await requireClient().reply(frame, body, cmd);
      } catch (error) {
        throw weComDeliveryError(error);
      }
    },
  });
}

export type WeComConnection = ReturnType<typeof createWeComConnection>;
