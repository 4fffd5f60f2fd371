import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../db/availability';
import { openDatabase } from '../../db/connect';
import { sql } from 'kysely';
import { startTcpProxy } from '../helpers/tcp-proxy';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('telling a database outage from other failures', () => {
  it('takes a refused database connection for an outage', async () => {
    const { db, close } = await openDatabase({ kind: 'postgres', url: `postgres://cs@127.0.0.1:${await closedPort()}/cs`, poolSize: 1 });
    const error = await sql`select 1`.execute(db).catch((e: unknown) => e);
    await close();
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('takes the server’s own shutdown and connection codes for an outage', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('does not take a chat API’s dropped connection, or a failed query, for one', () => {
    // lean-fetch and Node's fetch fail so when Slack or DingTalk drops the socket.
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('a database connection gone silent', () => {
  it('is given up on after the query timeout, counted as an outage, and replaced once the link is back', async () => {
    const target = new URL(process.env.TEST_DATABASE_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.host = `127.0.0.1:${proxy.port}`;
    const { db, close } = await openDatabase({ kind: 'postgres', url: target.toString(), poolSize: 1, queryTimeoutMs: 500 });
    try {
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
      proxy.freeze();
      const started = Date.now();
      const error = await sql`select 1`.execute(db).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(isDatabaseUnavailable(error)).toBe(true);
      proxy.thaw();
      // The silent connection was closed, not handed out again: the next query gets a fresh one.
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await close();
      await proxy.stop();
    }
  });
});
