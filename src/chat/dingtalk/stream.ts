import WebSocket from 'ws';
import { z } from 'zod';
import type { Logger } from '../../runtime/logger';
import { DingTalkCredentialsError } from './api';

/** The robot's message topic on DingTalk's Stream gateway. */
export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
/** Clicks on the robot's interactive cards (a CALLBACK subscription, like robot messages). */
export const CARD_TOPIC = '/v1.0/card/instances/callback';

export interface StreamClientOptions {
  /** api.dingtalk.com: where `connections/open` hands out an endpoint and a ticket. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly logger: Logger;
  /** A callback on a topic (a robot message): its data, as DingTalk's JSON string. Acknowledged when it settles. */
  readonly onCallback: (topic: string, data: string) => Promise<void>;
  /** The first wait before reconnecting; it doubles up to `maxBackoffMs`, with jitter. */
  readonly firstBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long `connections/open` and the WebSocket handshake may take. */
  readonly openTimeoutMs?: number;
  /** A WebSocket ping this often; no pong by the next one and the socket is dropped and reopened. */
  readonly pingEveryMs?: number;
  /** A callback still running after this long is acknowledged anyway, so DingTalk does not push it again meanwhile. */
  readonly ackWithinMs?: number;
  /** A frame it cannot read (acknowledged when it carries a message id, so it is not pushed again). */
  readonly onMalformed?: (kind: string) => void;
}

const openSchema = z.object({ endpoint: z.string().min(1), ticket: z.string().min(1) });
const frameSchema = z.object({
  type: z.string(),
  headers: z.looseObject({ topic: z.string().optional(), messageId: z.string().optional(), contentType: z.string().optional() }),
  data: z.string().optional(),
});

/** The gateway's answer to `connections/open` when it was not an endpoint. */
class OpenRefused extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`connections/open: HTTP ${status} ${detail}`.trim());
  }
}

/**
 * A thin client for DingTalk's Stream mode on `ws` (dingtalk-stream 2.1.5 has a
 * reconnect storm that `disconnect()` cannot stop, and a `connect()` that never
 * rejects). One connection at a time: a refused handshake, a dropped socket or a
 * silent one is reopened after a capped, jittered backoff; a `disconnect` frame
 * opens the next connection before the old one closes; `stop()` ends every attempt.
 * Credentials refused at the first connection reject `start()`, once.
 */
export function createStreamClient(options: StreamClientOptions) {
  const { logger } = options;
  const firstBackoffMs = options.firstBackoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const openTimeoutMs = options.openTimeoutMs ?? 10_000;
  const pingEveryMs = options.pingEveryMs ?? 20_000;
  const ackWithinMs = options.ackWithinMs ?? 10_000;

  let stopped = false;
  let socket: WebSocket | null = null;
  let connecting = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let opening: AbortController | null = null;
  let lastImmediate = 0;
  const inFlight = new Set<Promise<void>>();

  async function openConnection(): Promise<WebSocket> {
    opening = new AbortController();
    const signal = AbortSignal.any([opening.signal, AbortSignal.timeout(openTimeoutMs)]);
    const response = await fetch(`${options.apiUrl}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        ua: 'cs-bot',
        subscriptions: [
          { type: 'EVENT', topic: '*' },
          { type: 'CALLBACK', topic: ROBOT_TOPIC },
          { type: 'CALLBACK', topic: CARD_TOPIC },
        ],
      }),
      signal,
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: reported below with the status
    }
    const parsed = openSchema.safeParse(body);
    if (response.status !== 200 || !parsed.success) throw new OpenRefused(response.status, text.slice(0, 120));
    // Stopped while the answer came in (a body already read does not notice the abort): no socket after stop().
    signal.throwIfAborted();
    const url = `${parsed.data.endpoint}${parsed.data.endpoint.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(parsed.data.ticket)}`;
    const ws = new WebSocket(url, { handshakeTimeout: openTimeoutMs });
    // Frames are handled from the first one: it can arrive with the handshake's answer.
    ws.on('message', (raw) => onFrame(ws, String(raw)));
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        ws.terminate();
        reject(error);
      };
      ws.once('open', () => {
        settled = true;
        resolve();
      });
      ws.on('error', (error) => {
        if (!settled) fail(error);
        else logger.warn({ err: error.message }, 'DingTalk Stream socket error');
      });
      ws.once('unexpected-response', (_req, res) => fail(new Error(`WebSocket handshake refused: HTTP ${res.statusCode}`)));
      signal.addEventListener('abort', () => fail(new Error('stopped')), { once: true });
    });
    return ws;
  }

  /**
   * Connects once; on failure schedules the next try. Resolves when this attempt has
   * settled. `first`: the start-up attempt, whose refused credentials reject.
   */
  async function connect(first = false, replacing = false): Promise<void> {
    // One attempt at a time, and none while a good connection stands (unless it is being replaced).
    if (stopped || connecting || (!replacing && socket?.readyState === WebSocket.OPEN)) return;
    connecting = true;
    let failed = false;
    try {
      const ws = await openConnection();
      if (stopped) {
        ws.close(1000);
        return;
      }
      adopt(ws);
    } catch (error) {
      if (stopped) return;
      const refused = error instanceof OpenRefused && (error.status === 401 || error.status === 403 || error.status === 400);
      if (first && refused) throw new DingTalkCredentialsError(error.message);
      failures++;
      failed = true;
      // Credentials refused later (rotated, revoked) are an operator's to fix; keep trying, slowly, loudly.
      if (refused) logger.error({ err: error.message, failures }, 'DingTalk Stream refused the credentials; retrying');
      else logger.warn({ err: error instanceof Error ? error.message : String(error), failures }, 'DingTalk Stream connection failed; retrying');
    } finally {
      connecting = false;
      opening = null;
    }
    if (failed) scheduleReconnect();
  }

  function scheduleReconnect(now = false): void {
    if (stopped || retry || connecting) return;
    // Equal jitter: half the doubled wait, plus up to half again at random. The backoff
    // starts over only once a connection has stayed up a while (a gateway that accepts
    // and drops at once is not hammered), and an asked-for reconnect is immediate at
    // most once in a while.
    const base = Math.min(maxBackoffMs, firstBackoffMs * 2 ** Math.max(0, failures - 1));
    const immediate = now && Date.now() - lastImmediate > 5_000;
    if (immediate) lastImmediate = Date.now();
    const delay = immediate ? 0 : Math.round(base / 2 + (Math.random() * base) / 2);
    retry = setTimeout(() => {
      retry = undefined;
      void connect(false, immediate).catch((error: unknown) => logger.error({ err: error }, 'DingTalk Stream connection failed'));
    }, delay);
  }

  function adopt(ws: WebSocket): void {
    const previous = socket;
    socket = ws;
    logger.info('DingTalk Stream connected');
    let alive = true;
    const stableTimer = setTimeout(() => (failures = 0), 30_000);
    const pinger = setInterval(() => {
      if (!alive) {
        logger.warn('DingTalk Stream went silent; reconnecting');
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, pingEveryMs);
    ws.on('pong', () => (alive = true));
    ws.on('message', () => (alive = true));
    ws.on('close', (code) => {
      clearInterval(pinger);
      clearTimeout(stableTimer);
      if (socket !== ws) return;
      socket = null;
      // A replacement already under way (a `disconnect` frame) takes over; no second one.
      if (stopped || connecting) return;
      failures++;
      logger.warn({ code, failures }, 'DingTalk Stream connection closed; reconnecting');
      scheduleReconnect();
    });
    // A connection that replaced one being retired (a `disconnect` frame) closes the old one now.
    if (previous && previous !== ws) previous.close(1000);
  }

  function reply(ws: WebSocket, frame: object): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function onFrame(ws: WebSocket, raw: string): void {
    const ackId = (messageId: string, payload: object) => reply(ws, { code: 200, headers: { contentType: 'application/json', messageId }, message: 'OK', data: JSON.stringify(payload) });
    // A frame it cannot read is acknowledged when its message id can be found, so it is not pushed again.
    const unreadable = (kind: string, messageId: string | undefined) => {
      options.onMalformed?.(kind);
      if (messageId) ackId(messageId, { response: null });
    };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      unreadable('not-json', /"messageId"\s*:\s*"([^"\\]{1,200})"/.exec(raw)?.[1]);
      return;
    }
    const frame = frameSchema.safeParse(json);
    if (!frame.success) {
      const id = (json as { headers?: { messageId?: unknown } } | null)?.headers?.messageId;
      unreadable('bad-frame', typeof id === 'string' ? id : undefined);
      return;
    }
    const { type, headers, data } = frame.data;
    const messageId = headers.messageId ?? '';
    const ack = (payload: object) => ackId(messageId, payload);
    if (type === 'SYSTEM') {
      if (headers.topic === 'ping') reply(ws, { code: 200, headers, message: 'OK', data: data ?? '' });
      else if (headers.topic === 'disconnect') {
        // The gateway closes this connection about 10 s from now: open the next one first.
        logger.info('DingTalk Stream asked to reconnect');
        scheduleReconnect(true);
      }
      return;
    }
    if (type === 'EVENT') {
      ack({ status: 'SUCCESS', message: 'success' });
      return;
    }
    if (type !== 'CALLBACK') {
      unreadable('unknown-type', messageId);
      return;
    }
    // Stopping: a message now is left unacknowledged, so DingTalk gives it to another connection.
    if (stopped) return;
    // Acknowledged once handled (so a crash meanwhile lets DingTalk push it again), or
    // after `ackWithinMs` if the handler is slow; duplicates are dropped by the handler.
    let acked = false;
    const ackOnce = () => {
      if (acked) return;
      acked = true;
      ack({ response: null });
    };
    const timer = setTimeout(ackOnce, ackWithinMs);
    const work = options
      .onCallback(headers.topic ?? '', data ?? '')
      .catch((error: unknown) => logger.error({ err: error }, 'DingTalk callback failed'))
      .finally(() => {
        clearTimeout(timer);
        ackOnce();
        inFlight.delete(work);
      });
    inFlight.add(work);
  }

  return Object.freeze({
    /**
     * Connects. Rejects with DingTalkCredentialsError when the gateway refuses the
     * credentials on the first try; other failures are retried in the background.
     */
    async start(): Promise<void> {
      stopped = false;
      await connect(true);
    },
    /** Whether a connection is open now. */
    connected: () => socket?.readyState === WebSocket.OPEN,
    /** Ends every attempt and the connection, after the callbacks under way have settled. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retry);
      retry = undefined;
      opening?.abort();
      await Promise.allSettled([...inFlight]);
      const ws = socket;
      socket = null;
      if (ws && ws.readyState === WebSocket.OPEN) {
        await new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000);
          setTimeout(() => {
            ws.terminate();
            resolve();
          }, 1000).unref();
        });
      } else ws?.terminate();
    },
  });
}

export type StreamClient = ReturnType<typeof createStreamClient>;
