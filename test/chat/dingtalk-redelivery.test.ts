import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { useScratchDatabase } from '../helpers/db';
import { ROOT } from '../helpers/entry';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { seedTeam } from '../helpers/service';

const pgUrl = process.env.TEST_DATABASE_URL;

/**
 * The real entry point killed between receiving a robot message and acknowledging it, then
 * started again: DingTalk pushes the frame again (within about a minute; here 1.5 s), and the
 * new process handles it, once.
 */
describe.runIf(Boolean(pgUrl))('a DingTalk message whose process died before acknowledging it', () => {
  const database = useScratchDatabase(() => pgUrl!, 'csbot_dt_redeliver');
  let fake: FakeDingTalk;
  const children: ChildProcess[] = [];
  const url = () => {
    const u = new URL(pgUrl!);
    u.pathname = `/${database}`;
    return u.toString();
  };

  beforeAll(async () => {
    fake = await startFakeDingTalk();
    fake.behaviour.redeliverAfterMs = 1_500;
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await fake.stop();
  });

  function bot(): ChildProcess {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|WECOM_|DATABASE_URL)/.test(k)));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { ...clean, DINGTALK_CLIENT_ID: fake.clientId, DINGTALK_CLIENT_SECRET: fake.clientSecret, DINGTALK_API_URL: fake.url, DATABASE_URL: url(), METRICS_PORT: 'off', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    children.push(child);
    return child;
  }

  it('is handled once after the re-push: logged once, answered once', async () => {
    const first = bot();
    await until(() => fake.counts().connections === 1, 'the first process connected', 30_000);
    const { db, close } = await openDatabase({ kind: 'postgres', url: url() });
    try {
      await seedTeam(db, { platform: 'dingtalk', channelId: 'cidTEAM==', lang: 'zh-CN', members: { 'staff-alice': 'specialist' } });
      // DingTalk's side of the answer goes nowhere: the process is still handling the message when it dies.
      fake.behaviour.holdSends = true;
      const { frameIds } = fake.pushRobotMessage({ from: 'staff-alice', text: 'log wechat 张先生 13812345678 问车位价格' });
      await until(async () => Number((await sql<{ n: string }>`select count(*) as n from contacts`.execute(db)).rows[0]!.n) === 1, 'the contact written', 10_000);
      await until(() => fake.counts().heldSends > 0, 'the answer on its way');
      first.kill('SIGKILL');
      await until(() => fake.counts().connections === 0, 'the first process gone');
      expect(fake.acks.has(frameIds[0]!)).toBe(false);
      fake.behaviour.holdSends = false;
      fake.take();

      bot();
      await until(() => fake.acks.has(frameIds[0]!), 'the re-pushed frame acknowledged', 60_000);
      await until(() => fake.sends.some((s) => s.to.includes('staff-alice') && s.text.includes('#1001')), 'the answer', 30_000);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(fake.counts().redeliveries).toBeGreaterThanOrEqual(1);
      expect(Number((await sql<{ n: string }>`select count(*) as n from contacts`.execute(db)).rows[0]!.n)).toBe(1);
      expect(fake.sends.filter((s) => s.text.includes('#1001'))).toHaveLength(1);
    } finally {
      await close();
    }
  }, 120_000);
});
