/**
 * The cost of the intake on PostgreSQL, next to a floor in the same run:
 *
 *   DATABASE_URL=postgres://… npm run bench:intake
 *
 * - floor: a node:http server that verifies each request's Standard Webhooks HMAC (with the
 *   same `standardwebhooks` package) and does one INSERT … RETURNING, then answers 200;
 * - bot: the intake server as the bot runs it (startIntakeServer, the real repositories, the
 *   masking gateway in front of a chat that answers at once), 20 teams' sources.
 * Each runs in a process of its own with production's node flags. This process sends the load
 * open-loop at BENCH_RATE events a second (BENCH_EVENTS per app, in two rounds each, the apps
 * taking turns): to the bot a mix of a missed call (newCall, hangup: its owner's DM), an
 * answered call (newCall, answer, hangup) and a signed contact.received, each call from a
 * number of its own; to the floor as many signed events. Printed per app: answer p50/p99
 * (request → HTTP answer), errors, CPU per event (the process and its PostgreSQL backends, by
 * application_name, from /proc), and for the bot the lag from a missed call's hangup reaching
 * it to its owner's DM being sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { benchDatabaseUrl } from './harness';

type AppKind = 'floor' | 'bot';
const TEAMS = 20;
const TICK_MS = 1000 / 100;
const SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`;
/** Each team's address id, the same in the parent and the child. */
const sourceId = (team: number) => createHash('sha256').update(`bench-intake-${team}`).digest('base64url').slice(0, 32);

function databaseTarget(kind: AppKind) {
  const named = new URL(process.env.BENCH_DB_URL!);
  named.searchParams.set('application_name', `bench_intake_${kind}`);
  return { url: named.toString(), schema: process.env.BENCH_DB_SCHEMA! };
}

/** The floor: verify the HMAC, one INSERT, 200. */
async function serveFloor(): Promise<http.Server> {
  const target = databaseTarget('floor');
  const pool = new pg.Pool({ connectionString: target.url, options: `-c search_path=${target.schema}`, max: 10 });
  await pool.query(`create table floor_events (id bigserial primary key, source text not null, body jsonb not null, received_at timestamptz not null default now());
    create index floor_events_source on floor_events (source, received_at)`);
  const webhook = new Webhook(SECRET);
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        webhook.verify(body, req.headers as Record<string, string>, { jsonParse: false });
      } catch {
        res.writeHead(401).end();
        return;
      }
      pool.query<{ id: string }>('insert into floor_events (source, body) values ($1, $2) returning id', [req.url ?? '', body.toString('utf8')]).then(
        (r) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: Number(r.rows[0]!.id) })),
        () => res.writeHead(500).end(),
      );
    });
  });
}

/** The bot's intake server on a migrated schema with TEAMS teams, each with its source on and extension 8001 noted. */
async function serveBot(): Promise<{ port: number; lags: number[] }> {
  const { DateTime } = await import('luxon');
  const { openDatabase, migrateToLatest } = await import('../../db/connect');
  const { teamRepository } = await import('../../db/repositories/teams');
  const { intakeRepository } = await import('../../db/repositories/intake');
  const { createLogger } = await import('../../src/runtime/logger');
  const { chineseHolidayData } = await import('../../src/app/team/holidays');
  const { NO_METRICS } = await import('../../src/runtime/metrics');
  const { sourceIdHash } = await import('../../src/app/intake/admin');
  const { startIntakeServer } = await import('../../src/app/intake/server');
  const { maskingGateway } = await import('../../src/chat/gateway');
  const target = databaseTarget('bot');
  const database = await openDatabase({ kind: 'postgres', ...target });
  await migrateToLatest(database.db, target.schema);
  const now = DateTime.utc();
  for (let i = 0; i < TEAMS; i++) {
    const team = await teamRepository.create(database.db, {
      platform: 'slack',
      name: `Bench ${i}`,
      channelId: `C_BENCH_${i}`,
      zone: 'Asia/Shanghai',
      lang: 'zh-CN',
      createdBy: 'bench',
      createdAt: now.toJSDate(),
    });
    for (const [user, role] of [
      [`alice${i}`, 'specialist'],
      [`bob${i}`, 'specialist'],
      [`carol${i}`, 'supervisor'],
      [`dave${i}`, 'manager'],
    ] as const) {
      await teamRepository.upsertMember(database.db, { teamId: team.id, userId: user, displayName: null, role });
    }
    await intakeRepository.enable(database.db, { teamId: team.id, idHash: sourceIdHash(sourceId(i)), idHint: 'benc', secret: SECRET, by: `dave${i}`, at: now });
    await intakeRepository.setPhone(database.db, { teamId: team.id, key: '8001', userId: `alice${i}`, by: `dave${i}`, at: now });
    await intakeRepository.setPhone(database.db, { teamId: team.id, key: '8002', userId: `bob${i}`, by: `dave${i}`, at: now });
  }
  const lags: number[] = [];
  const server = await startIntakeServer({
    platform: 'slack',
    db: database.db,
    clock: { now: () => DateTime.utc() },
    logger: createLogger({ level: 'warn', destination: process.stderr }),
    holidays: chineseHolidayData(),
    defaultLang: 'zh-CN',
    bootstrapAdmins: new Set(),
    // A chat that takes every message at once: the bot's own work is what is measured.
    gateway: maskingGateway({ send: async () => {} }),
    metrics: { ...NO_METRICS, missedCallDm: (seconds) => lags.push(seconds * 1000) },
    port: 0,
    host: '127.0.0.1',
    limits: { perSecond: 1000, burst: 1000 },
  });
  return { port: server.port, lags };
}

function startChild(kind: AppKind, env: Record<string, string>): Promise<{ child: ChildProcess; port: number; ask: (line: string) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=8').split(' ').filter(Boolean), '--import', 'tsx', fileURLToPath(import.meta.url), 'serve', kind],
      {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout! });
    const waiting: Array<(line: string) => void> = [];
    lines.on('line', (line) => {
      const port = /^PORT (\d+)$/.exec(line);
      if (port) resolve({ child, port: Number(port[1]), ask: (q) => new Promise((r) => (waiting.push(r), child.stdin!.write(`${q}\n`))) });
      else waiting.shift()?.(line);
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
interface Sent {
  answerMs: number | null;
  status: number;
}

function post(port: number, path: string, body: string, headers: Record<string, string>): Sent {
  const sent: Sent = { answerMs: null, status: 0 };
  const started = performance.now();
  const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: 5000 }, (res) => {
    res.resume();
    res.on('end', () => {
      sent.status = res.statusCode ?? 0;
      if (res.statusCode === 200) sent.answerMs = performance.now() - started;
    });
  });
  req.on('timeout', () => req.destroy());
  req.on('error', () => {});
  req.end(body);
  return sent;
}

let sequence = 0;
const signed = (body: string) => {
  const id = `msg_${++sequence}_${randomBytes(3).toString('hex')}`;
  const at = new Date();
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign(id, at, body) };
};
const contactBody = (n: number) =>
  JSON.stringify({
    type: 'contact.received',
    data: { channel: 'wechat', customer: { name: `王${n % 2 ? '先生' : '女士'}`, phone: `139${String(n % 100_000_000).padStart(8, '0')}` }, text: '问车位价格', owner: `alice${n % TEAMS}` },
  });

/** The bot's mix, as a list of requests to send in order: a missed call, an answered call, a signed contact. */
function botEvents(count: number): Array<{ path: string; body: string; headers: Record<string, string> }> {
  const out: Array<{ path: string; body: string; headers: Record<string, string> }> = [];
  while (out.length < count) {
    const n = ++sequence;
    const team = n % TEAMS;
    const cti = `/intake/${sourceId(team)}/cti`;
    const form = (fields: Record<string, string>) => ({ path: cti, body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const missed = { from: `138${String(n % 100_000_000).padStart(8, '0')}`, to: '4008208820', direction: 'in', callId: `m-${n}` };
    const answered = { from: `137${String(n % 100_000_000).padStart(8, '0')}`, to: '4008208820', direction: 'in', callId: `a-${n}` };
    out.push(form({ event: 'newCall', ...missed, 'user[]': '8001' }), form({ event: 'newCall', ...answered, 'user[]': '8002' }));
    out.push(form({ event: 'hangup', ...missed, cause: 'cancel' }), form({ event: 'answer', ...answered, answeringNumber: '8002' }));
    const body = contactBody(n);
    out.push({ path: `/intake/${sourceId(team)}/events`, body, headers: signed(body) }, form({ event: 'hangup', ...answered, cause: 'normalClearing' }));
  }
  return out.slice(0, count);
}

/** Open loop: request i goes at i/rate seconds, whatever the earlier ones are doing. Signed ones are signed as they go. */
async function load(port: number, kind: AppKind, count: number, rate: number): Promise<Sent[]> {
  const requests = kind === 'bot' ? botEvents(count) : null;
  const start = performance.now();
  const sent: Sent[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (requests) {
      const r = requests[i]!;
      sent.push(post(port, r.path, r.body, r.path.endsWith('/events') ? signed(r.body) : r.headers));
    } else {
      const body = contactBody(i);
      sent.push(post(port, `/intake/${sourceId(i % TEAMS)}/events`, body, signed(body)));
    }
  }
  return sent;
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}
const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 6000);
  const rate = Number(process.env.BENCH_RATE ?? 200);
  if (!benchDatabaseUrl) {
    console.error('bench:intake needs PostgreSQL: set DATABASE_URL (or TEST_DATABASE_URL).');
    process.exit(2);
  }
  const admin = new pg.Client({ connectionString: benchDatabaseUrl });
  await admin.connect();
  const schema = `bench_intake_${randomBytes(4).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  const backendsCpu = async (kind: AppKind) => {
    const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [`bench_intake_${kind}`]);
    return rows.reduce((sum, row) => sum + cpuMs(row.pid), 0);
  };
  const kinds: AppKind[] = ['floor', 'bot'];
  const apps = new Map<AppKind, Awaited<ReturnType<typeof startChild>>>();
  try {
    for (const kind of kinds) apps.set(kind, await startChild(kind, { BENCH_DB_URL: benchDatabaseUrl, BENCH_DB_SCHEMA: schema }));
    for (const kind of kinds) await load(apps.get(kind)!.port, kind, 600, rate);
    await settle(2000);
    await apps.get('bot')!.ask('reset');
    const sent = new Map<AppKind, Sent[]>(kinds.map((k) => [k, []]));
    const cpu = new Map<AppKind, { app: number; db: number }>(kinds.map((k) => [k, { app: 0, db: 0 }]));
    const rounds = 2;
    for (let r = 0; r < rounds; r++) {
      for (const kind of kinds) {
        const { child, port } = apps.get(kind)!;
        const before = { app: cpuMs(child.pid!), db: await backendsCpu(kind) };
        sent.get(kind)!.push(...(await load(port, kind, Math.floor(events / rounds), rate)));
        await settle(1500);
        const used = cpu.get(kind)!;
        used.app += cpuMs(child.pid!) - before.app;
        used.db += (await backendsCpu(kind)) - before.db;
      }
    }
    const lags = (JSON.parse(await apps.get('bot')!.ask('lags')) as number[]).sort((a, b) => a - b);
    console.log(`intake: ${events} events per app at ${rate} events/s, open loop, on PostgreSQL (${TEAMS} sources)`);
    console.log('app                          answer p50  answer p99   CPU/event ms (app + db)   errors');
    const rows = kinds.map((kind) => {
      const all = sent.get(kind)!;
      const answers = all.flatMap((s) => (s.answerMs === null ? [] : [s.answerMs])).sort((a, b) => a - b);
      const used = cpu.get(kind)!;
      return { kind, answers, cpu: (used.app + used.db) / all.length, app: used.app / all.length, db: used.db / all.length, errors: all.length - answers.length };
    });
    const f = (x: number, w = 10) => x.toFixed(2).padStart(w);
    const names: Record<AppKind, string> = { floor: 'floor (HMAC + INSERT)', bot: 'cs bot (calls + events)' };
    for (const row of rows) {
      console.log(
        `${names[row.kind].padEnd(28)}${f(pct(row.answers, 50))}  ${f(pct(row.answers, 99))}   ${f(row.cpu, 8)} (${row.app.toFixed(2)} + ${row.db.toFixed(2)})   ${String(row.errors).padStart(6)}`,
      );
    }
    const [floor, bot] = rows as [(typeof rows)[number], (typeof rows)[number]];
    console.log(
      `hangup → owner DM (bot, ${lags.length} missed calls): p50 ${pct(lags, 50).toFixed(1)} ms, p99 ${pct(lags, 99).toFixed(1)} ms, max ${(lags.at(-1) ?? NaN).toFixed(1)} ms (target p99 ≤ 2 s)`,
    );
    console.log(`bot / floor: CPU ${(bot.cpu / floor.cpu).toFixed(2)}× (target ≤ 1.5×); bot answer p99 ${pct(bot.answers, 99).toFixed(1)} ms (target ≤ 50 ms)`);
  } finally {
    for (const { child } of apps.values()) child.kill();
    agent.destroy();
    await settle(500);
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

if (process.argv[2] === 'serve') {
  const kind = process.argv[3] as AppKind;
  void (async () => {
    if (kind === 'floor') {
      const server = await serveFloor();
      server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
    } else {
      const bot = await serveBot();
      createInterface({ input: process.stdin }).on('line', (line) => {
        if (line === 'reset') bot.lags.length = 0;
        process.stdout.write(`${line === 'lags' ? JSON.stringify(bot.lags) : 'ok'}\n`);
      });
      process.stdout.write(`PORT ${bot.port}\n`);
    }
    process.on('SIGTERM', () => process.exit(0));
  })();
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
