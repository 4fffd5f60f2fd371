import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/runtime/metrics';
import { startOpsServer } from '../../src/runtime/ops-server';
import { startBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { capturingLogger, seedTeam } from '../helpers/service';

const GROUP = 'cidMETRICS==';

/** One sample of a Prometheus text exposition, by name and labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_:]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return null;
}

describe('what an operator sees: /healthz, /readyz, /metrics', () => {
  let fake: FakeDingTalk;
  let tdb: TestDatabase;
  let bot: Bot;
  const exportDir = mkdtempSync(join(tmpdir(), 'csbot-metrics-'));
  const clock = fakeClock('2026-11-24T10:00:00+08:00');
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${bot.opsPort}${path}`);
    return { status: res.status, text: await res.text() };
  };
  const send = async (from: string, text: string) => {
    const { frameIds } = fake.pushRobotMessage({ from, group: GROUP, text });
    await until(() => frameIds.every((id) => fake.acks.has(id)), 'handled');
  };

  beforeAll(async () => {
    fake = await startFakeDingTalk();
    tdb = await pgliteKind.open();
    await seedTeam(tdb.db, { platform: 'dingtalk', channelId: GROUP, lang: 'zh-CN', members: { alice: 'specialist', carol: 'supervisor' }, createdAt: clock.now().toJSDate() });
    const config = loadConfig({
      DINGTALK_CLIENT_ID: fake.clientId,
      DINGTALK_CLIENT_SECRET: fake.clientSecret,
      DINGTALK_API_URL: fake.url,
      EXPORT_DIR: exportDir,
      LOG_LEVEL: 'silent',
      METRICS_PORT: '0',
    });
    bot = await startBot({ config, db: tdb.db, clock, logger: capturingLogger('silent').logger, scheduler: { every: () => {}, stop: async () => {} } });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.stop();
    await tdb.close();
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('says the process is alive, and ready while the chat is connected', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, text: 'ok\n' });
    expect(await get('/readyz')).toEqual({ status: 200, text: '{"database":true,"chat":true}\n' });
    expect((await get('/nothing')).status).toBe(404);
  });

  it('counts commands, reminders and their lag, rate-limit pauses and digests, and shows the outbox', async () => {
    await send('alice', 'log wechat 张先生 13812345678 问车位价格');
    await send('alice', 'reply 9999');
    await send('alice', 'frobnicate');
    // The due-soon reminder, refused once by a rate limit, then sent.
    clock.set('2026-11-24T10:24:00+08:00');
    let scrape = (await get('/metrics')).text;
    expect(sample(scrape, 'csbot_outbox_due')).toBe(1);
    fake.behaviour.failNext.push({ status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '限流' } });
    await bot.nags.sweepNow();
    clock.advance({ seconds: 10 });
    scrape = (await get('/metrics')).text;
    expect(sample(scrape, 'csbot_outbox_oldest_due_seconds')).toBe(10);
    await bot.nags.sweepNow();
    clock.set('2026-11-24T18:00:30+08:00');
    await bot.digests.postDue();

    scrape = (await get('/metrics')).text;
    expect(sample(scrape, 'csbot_commands_total', { kind: 'log', result: 'ok' })).toBe(1);
    expect(sample(scrape, 'csbot_commands_total', { kind: 'reply', result: 'user_error' })).toBe(1);
    expect(sample(scrape, 'csbot_commands_total', { kind: 'invalid', result: 'user_error' })).toBe(1);
    expect(sample(scrape, 'csbot_command_duration_seconds_count', { kind: 'log' })).toBe(1);
    expect(sample(scrape, 'csbot_rate_limit_pauses_total', { platform: 'dingtalk', scope: 'platform' })).toBe(1);
    expect(sample(scrape, 'csbot_reminders_total', { platform: 'dingtalk', step: 'due_soon', result: 'retried' })).toBe(1);
    expect(sample(scrape, 'csbot_reminders_total', { platform: 'dingtalk', step: 'due_soon', result: 'sent' })).toBe(1);
    expect(sample(scrape, 'csbot_reminder_lag_seconds_count', { platform: 'dingtalk', step: 'due_soon' })).toBe(1);
    // Sent 10 s after its moment: in the 30 s bucket, not the 5 s one.
    expect(sample(scrape, 'csbot_reminder_lag_seconds_bucket', { platform: 'dingtalk', step: 'due_soon', le: '5' })).toBe(0);
    expect(sample(scrape, 'csbot_reminder_lag_seconds_bucket', { platform: 'dingtalk', step: 'due_soon', le: '30' })).toBe(1);
    expect(sample(scrape, 'csbot_digests_posted_total', { platform: 'dingtalk', late: 'false' })).toBe(1);
    expect(sample(scrape, 'csbot_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('is not ready while the chat connection is down', async () => {
    fake.behaviour.socket = 'refuse';
    fake.dropConnections();
    await until(async () => (await get('/readyz')).status === 503, 'not ready');
    expect((await get('/readyz')).text).toBe('{"database":true,"chat":false}\n');
    fake.behaviour.socket = 'ok';
    await until(async () => (await get('/readyz')).status === 200, 'ready again', 10_000);
  });

  it('still answers while the database is away: ready (the bot answers commands), the outbox gauges NaN', async () => {
    const { registry } = createMetrics(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    const ops = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      readiness: { database: () => Promise.reject(new Error('down')), chat: () => true },
      logger: capturingLogger('silent').logger,
    });
    try {
      const ready = await fetch(`http://127.0.0.1:${ops.port}/readyz`);
      expect([ready.status, await ready.text()]).toEqual([200, '{"database":false,"chat":true}\n']);
      const scraped = await fetch(`http://127.0.0.1:${ops.port}/metrics`);
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      expect(sample(text, 'csbot_outbox_due')).toBeNaN();
      expect(sample(text, 'csbot_outbox_oldest_due_seconds')).toBeNaN();
    } finally {
      await ops.stop();
    }
  });

  it('says which variable to change when its port is taken (two replicas on one host)', async () => {
    const { registry } = createMetrics(async () => ({ due: 0, oldestDueSeconds: 0 }));
    const first = await startOpsServer({ port: 0, registry, readiness: { database: async () => true, chat: () => true }, logger: capturingLogger('silent').logger });
    try {
      await expect(startOpsServer({ port: first.port, registry, readiness: { database: async () => true, chat: () => true }, logger: capturingLogger('silent').logger })).rejects.toThrow(
        new RegExp(`METRICS_PORT ${first.port} is already in use.*its own METRICS_PORT`),
      );
    } finally {
      await first.stop();
    }
  });
});
