/**
 * Ack latency of `/cs log` under load, next to a bare Bolt app that only acks.
 *
 *   DATABASE_URL=postgres://… npm run bench:ack            (PostgreSQL, as in production)
 *   npm run bench:ack                                      (PGlite, when no URL is set)
 *
 * Each app runs in a child process of its own behind Bolt's HTTP receiver with
 * signature verification on, and a third child plays the Slack Web API and the
 * response URLs on loopback. This process signs the requests, sends them open-loop
 * at a fixed rate (BENCH_RATE per second, BENCH_REQUESTS each) and times
 * request → HTTP response (the ack).
 * The two apps take turns in four rounds so machine drift hits both alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { signature } from '../helpers/slack';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';
const USERS = 50;

// ---------------------------------------------------------------- child: one app
async function serve(kind: 'bot' | 'bare', apiUrl: string): Promise<void> {
  const { App, HTTPReceiver } = await import('@slack/bolt');
  let app: InstanceType<typeof App>;
  if (kind === 'bare') {
    app = new App({ token: TOKEN, clientOptions: { slackApiUrl: apiUrl }, receiver: new HTTPReceiver({ signingSecret: SECRET }) });
    app.command('/cs', async ({ ack }) => {
      await ack();
    });
  } else {
    const { DateTime } = await import('luxon');
    const { openDatabase, migrateToLatest } = await import('../../db/connect');
    const { createCommandService } = await import('../../src/app/command-service');
    const { createLogger } = await import('../../src/app/logger');
    const { createSlackApp } = await import('../../src/chat/slack/app');
    const { teamRepository } = await import('../../db/repositories/teams');
    const url = process.env.BENCH_DB_URL;
    const schema = process.env.BENCH_DB_SCHEMA;
    const database = await openDatabase(url ? { kind: 'postgres', url, schema } : { kind: 'pglite' });
    await migrateToLatest(database.db, url ? schema : undefined);
    const team = await teamRepository.create(database.db, { platform: 'slack', name: 'Bench', channelId: 'C_BENCH', zone: 'Asia/Shanghai', lang: 'zh-CN', createdBy: 'bench' });
    for (let i = 0; i < USERS; i++) await teamRepository.upsertMember(database.db, { teamId: team.id, userId: `U${i}`, displayName: null, role: 'specialist' });
    // Warnings and errors to the terminal (standard output carries the port handshake).
    const logger = createLogger({ level: 'warn', destination: process.stderr });
    const { chineseHolidayData } = await import('../../src/app/holidays');
    const service = createCommandService({ platform: 'slack', db: database.db, clock: { now: () => DateTime.utc() }, logger, holidays: chineseHolidayData(), defaultLang: 'zh-CN', bootstrapAdmins: new Set() });
    app = createSlackApp({ slack: { kind: 'http', botToken: TOKEN, signingSecret: SECRET, port: 0 }, slackApiUrl: apiUrl, service, logger });
  }
  const server = (await app.start(0)) as http.Server;
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
}

// ---------------------------------------------------------------- parent: load and figures
interface Round {
  latencies: number[];
  errors: number;
}

function startChild(kind: 'bot' | 'bare' | 'slack', apiUrl: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE_DIR=/tmp/prof writes a CPU profile of each app, to see where its time goes.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(import.meta.url), 'serve', kind, apiUrl], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening`)));
  });
}

/** The Slack Web API and the response URLs, in a process of their own so their work does not slow the load generator. */
function fakeSlack(): void {
  let replies = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/count') return res.end(String(replies));
      if (req.url?.startsWith('/respond/')) replies += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', ts: '1.1' }));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.on('SIGTERM', () => process.exit(0));
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
  });
}

async function repliesAt(apiUrl: string): Promise<number> {
  return Number(await (await fetch(`${apiUrl}/count`)).text());
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let sequence = 0;

function sendOne(port: number, responseBase: string): Promise<number | null> {
  sequence += 1;
  const n = sequence;
  const phone = `139${String(n % 100_000_000).padStart(8, '0')}`;
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C_BENCH',
    user_id: `U${n % USERS}`,
    user_name: `u${n % USERS}`,
    command: '/cs',
    text: `log wechat 客户${n} ${phone} 问车位价格`,
    response_url: `${responseBase}/respond/${n}`,
    trigger_id: `bench.${n}.${randomBytes(4).toString('hex')}`,
    api_app_id: 'A1',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature(body, ts, SECRET),
        },
        timeout: 3000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? Number(process.hrtime.bigint() - started) / 1e6 : null));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

/** Open-loop load: request i is sent at i/rate seconds whatever the earlier ones are doing. */
async function load(port: number, responseBase: string, count: number, rate: number, into: Round): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      sendOne(port, responseBase).then((ms) => {
        if (ms === null) into.errors += 1;
        else into.latencies.push(ms);
      }),
    );
  }
  await Promise.all(pending);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const requests = Number(process.env.BENCH_REQUESTS ?? 5000);
  const rate = Number(process.env.BENCH_RATE ?? 200);
  const dbUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const slack = await startChild('slack', '', {});
  const api = { url: `http://127.0.0.1:${slack.port}`, replies: () => repliesAt(`http://127.0.0.1:${slack.port}`) };
  let schema: string | undefined;
  if (dbUrl) {
    schema = `bench_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const bare = await startChild('bare', `${api.url}/api/`, {});
  const bot = await startChild('bot', `${api.url}/api/`, dbUrl ? { BENCH_DB_URL: dbUrl, BENCH_DB_SCHEMA: schema! } : {});
  const results: Record<'bare' | 'bot', Round> = { bare: { latencies: [], errors: 0 }, bot: { latencies: [], errors: 0 } };
  try {
    // Warm-up: JIT, connection pools, Bolt's auth.test.
    await load(bare.port, api.url, 100, rate, { latencies: [], errors: 0 });
    await load(bot.port, api.url, 100, rate, { latencies: [], errors: 0 });
    const warmUntil = Date.now() + 30_000;
    while ((await api.replies()) < 100 && Date.now() < warmUntil) await new Promise((r) => setTimeout(r, 50));
    const repliesBefore = await api.replies();
    const rounds = 4;
    for (let r = 0; r < rounds; r++) {
      const share = Math.floor(requests / rounds) + (r < requests % rounds ? 1 : 0);
      await load(bare.port, api.url, share, rate, results.bare);
      await load(bot.port, api.url, share, rate, results.bot);
    }
    // The bot answers through response_url after the ack; wait for the last replies.
    const until = Date.now() + 30_000;
    while ((await api.replies()) - repliesBefore < requests - results.bot.errors && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const replies = (await api.replies()) - repliesBefore;

    const rows = (['bare', 'bot'] as const).map((k) => {
      const sorted = [...results[k].latencies].sort((a, b) => a - b);
      return { k, p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN, n: sorted.length, errors: results[k].errors };
    });
    const [b, o] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const f = (ms: number) => ms.toFixed(2).padStart(8);
    console.log(`ack latency, ${requests} signed /cs log requests per app at ${rate} req/s, open loop; database: ${dbUrl ? 'PostgreSQL' : 'PGlite'}`);
    console.log(`app                        p50 ms   p99 ms   max ms   acked  errors`);
    console.log(`bare Bolt (ack only)     ${f(b.p50)} ${f(b.p99)} ${f(b.max)} ${String(b.n).padStart(7)} ${String(b.errors).padStart(7)}`);
    console.log(`cs bot (/cs log)         ${f(o.p50)} ${f(o.p99)} ${f(o.max)} ${String(o.n).padStart(7)} ${String(o.errors).padStart(7)}`);
    console.log(`ratio bot/bare           ${(o.p50 / b.p50).toFixed(2).padStart(8)} ${(o.p99 / b.p99).toFixed(2).padStart(8)}`);
    console.log(`bot replies delivered to response_url: ${replies}/${requests}`);
  } finally {
    bare.child.kill();
    bot.child.kill();
    slack.child.kill();
    agent.destroy();
    if (dbUrl && schema) {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    }
  }
}

if (process.argv[2] === 'serve' && process.argv[3] === 'slack') {
  fakeSlack();
} else if (process.argv[2] === 'serve') {
  void serve(process.argv[3] as 'bot' | 'bare', process.argv[4]!);
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
