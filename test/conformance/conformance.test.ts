import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dingtalkHarness } from './dingtalk-harness';
import type { Delivery, PlatformHarness } from './harness';
import { sandboxHarness } from './sandbox-harness';
import { slackHarness } from './slack-harness';
import { wecomHarness } from './wecom-harness';

/** Any whole phone number: a mainland mobile, or a landline with its area code, in any of the ways people write them. */
const FULL_PHONE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)|(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/;

/** Each platform, with what it can do: a scenario runs where it applies (a modal has no state of ours to survive a restart). */
const platforms = [
  { name: 'sandbox', make: sandboxHarness, guidedForm: true, repush: false },
  { name: 'slack', make: slackHarness, guidedForm: false, repush: true },
  { name: 'dingtalk', make: dingtalkHarness, guidedForm: true, repush: true },
  { name: 'wecom', make: () => wecomHarness(), guidedForm: true, repush: true },
  { name: 'wecom with its self-built app for DMs', make: () => wecomHarness({ app: true }), guidedForm: true, repush: true },
];

describe.each(platforms)('the bot on $name', ({ make, guidedForm, repush }) => {
  const h: PlatformHarness = make();
  const seen: Delivery[] = [];
  /** Everything delivered since the last look; no group message ever carries a whole phone number. */
  const take = async () => {
    const got = await h.take();
    seen.push(...got);
    for (const d of got.filter((d) => d.where === 'group')) expect(d.text, `a group message: ${d.text}`).not.toMatch(FULL_PHONE);
    return got;
  };
  const to = (got: readonly Delivery[], where: string) => got.filter((d) => d.where === where);
  const textTo = (got: readonly Delivery[], where: string) =>
    to(got, where)
      .map((d) => d.text)
      .join('\n---\n');
  const priv = (p: Parameters<PlatformHarness['id']>[0]) => `private:${h.id(p)}`;

  async function formTeam(): Promise<void> {
    await h.say('manager', 'team create 滨江壹号', 'group');
    for (const [person, role] of [
      ['supervisor', 'supervisor'],
      ['alice', 'specialist'],
      ['bob', 'specialist'],
    ] as const) {
      await h.say('manager', `team add ${h.mention(person)} ${role}`, 'group');
    }
    await take();
  }

  beforeEach(async () => {
    seen.length = 0;
    await h.start();
  });
  afterEach(async () => {
    await h.stop();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('creates the team in the group it is typed in, and adds members by @mention', async () => {
    await h.say('manager', 'team create 滨江壹号', 'group');
    const created = await take();
    expect(textTo(created, 'group')).toContain('已创建团队「滨江壹号」');
    for (const [person, role] of [
      ['supervisor', '主管'],
      ['alice', '专员'],
    ] as const) {
      await h.say('manager', `team add ${h.mention(person)} ${person === 'supervisor' ? 'supervisor' : 'specialist'}`, 'group');
      const added = await take();
      expect(textTo(added, priv('manager'))).toContain(`角色：${role}`);
    }
    // alice is a member now: her commands work.
    await h.say('alice', 'mine', 'private');
    expect(textTo(await take(), priv('alice'))).toContain('没有待处理的客户联系');
  });

  it('logs from the group and from a private chat: the details privately, nothing about the customer in the group', async () => {
    await formTeam();
    await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'group');
    let got = await take();
    const reply = textTo(got, priv('alice'));
    expect(reply).toContain('已登记 #1001');
    expect(reply).toContain('138****5678');
    expect(reply).not.toContain('13812345678');
    for (const d of to(got, 'group')) {
      expect(d.text).not.toContain('张先生');
      expect(d.text).not.toContain('5678');
    }
    expect(got.filter((d) => !d.where.startsWith('private:') && d.where !== 'group')).toEqual([]);

    await h.say('alice', 'log missed 王女士 13900001111 未接', 'private');
    got = await take();
    expect(textTo(got, priv('alice'))).toContain('已登记 #1002');
    expect(to(got, 'group')).toEqual([]);
  });

  it('answers bad input privately with what was wrong and the right form', async () => {
    await formTeam();
    await h.say('alice', 'log 短信 李四', 'group');
    const got = await take();
    const text = textTo(got, priv('alice'));
    expect(text).toContain('不认识的渠道「短信」');
    expect(text).toContain('正确用法');
    expect(
      to(got, 'group')
        .map((d) => d.text)
        .join(),
    ).not.toContain('李四');
  });

  it('nags the owner before and at the deadline, alerts each supervisor, escalates to the team group', async () => {
    await formTeam();
    await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'group');
    await take();

    h.clock.set('2026-11-24T10:24:00+08:00');
    await h.sweep();
    let got = await take();
    expect(textTo(got, priv('alice'))).toMatch(/即将超时 · #1001/);
    expect(got.filter((d) => d.where !== priv('alice'))).toEqual([]);

    h.clock.set('2026-11-24T10:30:00+08:00');
    await h.sweep();
    got = await take();
    expect(textTo(got, priv('alice'))).toMatch(/已超时 · #1001/);
    expect(textTo(got, priv('supervisor'))).toMatch(/超时提醒.*[\s\S]*#1001/);
    expect(to(got, 'group')).toEqual([]);

    h.clock.set('2026-11-24T11:00:00+08:00');
    await h.sweep();
    got = await take();
    const escalation = textTo(got, 'group');
    expect(escalation).toMatch(/升级 · #1001/);
    expect(escalation).not.toContain('5678');
    expect(textTo(got, priv('manager'))).toMatch(/升级/);
    // Each step once.
    await h.sweep();
    expect(await take()).toEqual([]);
  });

  it('marks what went out late after the bot was down, the escalation in the group included', async () => {
    await formTeam();
    await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'group');
    await take();
    // Down before the reminders' moments (10:24, 10:30, 11:00); back at 12:40.
    h.clock.set('2026-11-24T12:40:00+08:00');
    await h.restart();
    await h.sweep();
    const got = await take();
    expect(textTo(got, 'group')).toMatch(/升级 · #1001[^\n]*（延迟发送，原定 2026-11-24 11:00）/);
    expect(textTo(got, priv('manager'))).toContain('（延迟发送，原定 2026-11-24 11:00）');
    expect(textTo(got, priv('alice'))).toContain('（延迟发送，原定 2026-11-24 10:30）');
  });

  it('posts the daily complaint digest to the team group', async () => {
    await formTeam();
    await h.say('alice', 'complaint 李女士 重大 质量 13912345678 墙面开裂', 'group');
    await take();
    h.clock.set('2026-11-24T18:00:30+08:00');
    await h.postDigests();
    const posted = to(await take(), 'group');
    const digest = posted.map((d) => d.text).join('\n---\n');
    expect(digest).toContain('投诉日报 · 滨江壹号 · 2026-11-24');
    expect(digest).toContain('重大 1');
    // The text first, then its charts: 14 days by category, open complaints by age.
    expect(posted.map((d) => d.image === true)).toEqual([...posted.filter((d) => !d.image).map(() => false), true, true]);
    await h.postDigests();
    expect(to(await take(), 'group')).toEqual([]);
    // A team that turns charts off gets the text alone, as before charts.
    await h.say('manager', 'team charts off', 'group');
    expect(textTo(await take(), priv('manager'))).toContain('图表已关闭');
    h.clock.set('2026-11-25T18:00:30+08:00');
    await h.postDigests();
    const next = to(await take(), 'group');
    expect(next.map((d) => d.text).join('\n')).toContain('投诉日报 · 滨江壹号 · 2026-11-25');
    expect(next.filter((d) => d.image)).toEqual([]);
  });

  it('draws the asker’s KPI trend on `kpi … chart`, after the figures, in their private chat', async () => {
    await formTeam();
    await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'group');
    await h.say('alice', 'reply 1001', 'group');
    await take();
    await h.say('supervisor', 'kpi week', 'private');
    const answer = to(await take(), priv('supervisor'));
    expect(answer.map((d) => d.text).join('\n')).toContain('首次响应');
    const button = answer.flatMap((d) => d.commands).find((c) => c.endsWith('chart'));
    expect(button).toBe('kpi week chart');
    await h.tap('supervisor', button!);
    const charted = to(await take(), priv('supervisor'));
    expect(charted.map((d) => d.text).join('\n')).toContain('趋势图');
    expect(charted.filter((d) => d.image)).toHaveLength(1);
  });

  it('runs a tapped button’s command as the person who taps it', async () => {
    await formTeam();
    await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'group');
    const logged = await take();
    const replyButton = to(logged, priv('alice'))
      .flatMap((d) => d.commands)
      .find((c) => c === 'reply 1001');
    expect(replyButton).toBe('reply 1001');
    await h.tap('alice', replyButton!);
    expect(textTo(await take(), priv('alice'))).toContain('#1001 已记录首次回复');
    await h.say('supervisor', 'show 1001', 'private');
    expect(textTo(await take(), priv('supervisor'))).toMatch(new RegExp(`(${h.id('alice')}|张小艾).*首次回复`));
  });

  if (guidedForm)
    it('keeps a guided log form across a restart and logs what it collected', async () => {
      await formTeam();
      await h.say('alice', 'log', 'private');
      expect(textTo(await take(), priv('alice'))).toContain('渠道');
      await h.say('alice', 'wechat', 'private');
      expect(textTo(await take(), priv('alice'))).toContain('客户姓名');
      await h.restart();
      for (const answer of ['赵先生', '13700001111', '-', '想看样板间']) await h.say('alice', answer, 'private');
      const got = await take();
      const text = textTo(got, priv('alice'));
      expect(text).toContain('已登记 #1001');
      expect(text).toContain('137****1111');
      expect(text).toContain('想看样板间');
    });

  if (guidedForm)
    it('runs a tapped button’s command even while a guided form waits for an answer', async () => {
      await formTeam();
      await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'private');
      await take();
      await h.say('alice', 'log', 'private');
      await take();
      await h.tap('alice', 'reply 1001');
      const tapped = textTo(await take(), priv('alice'));
      expect(tapped).toContain('#1001 已记录首次回复');
      // After the command's answer: the form still waits, its question again, how to drop it.
      expect(tapped).toMatch(/#1001 已记录首次回复[\s\S]*登记表单还在等你回答：渠道[\s\S]*发送 \/cancel/);
      // The form still waits, and takes the next line as its answer.
      await h.say('alice', 'email', 'private');
      expect(textTo(await take(), priv('alice'))).toContain('客户姓名');
    });

  it('answers a message with nothing in it, or /cs alone, with the short help', async () => {
    await formTeam();
    await h.say('alice', '', 'group');
    const help = textTo(await take(), priv('alice'));
    expect(help).toContain('常用：`/cs log');
    expect(help).toContain('发送 `/cs help` 查看全部用法');
    await h.say('alice', '   ', 'private');
    expect(textTo(await take(), priv('alice'))).toContain('发送 `/cs help` 查看全部用法');
  });

  if (repush)
    it('logs nothing twice when the platform delivers a message again', async () => {
      await formTeam();
      await h.say('alice', 'log wechat 张先生 13812345678 问车位价格', 'private');
      await take();
      await h.repeatLast!();
      await take();
      await h.say('alice', 'mine', 'private');
      expect(textTo(await take(), priv('alice'))).toContain('我的待办（1 条）');
    });
});
