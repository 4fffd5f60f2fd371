import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runEntryPoint } from '../helpers/entry';

describe('the terminal sandbox (npm start with no Slack credentials)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csbot-sandbox-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds the demo team and runs a scripted session to the end of input', async () => {
    const script = [
      // Round the clock, so the due times below do not depend on when the test runs.
      '/as dave',
      '/cs team hours always',
      '/as alice',
      '/cs log wechat 张先生 13812345678 问车位价格',
      '/cs mine',
      '/as bob',
      '/cs show 1001',
      '/as carol',
      '/cs reply #1001 已回电',
      '/cs 登记 短信 李四 hi',
      '/as alice',
      '/cs log',
      'email',
      '王女士',
      '12345',
      '13900001111',
      '',
      '合同条款',
      'mine',
    ].join('\n');
    const { code, stdout, stderr } = await runEntryPoint(`${script}\n`, { DATA_DIR: dataDir, BOT_LANG: 'zh-CN' });
    expect(stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(code).toBe(0);
    const out = stdout.split('\n');
    expect(out[0]).toContain('本地沙盒 · 团队「示例项目」（#demo）· 你是 alice（专员）');
    const linesAfter = (prompt: string) => out.slice(out.indexOf(prompt) + 1);

    const logged = linesAfter('alice> /cs log wechat 张先生 13812345678 问车位价格');
    expect(logged[0]).toBe('[ephemeral alice] 已登记 #1001');
    expect(logged.join('\n')).toContain('电话: 138****5678');
    expect(logged.join('\n')).toMatch(/首次响应时限: \d{4}-\d{2}-\d{2} \d{2}:\d{2}（工作时间 30 分钟内）/);

    expect(linesAfter('alice> /cs mine')[1]).toMatch(/• #1001 · 微信 · 张先生 138\*\*\*\*5678 · 首次响应时限 .*（剩余 (30|29) 个工作分钟）/);
    expect(linesAfter('bob> /cs show 1001')[0]).toBe('[ephemeral bob] 联系 #1001 不属于你，只有归属人（或代班同事）及主管、经理可以查看或操作。');
    expect(linesAfter('carol> /cs reply #1001 已回电')[0]).toMatch(/^\[ephemeral carol\] #1001 已记录首次回复/);
    expect(linesAfter('carol> /cs 登记 短信 李四 hi')[0]).toBe('[ephemeral carol] 不认识的渠道「短信」。可用：call 来电、missed 未接、wechat 微信、email 邮件、visit 来访、complaint 投诉。');

    // The guided form re-asks the field that failed, then logs.
    const form = stdout.slice(stdout.indexOf('alice> /cs log\n'));
    expect(form).toContain('[ephemeral alice] 电话号码「12345」无效。');
    expect(form).toContain('[ephemeral alice] 已登记 #1002');
    expect(form).toContain('139****1111');
    // A line without a slash is a direct message to the bot.
    expect(stdout).toContain('[DM alice] 我的待办（2 条）');
    expect(stdout).toContain('[ephemeral dave] 工作时间已设为：always。');
    expect(stdout).not.toContain('13812345678\n');
  });

  it('keeps its data between runs in DATA_DIR', async () => {
    const { code, stdout } = await runEntryPoint('/cs customer 张先生\n', { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout).toContain('客户 张先生');
    expect(stdout).toContain('联系记录（1 条）');
  });
});

describe('reminders in the sandbox', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csbot-sandbox-nags-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings alice a due-soon and an overdue DM and carol one overdue alert, each once, within seconds', async () => {
    const script = ['/as dave', '/cs team hours always', '/cs team window wechat 2s', '/as alice', '/cs log wechat 张先生 13812345678 问车位价格'].join('\n');
    const { code, stdout } = await runEntryPoint(`${script}\n`, { DATA_DIR: dataDir, BOT_LANG: 'zh-CN' }, 60_000, 4000);
    expect(code).toBe(0);
    const after = stdout.slice(stdout.indexOf('[ephemeral alice] 已登记 #1001'));
    const lines = after.split('\n');
    const dueSoon = lines.filter((l, i) => l.startsWith('[DM alice]') && lines[i + 1]?.includes('即将超时 · #1001'));
    const overdueAlice = lines.filter((l, i) => l.startsWith('[DM alice]') && lines[i + 1]?.includes('已超时 · #1001'));
    const overdueCarol = lines.filter((l, i) => l.startsWith('[DM carol] ⚠️ 超时提醒：1 条客户联系已超时') && lines[i + 1]?.includes('已超时 · #1001'));
    expect([dueSoon.length, overdueAlice.length, overdueCarol.length]).toEqual([1, 1, 1]);
    expect(after.indexOf('即将超时 · #1001')).toBeLessThan(after.indexOf('已超时 · #1001'));
    expect(after).not.toContain('13812345678');
  });
});

describe('start-up configuration', () => {
  it('runs the complaint routine: three complaints, the digest, KPIs and an export Excel opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csbot-complaints-'));
    try {
      const twoDaysAgo = DateTime.now().setZone('Asia/Shanghai').minus({ days: 2 }).toFormat("yyyy-MM-dd'T'HH:mm");
      const script = [
        '/cs complaint 王先生 13812345678 卫生间漏水',
        `/cs complaint 李女士 at ${twoDaysAgo} 质量 13912345678 墙面开裂`,
        '/cs complaint 赵先生 13712345678 物业费多收',
        '/cs confirm 1003 level urgent category 费用',
        '/cs digest',
        '/cs kpi',
        '/as carol',
        '/cs export week',
        // The form for a complaint asks its level and category too, and checks them.
        '/cs 投诉',
        '钱先生',
        '',
        '',
        '外墙渗水',
        '特急',
        '紧急',
        '质量',
      ].join('\n');
      const { code, stdout } = await runEntryPoint(`${script}\n`, { DATA_DIR: join(dir, 'data'), EXPORT_DIR: join(dir, 'exports'), BOT_LANG: 'zh-CN' });
      expect(code).toBe(0);
      const section = (prompt: string) => {
        const from = stdout.indexOf(`${prompt}\n`);
        const to = stdout.indexOf('> /cs', from + prompt.length);
        return stdout.slice(from, to === -1 ? undefined : to);
      };
      expect(section('alice> /cs confirm 1003 level urgent category 费用')).toContain('投诉 #1003 已确认：紧急 · 费用。');
      const digest = section('alice> /cs digest');
      expect(digest).toMatch(/📋 投诉日报 · 示例项目 · \d{4}-\d{2}-\d{2}/);
      expect(digest).toContain('今日新增: 2 件');
      expect(digest).toContain('按级别: 紧急 1 · 未定级 1');
      expect(digest).toContain('按类别: 费用 1 · 未分类 1');
      expect(digest).toContain('#1002 未定级 · 质量 · 李女士 139****5678 · 归属 @alice');
      expect(digest).toMatch(/质量 1 件 [▁▂▃▄▅▆▇█]{7}/);
      expect(digest).not.toMatch(/1391234|1381234|1371234/);
      const kpi = section('alice> /cs kpi');
      expect(kpi).toContain('📊 指标 · @alice');
      expect(kpi).toMatch(/24 小时解决率: .* · 目标 ≥ 90% · ❌ 未达标/);
      expect(kpi).toContain('投诉数: 3 · 目标 0（越少越好） · ❌ 未达标');
      const exported = section('carol> /cs export week');
      expect(exported).toContain('已导出 3 条联系');
      const path = /文件已保存：(.+\.csv)/.exec(exported)![1]!;
      const content = readFileSync(path);
      expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const form = stdout.slice(stdout.indexOf('carol> /cs 投诉'));
      expect(form).toContain('[ephemeral carol] 不认识的级别「特急」');
      expect(form).toContain('[ephemeral carol] 已登记 #1004');
      expect(form).toContain('级别: 紧急');
      expect(form).toContain('类别: 质量');
      const rows = parse(content, { bom: true }) as string[][];
      expect(rows.map((r) => [r[0], r[3], r[5]])).toEqual([
        ['编号', '类别', '电话'],
        ['1002', '质量', '139****5678'],
        ['1001', '', '138****5678'],
        ['1003', '费用', '137****5678'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs from compiled JavaScript with `npm start` (built first), on a new data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csbot-npm-start-'));
    try {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|DATABASE_URL|npm_)/.test(k)));
      const result = spawnSync('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { ...clean, DATA_DIR: dir, BOT_LANG: 'zh-CN' },
        input: '/cs log wechat 张先生 13812345678 问车位价格\n/cs mine\n',
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('[ephemeral alice] 已登记 #1001');
      expect(result.stdout).toContain('我的待办（1 条）');
      expect(existsSync(join(ROOT, 'dist/main.js'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('stops with one line naming a bad variable and exit code 1', async () => {
    const { code, stdout, stderr } = await runEntryPoint('', { SLACK_BOT_TOKEN: 'not-a-token', SLACK_SIGNING_SECRET: 's' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['Configuration error: SLACK_BOT_TOKEN: a Slack bot token starting with xoxb-']);
  });

  it('stops with one line naming HOLIDAYS_FILE and the bad entry of the holiday notice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csbot-holidays-'));
    try {
      const path = join(dir, 'holidays.json');
      writeFileSync(path, JSON.stringify({ 2027: { holidays: ['2027-01-01..2027-01-03', '2027-02-30'] } }));
      const { code, stdout, stderr } = await runEntryPoint('', { HOLIDAYS_FILE: path, DATA_DIR: join(dir, 'data') });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([`Configuration error: HOLIDAYS_FILE: in ${path}, 2027.holidays[1] "2027-02-30" is not a date of the calendar`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
