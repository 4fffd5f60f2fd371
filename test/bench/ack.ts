/**
 * The cost of `/cs log` over Slack HTTP, next to two baselines in the same run:
 *
 *   DATABASE_URL=postgres://… npm run bench:ack            (PostgreSQL, as in production)
 *   npm run bench:ack                                      (PGlite, when no URL is set)
 *
 * bare Bolt (ack only), the floor (ack + one INSERT … RETURNING + a reply) and the bot (see
 * ack-apps.ts), each in a process of its own; a fourth process plays the Slack Web API and
 * the response URLs on loopback and notes when each reply arrives. This process signs the
 * requests and sends them open-loop at BENCH_RATE per second (BENCH_REQUESTS per app), the
 * apps taking turns in four rounds so machine drift hits all alike. Printed per app:
 * - ack p50/p99 (request → HTTP 200) and reply p50/p99 (request → reply at the response URL);
 * Each app runs with production's node flags (BENCH_NODE_FLAGS overrides them).
 * - CPU per request: the user+system time of the app's process and of its PostgreSQL
 *   backends (by application_name) over its rounds, divided by its requests. CPU time is
 *   steady on a shared machine where latency is not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { signature } from '../helpers/slack';
import { SECRET, serveApp, USERS, type AppKind } from './ack-apps';
import { benchDatabaseUrl } from './harness';

const KINDS: readonly AppKind[] = ['bare', 'floor', 'bot'];
const TICK_MS = 1000 / 100; // /proc's clock ticks (USER_HZ) on Linux

function startChild(role: AppKind | 'slack', apiUrl: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE_DIR=/tmp/prof writes a CPU profile of each app, to see where its time goes.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const child = spawn(
      process.execPath,
      [...profile, ...(process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=8').split(' ').filter(Boolean), '--import', 'tsx', fileURLToPath(import.meta.url), 'serve', role, apiUrl],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${role} exited with ${code} before listening`)));
  });
}

/** The Slack Web API and the response URLs; `GET /arrivals` lists when each reply came (epoch ms). */
function fakeSlack(): void {
  const arrivals: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/arrivals') return res.end(JSON.stringify(arrivals));
      if (req.url?.startsWith('/respond/')) arrivals[req.url.slice('/respond/'.length)] = performance.timeOrigin + performance.now();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', ts: '1.1' }));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.on('SIGTERM', () => process.exit(0));
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
  });
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let sequence = 0;

interface Sent {
  readonly key: string;
  readonly at: number; // epoch ms
  ackMs: number | null;
}

function sendOne(kind: AppKind, port: number, responseBase: string): Sent {
  sequence += 1;
  const n = sequence;
  const key = `${kind}/${n}`;
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C_BENCH',
    user_id: `U${n % USERS}`,
    user_name: `u${n % USERS}`,
    command: '/cs',
    // As a specialist types it: a customer's name, a phone of their own, what they asked.
    text: `log wechat ${SURNAMES[n % SURNAMES.length]}${n % 2 ? '先生' : '女士'} 139${String(n % 100_000_000).padStart(8, '0')} 问车位价格`,
    response_url: `${responseBase}/respond/${key}`,
    trigger_id: `bench.${n}.${randomBytes(4).toString('hex')}`,
    api_app_id: 'A1',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sent: Sent = { key, at: performance.timeOrigin + performance.now(), ackMs: null };
  const started = performance.now();
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
      res.on('end', () => {
        if (res.statusCode === 200) sent.ackMs = performance.now() - started;
      });
    },
  );
  req.on('timeout', () => req.destroy());
  req.on('error', () => {});
  req.end(body);
  return sent;
}

/** Open-loop load: request i is sent at i/rate seconds whatever the earlier ones are doing. */
async function load(kind: AppKind, port: number, responseBase: string, count: number, rate: number): Promise<Sent[]> {
  const start = performance.now();
  const sent: Sent[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent.push(sendOne(kind, port, responseBase));
  }
  return sent;
}

/** CPU seconds (user + system) used so far by a process, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const requests = Number(process.env.BENCH_REQUESTS ?? 4000);
  const rate = Number(process.env.BENCH_RATE ?? 100);
  const dbUrl = benchDatabaseUrl;
  const slack = await startChild('slack', '', {});
  const apiBase = `http://127.0.0.1:${slack.port}`;
  const arrivals = async () => (await (await fetch(`${apiBase}/arrivals`)).json()) as Record<string, number>;
  const admin = dbUrl ? new pg.Client({ connectionString: dbUrl }) : null;
  const schema = `bench_ack_${randomBytes(4).toString('hex')}`;
  await admin?.connect();
  await admin?.query(`create schema ${schema}`);
  const backendsCpu = async (kind: AppKind) => {
    if (!admin) return 0;
    const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [`bench_${kind}`]);
    return rows.reduce((sum, row) => sum + cpuMs(row.pid), 0);
  };
  const apps = new Map<AppKind, { child: ChildProcess; port: number }>();
  for (const kind of KINDS) apps.set(kind, await startChild(kind, `${apiBase}/api/`, dbUrl ? { BENCH_DB_URL: dbUrl, BENCH_DB_SCHEMA: schema } : {}));
  const sent = new Map<AppKind, Sent[]>(KINDS.map((k) => [k, []]));
  const cpu = new Map<AppKind, { app: number; db: number }>(KINDS.map((k) => [k, { app: 0, db: 0 }]));
  try {
    // Warm-up: JIT, connection pools, Bolt's auth.test.
    for (const kind of KINDS) await load(kind, apps.get(kind)!.port, apiBase, 300, rate);
    await settle(2000);
    const rounds = 4;
    for (let r = 0; r < rounds; r++) {
      for (const kind of KINDS) {
        const { child, port } = apps.get(kind)!;
        const share = Math.floor(requests / rounds) + (r < requests % rounds ? 1 : 0);
        const before = { app: cpuMs(child.pid!), db: await backendsCpu(kind) };
        sent.get(kind)!.push(...(await load(kind, port, apiBase, share, rate)));
        // What the round set going (the acks' and replies' work) finishes inside its own measurement.
        await settle(1500);
        const used = cpu.get(kind)!;
        used.app += cpuMs(child.pid!) - before.app;
        used.db += (await backendsCpu(kind)) - before.db;
      }
    }
    const arrived = await arrivals();
    console.log(`/cs log over Slack HTTP: ${requests} signed requests per app at ${rate} req/s, open loop; database: ${dbUrl ? 'PostgreSQL' : 'PGlite (in the app)'}`);
    console.log('app                     ack p50   ack p99 reply p50 reply p99   CPU/req ms (app + db)   errors   replies');
    const rows = KINDS.map((kind) => {
      const all = sent.get(kind)!;
      const acks = all.flatMap((s) => (s.ackMs === null ? [] : [s.ackMs])).sort((a, b) => a - b);
      const replies = all.flatMap((s) => (arrived[s.key] === undefined ? [] : [arrived[s.key]! - s.at])).sort((a, b) => a - b);
      const used = cpu.get(kind)!;
      return { kind, acks, replies, cpu: (used.app + used.db) / all.length, app: used.app / all.length, db: used.db / all.length, errors: all.length - acks.length };
    });
    const f = (x: number, w = 9) => (Number.isNaN(x) ? '-' : x.toFixed(2)).padStart(w);
    const names: Record<AppKind, string> = { bare: 'bare Bolt (ack only)', floor: 'floor (ack+INSERT+reply)', bot: 'cs bot (/cs log)' };
    for (const row of rows) {
      const replyCells = row.kind === 'bare' ? `${f(NaN)} ${f(NaN)}` : `${f(pct(row.replies, 50))} ${f(pct(row.replies, 99))}`;
      const replyCount = row.kind === 'bare' ? '-' : `${row.replies.length}/${requests}`;
      console.log(
        `${names[row.kind].padEnd(24)}${f(pct(row.acks, 50))} ${f(pct(row.acks, 99))} ${replyCells} ${f(row.cpu, 9)} (${row.app.toFixed(2)} + ${row.db.toFixed(2)})  ${String(row.errors).padStart(7)} ${replyCount.padStart(9)}`,
      );
    }
    const floor = rows[1]!;
    const bot = rows[2]!;
    console.log(
      `bot / floor: CPU ${(bot.cpu / floor.cpu).toFixed(2)}× (target ≤ 1.3×), reply p99 ${(pct(bot.replies, 99) / pct(floor.replies, 99)).toFixed(2)}× (target ≤ 1.5×), reply p50 ${(pct(bot.replies, 50) / pct(floor.replies, 50)).toFixed(2)}×`,
    );
  } finally {
    for (const { child } of apps.values()) child.kill();
    slack.child.kill();
    agent.destroy();
    if (admin) {
      await settle(500);
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}

if (process.argv[2] === 'serve' && process.argv[3] === 'slack') {
  fakeSlack();
} else if (process.argv[2] === 'serve') {
  void serveApp(process.argv[3] as AppKind, process.argv[4]!);
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
