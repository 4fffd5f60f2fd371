import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanFetch } from '../../src/chat/slack/lean-fetch';

describe('leanFetch', () => {
  let server: http.Server;
  let base: string;
  const served = new WeakMap<Socket, number>();
  const bodies: string[] = [];

  beforeAll(async () => {
    // Answers the first request on a connection; drops the connection at the second
    // without a word, as a server closing an idle keep-alive socket at that moment would.
    server = http.createServer((req, res) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      if (count > 1) {
        req.socket.destroy();
        return;
      }
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        bodies.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a reply again, once, when the kept-alive socket it reused was closed under it', async () => {
    const first = await leanFetch(`${base}/respond/1`, { method: 'POST', body: 'one' });
    expect(await first.text()).toBe('ok');
    // The agent reuses the first socket; the server drops it; the request goes again on a new one.
    const second = await leanFetch(`${base}/respond/2`, { method: 'POST', body: 'two' });
    expect(second.status).toBe(200);
    expect(bodies).toEqual(['one', 'two']);
  });
});
