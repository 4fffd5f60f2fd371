import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '../helpers/db';
import { ROOT } from '../helpers/entry';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { startTcpProxy } from '../helpers/tcp-proxy';

const pgUrl = process.env.TEST_DATABASE_URL;
const GROUP = 'cidOUTAGE==';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The real entry point against the test PostgreSQL through a proxy the test cuts and
 * restores, as a database restart would; DingTalk's fake on loopback plays the chat.
 */
describe.runIf(Boolean(pgUrl))('a database outage under traffic', () => {
  const database = useScratchDatabase(() => pgUrl!, 'csbot_outage');
  let fake: FakeDingTalk;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;

  beforeAll(async () => {
    const target = new URL(pgUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    fake = await startFakeDingTalk();
  });
  afterAll(async () => {
    await fake.stop();
    await proxy.stop();
  });

  it('stays up, answers that nothing was saved, and sends what fell due once the database is back, alone', async () => {
    const target = new URL(pgUrl!);
    target.host = `127.0.0.1:${proxy.port}`;
    target.pathname = `/${database}`;
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|DATABASE_URL)/.test(k)));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: {
        ...clean,
        DINGTALK_CLIENT_ID: fake.clientId,
        DINGTALK_CLIENT_SECRET: fake.clientSecret,
        DINGTALK_API_URL: fake.url,
        DATABASE_URL: target.toString(),
        BOOTSTRAP_ADMINS: 'staff-dave',
        METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    let exit: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve((exit = code))));
    const push = async (from: string, text: string, mentions: string[] = [], group = true) => {
      const { frameIds } = fake.pushRobotMessage({ from, text, mentions, ...(group ? { group: GROUP } : {}) });
      await until(() => frameIds.every((id) => fake.acks.has(id)), `the bot handling "${text}"`, 15_000);
    };
    try {
      await until(() => fake.counts().connections === 1, 'the Stream connection', 45_000);
      await push('staff-dave', 'team create 滨江壹号');
      await push('staff-dave', 'team add specialist', ['staff-alice']);
      await push('staff-dave', 'team add supervisor', ['staff-carol']);
      await push('staff-dave', 'team hours always');
      await push('staff-dave', 'team window wechat 12s');
      await push('staff-alice', 'log wechat 张先生 13812345678 问车位价格');
      fake.take();

      // The database goes away for longer than the window: the reminders fall due meanwhile.
      proxy.cut();
      await sleep(2000);
      await push('staff-alice', 'mine', [], false);
      const during = fake
        .take()
        .map((s) => s.text)
        .join('\n');
      expect(during).toContain('数据库暂时无法连接：这条命令没有执行，什么也没有保存');
      await sleep(14_000);
      expect(fake.sends.filter((s) => s.text.includes('#1001'))).toEqual([]);
      expect(exit).toBeUndefined();

      proxy.restore();
      const back = Date.now();
      await until(() => fake.sends.some((s) => s.via === 'dm' && s.to === 'staff-carol' && s.text.includes('已超时 · #1001')), 'the overdue alert', 20_000);
      const afterMs = Date.now() - back;
      expect(afterMs).toBeLessThan(10_000);
      expect(fake.sends.some((s) => s.via === 'dm' && s.to === 'staff-alice' && s.text.includes('已超时 · #1001'))).toBe(true);
      // Commands work again without a restart.
      await push('staff-alice', 'mine', [], false);
      expect(
        fake
          .take()
          .map((s) => s.text)
          .join('\n'),
      ).toContain('#1001');

      expect(exit).toBeUndefined();
      // Never the connection's details: user, host:port or database name.
      expect(output).not.toContain(database);
      expect(output).not.toContain(`127.0.0.1:${proxy.port}`);
      expect(output).not.toContain('13812345678');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (exit === undefined) child.kill('SIGKILL');
    }
  }, 150_000);
});
