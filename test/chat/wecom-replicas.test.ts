import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '../helpers/db';
import { ROOT } from '../helpers/entry';
import { startFakeWeCom, until, type FakeWeCom } from '../helpers/fake-wecom';

const pgUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two replicas of the real entry point on one PostgreSQL, against a fake WeCom that, like
 * WeCom, lets one connection per bot live: never two at once, and a killed holder is replaced.
 */
describe.runIf(Boolean(pgUrl))('two WeCom replicas', () => {
  const database = useScratchDatabase(() => pgUrl!, 'csbot_wecom');
  let fake: FakeWeCom;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeWeCom();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await fake.stop();
  });

  function replica(): ChildProcess {
    const url = new URL(pgUrl!);
    url.pathname = `/${database}`;
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|WECOM_|DATABASE_URL)/.test(k)));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { ...clean, WECOM_BOT_ID: fake.botId, WECOM_BOT_SECRET: fake.secret, WECOM_WS_URL: fake.wsUrl, DATABASE_URL: url.toString(), METRICS_PORT: 'off', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    children.push(child);
    return child;
  }

  it('never holds two connections, and replaces a killed holder within 30 s', async () => {
    const first = replica();
    await until(() => fake.liveConnections() === 1, 'the first replica connected', 30_000);
    replica();
    // The second stands by: it never opens a connection of its own.
    await sleep(6_000);
    expect(fake.counts().auths).toBe(1);
    expect(fake.liveConnections()).toBe(1);
    first.kill('SIGKILL');
    const killedAt = Date.now();
    await until(() => fake.liveConnections() === 0, 'the killed replica’s socket closed', 10_000);
    await until(() => fake.liveConnections() === 1, 'the second replica took over', 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(fake.maxLive).toBe(1);
    expect(fake.counts().auths).toBe(2);
  }, 90_000);
});
