import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/app/command-service';
import { createWeeklyPoster } from '../../src/app/front-desk/weekly';
import { createNagSweeper } from '../../src/app/nag-sweeper';
import type { Outgoing } from '../../src/chat/message';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { capturingLogger, seedTeam, serviceFor } from '../helpers/service';

/** A reply or notice as its reader sees it. */
const text = (o: CommandOutcome) => [o.reply?.text ?? '', ...o.notices.map((n) => `→${n.to.kind === 'dm' ? n.to.user : 'channel'}: ${n.message.text}`)].join('\n');
const dmsTo = (o: CommandOutcome, user: string) => o.notices.filter((n) => n.to.kind === 'dm' && n.to.user === user).map((n) => n.message.text);

describe('the sales-office front desk', () => {
  let tdb: TestDatabase;
  const clock = fakeClock('2026-11-24T09:00:00+08:00');
  let run: (user: string, line: string, key?: string) => Promise<CommandOutcome>;
  let service: ReturnType<typeof serviceFor>['service'];
  beforeAll(async () => {
    tdb = await pgliteKind.open();
  });
  afterAll(async () => {
    await tdb.close();
  });
  beforeEach(async () => {
    await tdb.reset();
    clock.set('2026-11-24T09:00:00+08:00');
    await seedTeam(tdb.db, {
      channelId: 'C_TEAM',
      lang: 'zh-CN',
      members: { ann: 'specialist', ben: 'specialist', cat: 'specialist', dan: 'specialist', sue: 'supervisor', max: 'manager' },
    });
    service = serviceFor(tdb.db, clock, { lang: 'zh-CN' }).service;
    let serial = 0;
    run = (user, line, key) => service.handle({ userId: user, channelId: 'C_TEAM', text: line, requestKey: key ?? `k${++serial}` });
  });

  it('runs a morning by the code of conduct: sign-in order, lunch forfeits, an existing customer to their owner or on their behalf, the fourth called to the desk', async () => {
    for (const who of ['ann', 'ben', 'cat', 'dan']) {
      clock.advance({ minutes: 1 });
      expect((await run(who, 'checkin')).reply?.text).toContain('已签到');
    }
    expect((await run('ann', '签到')).reply?.text).toContain('你今天已经签到了，目前轮序第 1 位');
    // ann's customer from yesterday's phone call.
    await run('ann', 'log call 李女士 13900001111 问价格');
    clock.set('2026-11-24T11:31:00+08:00');

    // A new walk-in: ann is first. She goes to the back; dan, fourth, is called to the desk.
    const first = await run('sue', 'visit 王先生 13812345678 看三期样板间');
    expect(first.reply?.text).toMatch(/来访已登记 #\d+：王先生，由 <@ann> 接待（按轮序）/);
    expect(dmsTo(first, 'ann').join()).toContain('请到前台接待');
    expect(dmsTo(first, 'dan').join()).toContain('请到前台等候');
    // The reply never carries the whole number; nor does a DM to someone else.
    expect(text(first)).not.toContain('13812345678');

    // ben goes to lunch; the next walk-in is his turn: forfeited; cat receives.
    expect((await run('ben', 'away')).reply?.text).toContain('12:11 前轮到你会算轮空');
    clock.advance({ minutes: 1 });
    const second = await run('sue', 'visit 赵先生 13700002222');
    expect(second.reply?.text).toContain('由 <@cat> 接待（按轮序）');
    expect(dmsTo(second, 'ben').join()).toContain('本轮轮空');

    // ann's own customer comes back while ann is receiving: dan receives on her behalf; ann is told.
    clock.advance({ minutes: 1 });
    const third = await run('sue', 'visit 李女士 13900001111');
    expect(third.reply?.text).toContain('由 <@dan> 接待（老客户，归属顾问 <@ann> 不在或正在接待，义务接待）');
    expect(dmsTo(third, 'ann').join()).toContain('由 <@dan> 义务接待');

    // ann is done; her customer's next visit goes to her, and moves nobody.
    clock.advance({ minutes: 5 });
    expect((await run('ann', 'done')).reply?.text).toMatch(/#\d+ 接待完毕/);
    const fourth = await run('sue', 'visit 李女士 13900001111 复看');
    expect(fourth.reply?.text).toContain('由 <@ann> 接待（老客户，归属顾问接待）');

    const board = (await run('ben', 'rotation')).reply!.text;
    expect(board).toContain('今日轮序');
    expect(board).toContain('前台：');
    expect(board).toMatch(/接待中：<@cat>（#\d+，11:32 起）/);
    expect(board).toContain('离开：<@ben>（至 12:11）');
    expect(board).toContain('今日轮空：<@ben> 11:32');
  });

  it('answers each malformed front-desk command with the right form', async () => {
    expect((await run('ann', 'away 9h')).reply?.text).toContain('1 分钟到 4 小时');
    expect((await run('ann', 'checkin now')).reply?.text).toContain('/cs checkin');
    expect((await run('sue', 'rotation skip @ann')).reply?.text).toContain('请写明原因');
    expect((await run('sue', 'rotation move @ann first 迟到')).reply?.text).toContain('位置「first」无法识别');
    expect((await run('ann', 'rotation skip @ben 迟到')).reply?.text).toContain('只有主管或经理');
    expect((await run('ann', 'visit')).reply?.text).toContain('/cs visit');
    expect((await run('ann', 'done abc')).reply?.text).toContain('/cs done');
    expect((await run('ann', 'visit 王先生')).reply?.text).toContain('今天还没有置业顾问签到');
    expect((await run('ann', 'visit 王先生 at 09:00')).reply?.text).toContain('/cs log visit');
    expect((await run('ann', 'cover @ann @ben')).reply?.text).toContain('只有主管或经理');
    expect((await run('sue', 'handover @ann @ben')).reply?.text).toContain('只有本团队的经理');
  });

  it('records a supervisor’s corrections with who and why, and a visit they assign by hand', async () => {
    for (const who of ['ann', 'ben', 'cat']) await run(who, 'checkin');
    expect((await run('sue', 'rotation move @cat 1 老客户预约')).reply?.text).toContain('已把 <@cat> 调到轮序第 1 位：老客户预约');
    expect((await run('sue', 'rotation skip @ann 迟到')).reply?.text).toContain('已记录 <@ann> 轮空：迟到');
    expect((await run('sue', 'rotation')).reply?.text).toContain('轮序：<@cat> → <@ben> → <@ann>');
    expect((await run('sue', 'visit 周先生 for @ben')).reply?.text).toContain('由 <@ben> 接待（主管指定）');
    const rows = await tdb.db.selectFrom('rotation_events').select(['kind', 'user_id', 'by_user', 'reason']).where('by_user', 'is not', null).orderBy('id').execute();
    expect(rows).toEqual([
      { kind: 'move', user_id: 'cat', by_user: 'sue', reason: '老客户预约' },
      { kind: 'forfeit', user_id: 'ann', by_user: 'sue', reason: '迟到' },
      { kind: 'visit', user_id: 'ben', by_user: 'sue', reason: null },
    ]);
    // A note that merely contains "for" is a note.
    expect((await run('sue', 'visit Mr Wang 13812345678 looking for parking')).reply?.text).toMatch(/来访已登记 #\d+：Mr Wang，由 <@(cat|ann)> 接待/);
  });

  it('sends a colleague the reminders of someone on leave while the cover lasts', async () => {
    await run('ann', 'log wechat 张先生 13812345678 问车位价格');
    expect((await run('sue', 'cover @ann @ben until 2026-11-30')).reply?.text).toContain('已安排代班');
    clock.set('2026-11-24T09:26:00+08:00');
    const sent: Outgoing[] = [];
    const sweeper = createNagSweeper({ platform: 'slack', db: tdb.db, gateway: { send: async (o) => void sent.push(o) }, clock, logger: capturingLogger().logger });
    await sweeper.sweep();
    expect(sent.map((o) => (o.to.kind === 'dm' ? o.to.user : o.to.kind))).toEqual(['ben']);
    // The customer is still ann's.
    expect((await tdb.db.selectFrom('customers').select('owner_user_id').executeTakeFirstOrThrow()).owner_user_id).toBe('ann');
    // ben may act on what he is reminded of; cat, who covers for nobody, may not.
    expect((await run('cat', 'reply 1001')).reply?.text).toContain('只有归属人');
    expect((await run('ben', 'reply 1001 已回电')).reply?.text).toContain('#1001 已记录首次回复');
    // Once the cover ends, no longer.
    await run('sue', 'cover end @ann');
    expect((await run('ben', 'resolve 1001')).reply?.text).toContain('只有归属人');
  });

  it('hands a leaver’s customers and open work to colleagues, evenly, and locks them out', async () => {
    await run('ann', 'checkin');
    for (const [i, name] of ['甲', '乙', '丙', '丁'].entries()) await run('ann', `log wechat ${name}先生 1381234567${i} 咨询`);
    // dan's customer, handed to ann to look after: it goes with her open work too.
    await run('dan', 'log wechat 戊先生 13712345679 咨询');
    await run('sue', 'assign 1005 @ann');
    expect((await run('max', 'handover @max @ben')).reply?.text).toContain('团队只剩这一位经理');
    expect((await run('sue', 'cover @ann @ben until 2026-13-45')).reply?.text).toContain('/cs cover');
    const done = await run('max', 'handover @ann @ben @cat');
    expect(done.reply?.text).toContain('<@ann> 的 4 位客户、5 条未结联系已转给 <@ben>、<@cat>');
    expect(dmsTo(done, 'ben').join()).toContain('2 位客户、3 条未结联系');
    expect(dmsTo(done, 'cat').join()).toContain('2 位客户、2 条未结联系');
    // Nothing can be handed to her any more.
    expect((await run('sue', 'assign 1005 @ann')).reply?.text).toContain('不在团队');
    const owners = await tdb.db.selectFrom('contacts').select('owner_user_id').execute();
    expect(owners.filter((o) => o.owner_user_id === 'ann')).toEqual([]);
    const audited = await tdb.db.selectFrom('contact_events').select('kind').where('kind', '=', 'reassigned').execute();
    expect(audited).toHaveLength(6);
    // Out of the rotation, and refused from now on; the history stays.
    expect((await run('ben', 'rotation')).reply?.text).not.toContain('<@ann>');
    expect((await run('ann', 'mine')).reply?.text).toContain('不能再登记或查看客户');
    expect((await run('ann', 'customer 甲先生')).reply?.text).toContain('不能再登记或查看客户');
    // Nor through the log form.
    const form = await service.submitLogForm({ userId: 'ann', channelId: 'C_TEAM', text: '' }, { channel: 'wechat', customer: '戊先生', note: '' });
    expect(form).toMatchObject({ ok: false, message: expect.stringContaining('不能再登记或查看客户') });
    expect((await tdb.db.selectFrom('contacts').select('logged_by').where('id', '<', 1005).execute()).every((c) => c.logged_by === 'ann')).toBe(true);
  });

  it('posts the weekly summary to the team channel before the Friday meeting, once across replicas', async () => {
    await run('ann', 'checkin');
    await run('ben', 'checkin');
    await run('sue', 'visit 王先生 13812345678');
    await run('ann', 'log wechat 张先生 13800001111 问价格');
    await run('ann', 'reply 1002');
    expect((await run('max', 'team weekly 周五 15:30')).reply?.text).toContain('每周小结改为每周五 15:30');
    expect((await run('max', 'team weekly someday')).reply?.text).toContain('fri 15:30');
    const posts: Outgoing[] = [];
    const gateway = { send: async (o: Outgoing) => void posts.push(o) };
    const replicas = [1, 2].map(() => createWeeklyPoster({ platform: 'slack', db: tdb.db, gateway, clock, logger: capturingLogger().logger }));
    clock.set('2026-11-27T15:29:00+08:00');
    await Promise.all(replicas.map((r) => r.postDue()));
    expect(posts).toEqual([]);
    clock.set('2026-11-27T15:31:00+08:00');
    await Promise.all(replicas.map((r) => r.postDue()));
    await Promise.all(replicas.map((r) => r.postDue()));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.to).toEqual({ kind: 'channel', channel: 'C_TEAM' });
    const summary = JSON.stringify(posts[0]!.message);
    expect(summary).toContain('周工作小结 · Test team · 2026-11-20 至 2026-11-27');
    expect(summary).toContain('<@ann>：接待 1，轮空 0，登记 1，按时响应 1/1');
    expect(summary).toContain('团队指标');
    // This week's figures, with the week before beside them, each under its own name.
    expect(summary).toContain('本周团队指标：首次响应按时率 100%（上周 —）');
    expect(summary).not.toMatch(/13812345678|13800001111/);
    // Turned off: no summary the next week.
    expect((await run('max', 'team weekly off')).reply?.text).toContain('已关闭每周小结');
    clock.set('2026-12-04T15:31:00+08:00');
    await replicas[0]!.postDue();
    expect(posts).toHaveLength(1);
  });

  it('exports the visitor log and the call log, Excel-ready, phones masked for a supervisor', async () => {
    await run('ann', 'checkin');
    await run('sue', 'visit 王先生 13812345678 =HYPERLINK("x")');
    await run('ann', 'log missed 赵女士 13900002222 回电');
    const visits = await run('sue', 'export visits today');
    const csv = visits.file!.content.toString('utf8');
    expect(visits.file!.name).toMatch(/^visits-2026-11-24-2026-11-24-/);
    expect(csv.startsWith('\uFEFF编号,来访时间,客户,电话,归属顾问,接待顾问,分配方式')).toBe(true);
    expect(csv).toContain('王先生,138****5678,ann,ann,按轮序');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toContain('赵女士');
    const calls = (await run('max', 'export 来电 today')).file!.content.toString('utf8');
    expect(calls).toMatch(/赵女士,139.?0000.?2222/);
    expect(calls).not.toContain('王先生');
    expect((await run('sue', 'export visits someday')).reply?.text).toContain('/cs export');
  });

  it('keeps a visit’s call-back clock, finds a customer known by name, and keeps a reception until it is done', async () => {
    for (const who of ['ann', 'ben', 'cat', 'dan', 'sue']) await run(who, 'checkin');
    // cat's customer from a call with no number taken.
    await run('cat', 'log call 李女士 问价格');
    const visit = await run('sue', 'visit 李女士 13900001111');
    expect(visit.reply?.text).toContain('由 <@cat> 接待（老客户，归属顾问接待）');
    const id = Number(/#(\d+)/.exec(visit.reply!.text)![1]);
    const row = await tdb.db.selectFrom('contacts').select(['resolution_due_at', 'first_responded_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.first_responded_at).not.toBeNull();
    expect(row.resolution_due_at).not.toBeNull();
    expect(await tdb.db.selectFrom('nags').select('step').where('contact_id', '=', id).execute()).not.toEqual([]);
    // Signing out in the middle of a reception is refused until it is done.
    expect((await run('cat', 'checkout')).reply?.text).toContain(`先 \`/cs done ${id}\``);
    // One of the three at the desk (ann, ben, dan; cat is receiving) goes to lunch: the next free one is called.
    const lunch = await run('ann', 'away 30m');
    expect(dmsTo(lunch, 'sue').join()).toContain('请到前台等候');
  });
});
