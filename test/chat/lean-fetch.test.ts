import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leanFetch } from '../../src/chat/slack/lean-fetch';

describe('leanFetch (node:http with keep-alive behind the fetch interface)', () => {
  let server: http.Server;
  let base: string;
  const served = new WeakMap<Socket, number>();
  let bodies: string[] = [];
  let calls: Record<string, number> = {};

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? '';
      calls[path] = (calls[path] ?? 0) + 1;
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      // /respond/*: answers the first request on a connection and drops the connection at the
      // second without a word, as a server closing an idle keep-alive socket at that moment would.
      // /drop: never answers. /limited: 429 with Retry-After. /broken: 500.
      if (path === '/drop' || (path.startsWith('/respond/') && count > 1)) {
        req.socket.destroy();
        return;
      }
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        bodies.push(body);
        if (path === '/limited') return res.writeHead(429, { 'retry-after': '3' }).end('slow down');
        if (path === '/broken') return res.writeHead(500).end('oops');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, got: body, type: req.headers['content-type'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    bodies = [];
    calls = {};
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('never sends again what a new connection may have delivered (a chat message would be doubled)', async () => {
    // First in this file: no kept-alive socket exists yet, so this request goes on a new one.
    await expect(leanFetch(`${base}/drop`, { method: 'POST', body: 'x' })).rejects.toThrow();
    expect(calls['/drop']).toBe(1);
  });

  it('sends a reply again, once, when the kept-alive socket it reused was closed under it', async () => {
    const first = await leanFetch(`${base}/respond/1`, { method: 'POST', body: 'one' });
    expect(await first.text()).toContain('"got":"one"');
    // The pool reuses the first socket; the server drops it; the request goes again on a new one.
    const second = await leanFetch(`${base}/respond/2`, { method: 'POST', body: 'two' });
    expect(second.status).toBe(200);
    expect(bodies).toEqual(['one', 'two']);
  });

  it('hands a 429 and a 500 to the caller as they came, without retrying them', async () => {
    const limited = await leanFetch(`${base}/limited`, { method: 'POST', body: 'a' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.text()).toBe('slow down');
    const broken = await leanFetch(`${base}/broken`, { method: 'POST', body: 'b' });
    expect(broken.status).toBe(500);
    expect(broken.ok).toBe(false);
    expect(calls).toEqual({ '/limited': 1, '/broken': 1 });
  });

  it('carries headers, form bodies and JSON answers as fetch does', async () => {
    const response = await leanFetch(new URL(`${base}/api/chat.postMessage`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: 'C1', text: '你好' }),
    });
    expect(response.ok).toBe(true);
    expect(await response.json()).toEqual({ ok: true, got: 'channel=C1&text=%E4%BD%A0%E5%A5%BD', type: 'application/x-www-form-urlencoded' });
  });
});
