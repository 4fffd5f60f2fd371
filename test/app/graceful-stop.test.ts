import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/entry';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';

const pgUrl = process.env.TEST_DATABASE_URL;
const OWNERS = 120;

/** `npm start` as a deploy stops it: the real entry point, sent SIGTERM in the middle of a reminder pass. */
describe.runIf(Boolean(pgUrl))('a deploy (SIGTERM) in the middle of a reminder pass', () => {
  const database = `csbot_stop_${randomBytes(4).toString('hex')}`;
  let fake: FakeDingTalk;
  let url: string;
  // Times come from this process's clock, as the bot's do, never from the database server's.
  const sql = async (text: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await c.query(text, params);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const target = new URL(pgUrl!);
    target.pathname = `/${database}`;
    url = target.toString();
    fake = await startFakeDingTalk();
  });
  afterAll(async () => {
    await fake.stop();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  const start = () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|DATABASE_URL)/.test(k)));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { ...clean, DINGTALK_CLIENT_ID: fake.clientId, DINGTALK_CLIENT_SECRET: fake.clientSecret, DINGTALK_API_URL: fake.url, DATABASE_URL: url, LOG_LEVEL: 'warn', METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    return { child, exited, output: () => output };
  };

  it('finishes what is in flight, hands the rest back at once, exits 0: nothing lost, nothing doubled', async () => {
    // The first replica makes the schema; then 120 owners with one reminder due each.
    const first = start();
    await until(() => fake.counts().connections === 1, 'the first replica connected', 45_000);
    await sql(`insert into teams (platform, name, channel_id, created_by, created_at) values ('dingtalk', '滨江壹号', 'cidSTOP==', 'staff-dave', $1)`, [new Date()]);
    await sql(`insert into members (team_id, user_id, role) select 1, 'owner' || g, 'specialist' from generate_series(1, ${OWNERS}) g`);
    await sql(`insert into customers (team_id, name, owner_user_id) select 1, '客户' || g, 'owner' || g from generate_series(1, ${OWNERS}) g`);
    await sql(
      `insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at, first_response_due_at)
               select 1, id, owner_user_id, owner_user_id, 'wechat', $1::timestamptz - interval '10 minutes', $1::timestamptz - interval '10 minutes', $1::timestamptz + interval '1 hour' from customers`,
      [new Date()],
    );
    // DingTalk answers slowly: the pass takes seconds.
    fake.behaviour.sendDelayMs = 150;
    await sql(`insert into nags (platform, team_id, contact_id, clock, step, fire_at) select 'dingtalk', 1, id, 'response', 'due_soon', $1 from contacts`, [new Date()]);
    await sql(`select pg_notify('cs_nag_wakeup', '')`);
    await until(() => fake.sends.length >= 10, 'the pass under way', 20_000);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const byFirst = fake.sends.length;
    expect(byFirst).toBeLessThan(OWNERS);
    // What it did not send is free at once for the next replica, not after a lease.
    const claimed = await sql(`select count(*)::int as n from nags where status = 'pending' and claimed_until > $1`, [new Date()]);
    expect(claimed.rows[0].n).toBe(0);

    fake.behaviour.sendDelayMs = 0;
    const second = start();
    try {
      await until(() => fake.sends.length >= OWNERS, 'every reminder delivered', 45_000);
      await new Promise((r) => setTimeout(r, 1500));
      const owners = fake.sends.filter((s) => s.via === 'dm').map((s) => s.to);
      expect(owners).toHaveLength(OWNERS);
      expect(new Set(owners).size).toBe(OWNERS);
      const left = await sql(`select count(*)::int as n from nags where status <> 'sent'`);
      expect(left.rows[0].n).toBe(0);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    expect(first.output()).not.toMatch(/Error|unhandled/i);
  }, 150_000);
});
