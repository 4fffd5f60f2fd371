/**
 * Reminder lag: from a deadline to the message reaching the chat API.
 *
 *   DATABASE_URL=postgres://… npm run bench:lag      (PGlite when no URL is set)
 *
 * The real scheduler (precise timer + cron safety net at default settings), sweeper
 * and Slack outbox client send to a fake Slack Web API on loopback that allows one
 * message per second per channel (429 with Retry-After beyond that).
 *   1. one item at a time: lag from each reminder's moment to its arrival, p50/p99/max;
 *   2. 10,000 items due at once across 500 specialists: time until all arrived, and
 *      the most messages one recipient got.
 * Each figure is printed next to the run's floor: the same fake API's own round trip.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../db/connect';
import { createCronScheduler } from '../../src/runtime/cron';
import { createLogger } from '../../src/runtime/logger';
import { createNagScheduler } from '../../src/app/reminders/nag-scheduler';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import { createOutboxClient } from '../../src/chat/slack/app';
import { createSlackGateway } from '../../src/chat/slack/gateway';

const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const SINGLE = Number(process.env.BENCH_SINGLE ?? 40);
const MANY = Number(process.env.BENCH_MANY ?? 10_000);
const SPECIALISTS = 500;

interface Arrival {
  readonly at: number;
  readonly channel: string;
  readonly ids: number[];
}

/** The fake Slack Web API: records arrivals, allows one message per second per channel. */
function fakeSlack(): Promise<{ url: string; arrivals: Arrival[]; limited: () => number; close: () => void }> {
  const arrivals: Arrival[] = [];
  const lastByChannel = new Map<string, number>();
  let limited = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      const now = Date.now();
      const params = new URLSearchParams(body);
      const channel = params.get('channel') ?? '';
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/chat.postMessage')) {
        const last = lastByChannel.get(channel);
        if (last !== undefined && now - last < 1000) {
          limited += 1;
          res.statusCode = 429;
          res.setHeader('retry-after', '1');
          return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        }
        lastByChannel.set(channel, now);
        const ids = [...(params.get('text') ?? '').matchAll(/#(\d+)/g)].map((m) => Number(m[1]));
        arrivals.push({ at: now, channel, ids });
      }
      res.end(JSON.stringify({ ok: true, channel, ts: '1.1' }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, arrivals, limited: () => limited, close: () => server.close() })),
  );
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function main(): Promise<void> {
  const api = await fakeSlack();
  const schema = url ? `bench_lag_${randomBytes(4).toString('hex')}` : undefined;
  let admin: pg.Client | null = null;
  if (url) {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  }
  const database = await openDatabase(url ? { kind: 'postgres', url, schema } : { kind: 'pglite' });
  const db = database.db;
  const logger = createLogger({ level: 'silent' });
  const clock = { now: () => DateTime.utc() };
  const cron = createCronScheduler(logger);
  const gateway = createSlackGateway(createOutboxClient('xoxb-bench', api.url, logger));
  const sweeper = createNagSweeper({ platform: 'slack', db, gateway, clock, logger });
  const scheduler = createNagScheduler({ db, sweeper, clock, logger, cron, sweepCron: '* * * * *' });
  try {
    await migrateToLatest(db, schema);
    await sql`insert into teams (platform, name, channel_id, created_by) values ('slack', 'Bench', 'C_BENCH', 'bench')`.execute(db);
    await sql`insert into members (team_id, user_id, role) select 1, 'U' || g, 'specialist' from generate_series(0, ${SPECIALISTS - 1}) g`.execute(db);
    await sql`insert into customers (team_id, name, owner_user_id) select 1, 'c' || g, 'U' || (g % ${SPECIALISTS}) from generate_series(0, ${MANY - 1}) g`.execute(db);
    await sql`
      insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at, first_response_due_at)
      select 1, id, owner_user_id, owner_user_id, 'wechat', now(), now(), now() + interval '1 hour' from customers order by id`.execute(db);
    await scheduler.start();

    // The floor: the fake API's own round trip through the same client.
    const floor: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await gateway.send({ to: { kind: 'channel', channel: `C_FLOOR${i}` }, message: { text: 'floor', blocks: [] } });
      floor.push(performance.now() - t0);
    }

    // 1. One item at a time, each due a moment after it is written, as after `/cs log`.
    const lags: number[] = [];
    const ids = (await sql<{ id: number }>`select id from contacts order by id limit ${SINGLE}`.execute(db)).rows.map((r) => r.id);
    for (const id of ids) {
      const fireAt = new Date(Date.now() + 300 + Math.floor(Math.random() * 400));
      await sql`insert into nags (platform, team_id, contact_id, clock, step, fire_at) values ('slack', 1, ${id}, 'response', 'due_soon', ${fireAt})`.execute(db);
      scheduler.wake();
      const until = Date.now() + 10_000;
      let arrival: Arrival | undefined;
      while (!(arrival = api.arrivals.find((a) => a.ids.includes(id))) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      lags.push(arrival ? arrival.at - fireAt.getTime() : Infinity);
      await new Promise((r) => setTimeout(r, 1100)); // let the recipient's channel cool down
    }

    // 2. Many items due at the same moment, across 500 specialists.
    const before = api.arrivals.length;
    const fireAt = new Date(Date.now() + 2000);
    await sql`insert into nags (platform, team_id, contact_id, clock, step, fire_at)
              select 'slack', 1, id, 'response', 'overdue', ${fireAt} from contacts`.execute(db);
    scheduler.wake();
    const until = Date.now() + 120_000;
    const wanted = MANY;
    let got = new Set<number>();
    while (got.size < wanted && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      got = new Set(api.arrivals.slice(before).flatMap((a) => a.ids));
    }
    const batch = api.arrivals.slice(before);
    const lastAt = Math.max(...batch.map((a) => a.at));
    const perRecipient = new Map<string, number>();
    for (const a of batch) perRecipient.set(a.channel, (perRecipient.get(a.channel) ?? 0) + 1);

    const f = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : 'lost').padStart(7);
    console.log(`reminder lag on ${url ? 'PostgreSQL' : 'PGlite'}; fake Slack API allows 1 message/s per channel`);
    console.log(`fake API round trip (floor): p50 ${pct(floor, 50).toFixed(1)} ms, max ${Math.max(...floor).toFixed(1)} ms`);
    if (process.env.BENCH_VERBOSE) console.log(lags.map((l) => l.toFixed(0)).join(' '));
    console.log(`1. one item, ${lags.length} runs: lag p50 ${f(pct(lags, 50))} ms  p99 ${f(pct(lags, 99))} ms  max ${f(Math.max(...lags))} ms`);
    console.log(
      `2. ${wanted} items due at once across ${SPECIALISTS} specialists: ${got.size}/${wanted} delivered, last ${((lastAt - fireAt.getTime()) / 1000).toFixed(2)} s after the deadline, ` +
        `${batch.length} messages, at most ${Math.max(...perRecipient.values())} per recipient, ${api.limited()} answered 429`,
    );
  } finally {
    await scheduler.stop();
    await cron.stop();
    api.close();
    await database.close();
    if (admin) {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
