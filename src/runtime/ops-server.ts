import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';

/** What readiness reports: whether the database answers, whether the chat connection is up (which decides). */
export interface Readiness {
  database(): Promise<boolean>;
  chat(): boolean;
}

/**
 * The operator's endpoints: `GET /healthz` (the process is alive), `GET /readyz`
 * (the chat connection is up: 200, else 503; the body says whether the database answers
 * too), and `GET /metrics` (Prometheus text format). The database does not decide readiness:
 * while it is away the bot still answers every command (that nothing was saved), which is
 * better than a load balancer turning Slack's requests away.
 */
export async function startOpsServer(opts: { port: number; host?: string; registry: Registry; readiness: Readiness; logger: Logger }): Promise<{ port: number; stop(): Promise<void> }> {
  const { registry, readiness, logger } = opts;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      void Promise.all([readiness.database().catch(() => false), Promise.resolve(readiness.chat())]).then(([database, chat]) =>
        send(chat ? 200 : 503, 'application/json', `${JSON.stringify({ database, chat })}\n`),
      );
      return;
    }
    if (path === '/metrics') {
      void registry
        .metrics()
        .then((text) => send(200, registry.contentType, text))
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'metrics not collected');
          send(500, 'text/plain', 'metrics unavailable\n');
        });
      return;
    }
    send(404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // Two replicas on one host both take 9464 by default: say which variable to change.
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(
          new Error(
            `METRICS_PORT ${opts.port} ${error.code === 'EADDRINUSE' ? 'is already in use on this host (another replica of the bot?)' : 'may not be opened by this user'}: ` +
              'give each process on a host its own METRICS_PORT (9464, 9465, …), or METRICS_PORT=off',
          ),
        );
      } else reject(error);
    });
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
