import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/entry';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';

const GROUP = 'cidENTRY==';

/** `npm start` as an operator runs it: the real entry point, its own embedded database, DingTalk credentials aimed at the fake. */
function startProcess(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|DATABASE_URL)/.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += String(d)));
  child.stderr!.on('data', (d) => (out.stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, out, exited };
}

describe('npm start with DingTalk credentials', () => {
  let fake: FakeDingTalk;
  const dataDir = mkdtempSync(join(tmpdir(), 'csbot-dt-entry-'));
  let proc: { child: ChildProcess; out: { stdout: string; stderr: string }; exited: Promise<number | null> } | null = null;
  const env = () => ({
    DINGTALK_CLIENT_ID: fake.clientId,
    DINGTALK_CLIENT_SECRET: fake.clientSecret,
    DINGTALK_API_URL: fake.url,
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMINS: 'staff-dave',
    METRICS_PORT: '0',
  });

  beforeAll(async () => {
    fake = await startFakeDingTalk();
  });
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const push = async (from: string, text: string, mentions: string[] = []) => {
    const { frameIds } = fake.pushRobotMessage({ from, group: GROUP, text, mentions });
    await until(() => frameIds.every((id) => fake.acks.has(id)), `the bot handling "${text}"`, 15_000);
  };

  it('stops with one line naming the variables when DingTalk refuses the credentials, exit code 1', async () => {
    const bad = startProcess({ ...env(), DINGTALK_CLIENT_SECRET: 'not-the-secret' });
    const code = await bad.exited;
    expect(code).toBe(1);
    const lines = bad.out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Start-up failed: DingTalk refused the app's credentials \(DINGTALK_CLIENT_ID \/ DINGTALK_CLIENT_SECRET\)/);
    expect(bad.out.stderr).not.toContain('not-the-secret');
    expect(fake.counts().opens).toBe(0);
  }, 60_000);

  it('connects over Stream, serves a team created in a group, and exits 0 on SIGTERM', async () => {
    proc = startProcess(env());
    await until(() => fake.counts().connections === 1, 'the Stream connection', 45_000);
    await push('staff-dave', 'team create 滨江壹号');
    await push('staff-dave', 'team add specialist', ['staff-alice']);
    await push('staff-alice', 'log wechat 张先生 13812345678 问车位价格');
    await push('staff-alice', 'reply 1001 已回电');
    const sent = fake.take();
    const group = sent.filter((s) => s.via === 'group' || (s.via === 'session' && s.to === GROUP));
    expect(group.map((s) => s.text).join('\n')).toContain('已创建团队「滨江壹号」');
    expect(group.map((s) => s.text).join('\n')).toContain('已登记 #1001');
    expect(group.map((s) => s.text).join('\n')).not.toMatch(/13812345678|张先生/);
    const toAlice = sent
      .filter((s) => s.via === 'dm' && s.to === 'staff-alice')
      .map((s) => s.text)
      .join('\n');
    expect(toAlice).toContain('138****5678');
    expect(toAlice).toContain('#1001 已记录首次回复');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(fake.counts().connections).toBe(0);
    expect(proc.out.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  }, 90_000);
});
