import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

function plainBody(body: unknown): string | Buffer | null | undefined {
  if (body === undefined || body === null) return body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof URLSearchParams) return body.toString();
  return undefined;
}

/**
 * fetch for Bolt's respond() and the Web API, on node:http(s) with keep-alive.
 * Node 20's fetch (undici) cost about 2 ms of CPU per call under load, more than
 * the rest of a `/cs log`, and delayed the acks of the requests behind it. Bodies
 * it does not know (FormData for file uploads, streams) go to the global fetch.
 */
export const leanFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const body = plainBody(init?.body);
  const agent = agents[url.protocol as keyof typeof agents];
  if (body === undefined || !agent || (typeof input === 'object' && !(input instanceof URL))) return fetch(input, init);
  const headers = Object.fromEntries(new Headers(init?.headers).entries());
  return new Promise<Response>((resolve, reject) => {
    const send = (retried: boolean) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, { method: init?.method ?? 'GET', headers, agent, signal: init?.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as it was reused fails before any answer:
        // the request never arrived, so send it once more on a fresh socket (Node's own advice).
        if (!retried && request.reusedSocket && error.code === 'ECONNRESET') send(true);
        else reject(error);
      });
      request.end(body ?? undefined);
    };
    send(false);
  });
};
