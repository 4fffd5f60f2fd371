import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDatabaseUnavailable } from '../../../db/availability';
import { intakeRepository } from '../../../db/repositories/intake';
import type { ChatGateway } from '../../chat/gateway';
import type { Outgoing } from '../../chat/message';
import type { CommandServiceDeps } from '../commands/requests';
import { NO_METRICS } from '../../runtime/metrics';
import { sourceIdHash } from './admin';
import { createCallIntake } from './calls';
import { readCti, type FieldProblem } from './cti';
import { createEventIntake, verifySignature } from './events';
import { createRateLimiter } from './rate-limit';

/** What the intake server refuses, and how long it waits. */
export interface IntakeLimits {
  /** The largest body read; a larger one is answered 413 unread. */
  readonly maxBodyBytes: number;
  /** Events a source may post per second on one replica, and the burst allowed above it. */
  readonly perSecond: number;
  readonly burst: number;
  /** A sender must have sent the whole request within this (a slow sender gets 408 and the connection closes). */
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
}

const DEFAULT_INTAKE_LIMITS: IntakeLimits = { maxBodyBytes: 64 * 1024, perSecond: 50, burst: 100, requestTimeoutMs: 10_000, headersTimeoutMs: 5_000 };

/** How long a sender is asked to wait while the database is away. */
const RETRY_AFTER_UNAVAILABLE_S = 5;

export interface IntakeServerDeps extends CommandServiceDeps {
  /** Where the DMs go: the same masked gateway as every other message of the bot. */
  readonly gateway: ChatGateway;
  readonly port: number;
  readonly host: string;
  readonly limits?: Partial<IntakeLimits>;
}

export interface IntakeServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** An answer: its status, its JSON body and its headers; `{ error: { code, message } }` for a refusal. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}
const refusal = (status: number, code: string, message: string, headers?: Record<string, string>): Answer => ({ status, body: { error: { code, message } }, ...(headers ? { headers } : {}) });
const problemAnswer = (p: FieldProblem): Answer => ({ status: 400, body: { error: { code: p.code, ...(p.field ? { field: p.field } : {}), message: p.message } } });

const ROUTE = /^\/intake\/([A-Za-z0-9_-]{16,64})\/(cti|events)$/;

/**
 * The intake's own HTTP port (`INTAKE_PORT`): `POST /intake/<id>/cti` for a phone system
 * (Zammad's generic CTI; the id in the address is the credential) and
 * `POST /intake/<id>/events` for signed events (Standard Webhooks). No other routes. Bodies
 * are limited before they are read, slow senders time out, each source is rate-limited, and
 * while the database is away every post is answered 503 with Retry-After, nothing written.
 * Logs name the team and the outcome, never a number, a secret or an address's id.
 */
export async function startIntakeServer(deps: IntakeServerDeps): Promise<IntakeServer> {
  const { db, logger, gateway } = deps;
  const metrics = deps.metrics ?? NO_METRICS;
  const limits = { ...DEFAULT_INTAKE_LIMITS, ...deps.limits };
  const calls = createCallIntake(deps);
  const events = createEventIntake(deps);
  const limiter = createRateLimiter(limits.perSecond, limits.burst);

  function send(res: ServerResponse, answer: Answer): void {
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...answer.headers });
    res.end(body);
  }

  /** Sends what a saved event caused, after the sender has its answer; a chat that fails loses a notice, never the contact. */
  function deliver(notices: readonly Outgoing[], started: number, openedMissed: boolean): void {
    if (notices.length === 0) return;
    void (async () => {
      for (const notice of notices) {
        try {
          await gateway.send(notice);
        } catch (error) {
          logger.warn({ err: error }, 'an intake notice could not be sent');
        }
      }
      if (openedMissed) metrics.missedCallDm((performance.now() - started) / 1000);
    })();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const route = ROUTE.exec((req.url ?? '').split('?')[0]!);
    if (!route) return send(res, refusal(404, 'not_found', 'no such address'));
    if (req.method !== 'POST') return send(res, refusal(405, 'method_not_allowed', 'POST only', { allow: 'POST' }));
    const [, id, protocol] = route as unknown as [string, string, 'cti' | 'events'];
    const count = (type: string, outcome: string) => metrics.intakeEvent(protocol, type, outcome);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limits.maxBodyBytes) {
      count('unknown', 'too_large');
      return refuseUnread(res, refusal(413, 'too_large', `the body is over ${limits.maxBodyBytes} bytes`));
    }
    const idHash = sourceIdHash(id);
    const wait = limiter.take(idHash);
    if (wait > 0) {
      count('unknown', 'rate_limited');
      return refuseUnread(
        res,
        refusal(429, 'rate_limited', `more than ${limits.perSecond} events a second (bursts of ${limits.burst}) from one source`, { 'retry-after': String(Math.ceil(wait / 1000)) }),
      );
    }
    const body = await readBody(req, limits.maxBodyBytes);
    if (body === null) {
      count('unknown', 'too_large');
      return refuseUnread(res, refusal(413, 'too_large', `the body is over ${limits.maxBodyBytes} bytes`));
    }
    try {
      const source = await intakeRepository.byIdHash(db, idHash);
      if (!source) {
        count('unknown', 'unknown_source');
        return send(res, refusal(404, 'not_found', 'no such address'));
      }
      if (protocol === 'events') {
        // Anything about why a signature failed would help a forger: one answer for all of it.
        if (!verifySignature(body, req.headers, source, deps.clock.now())) {
          count('unknown', 'unauthorized');
          return send(res, refusal(401, 'unauthorized', 'signature or timestamp not accepted'));
        }
        const receipt = await events.receive(source.team, String(req.headers['webhook-id']), body);
        count(receipt.type, receipt.outcome);
        send(res, { status: receipt.status, body: receipt.body });
        return deliver(receipt.notices, started, false);
      }
      const cti = await readCti(body, req.headers['content-type'] ?? '');
      if (!cti.ok) {
        count('unknown', 'invalid');
        return send(res, problemAnswer(cti.problem));
      }
      const { callId, ...event } = cti.value;
      const receipt = await calls.receive(source.team, callId, event);
      count(event.kind, receipt.outcome);
      // Zammad's answer to a PBX: an empty object (no caller-id or blocking instructions).
      send(res, { status: 200, body: {} });
      deliver(receipt.notices, started, receipt.openedMissed);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        metrics.databaseUnavailable();
        count('unknown', 'database_unavailable');
        logger.warn({ protocol }, 'intake event not taken: the database is unavailable');
        return send(res, refusal(503, 'unavailable', 'the database is unavailable; nothing was saved, send it again', { 'retry-after': String(RETRY_AFTER_UNAVAILABLE_S) }));
      }
      logger.error({ err: error, protocol }, 'intake event failed');
      count('unknown', 'internal_error');
      return send(res, refusal(500, 'internal', 'the event could not be handled; nothing was saved'));
    }
  }

  /** Answers without reading the body, then closes the connection (its unread bytes would be taken for the next request). */
  function refuseUnread(res: ServerResponse, answer: Answer): void {
    send(res, { ...answer, headers: { ...answer.headers, connection: 'close' } });
    res.once('finish', () => setTimeout(() => res.socket?.destroy(), 50).unref());
  }

  const server: Server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      keepAliveTimeout: 5_000,
      // Node checks the timeouts above only this often (30 s by default): a slow sender is cut off within a second of its time.
      connectionsCheckingInterval: 500,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'intake request failed');
        if (!res.headersSent) send(res, refusal(500, 'internal', 'the event could not be handled'));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** The body, or null once it grows past `max` (reading stops there). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}
