import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/app/commands/command-service';
import { createWeeklyPoster } from '../../src/app/front-desk/weekly';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
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

  it('gives a consultant who registers a walk-in and receives it themselves the Done button, as any receiver', async () => {
    await run('ann', 'checkin');
    const own = await run('ann', 'visit 王先生 13812345678');
    expect(own.reply?.text).toContain('由 <@ann> 接待（按轮序）');
    const id = Number(/#(\d+)/.exec(own.reply!.text)![1]);
    const toAnn = own.notices.filter((n) => n.to.kind === 'dm' && n.to.user === 'ann');
    expect(toAnn).toHaveLength(1);
    expect(toAnn[0]!.message.blocks).toContainEqual({ kind: 'buttons', buttons: [{ label: `接待完毕 #${id}`, command: `done ${id}`, style: 'primary' }] });
  });

  it('keeps a walk-in waiting when every consultant is receiving or away, and gives them to the first who becomes free', async () => {
    await run('ann', 'checkin');
    await run('ben', 'checkin');
    await run('ben', 'away');
    expect((await run('sue', 'visit 王先生 13812345678')).reply?.text).toContain('由 <@ann> 接待');
    clock.set('2026-11-24T09:01:00+08:00');
    const waiting = await run('sue', 'visit 赵先生 13700002222 看样板间');
    expect(waiting.reply?.text).toContain('现在没有空闲的置业顾问（都在接待或离开）：赵先生 已登记为等候 W1，排第 1 位');
    // Not in the visitor log until someone receives them.
    expect(await tdb.db.selectFrom('contacts').select('id').execute()).toHaveLength(1);
    expect(await tdb.db.selectFrom('customers').select('name').where('name', '=', '赵先生').execute()).toEqual([]);
    clock.set('2026-11-24T09:05:00+08:00');
    expect((await run('sue', 'visit 钱女士')).reply?.text).toContain('钱女士 已登记为等候 W2，排第 2 位');

    clock.set('2026-11-24T09:10:00+08:00');
    const board = (await run('sue', 'rotation')).reply!.text;
    expect(board).toContain('等候：W1 赵先生（09:01 起，已等 9 分钟）');
    expect(board).toContain('等候：W2 钱女士（09:05 起，已等 5 分钟）');
    expect(board).not.toContain('13700002222');

    // ann is done: the longest-waiting visitor is hers, by the rotation; ben, away, forfeits that turn.
    clock.set('2026-11-24T09:20:00+08:00');
    const done = await run('ann', 'done');
    expect(done.reply?.text).toContain('#1001 接待完毕');
    const toAnn = done.notices.filter((n) => n.to.kind === 'dm' && n.to.user === 'ann');
    expect(toAnn.map((n) => n.message.text)).toEqual(['来访 #1002：赵先生（按轮序，已等候 19 分钟），请到前台接待。接待完毕发送 `/cs done 1002`。']);
    expect(toAnn[0]!.message.blocks).toContainEqual({ kind: 'buttons', buttons: [{ label: '接待完毕 #1002', command: 'done 1002', style: 'primary' }] });
    expect(dmsTo(done, 'ben').join()).toContain('本轮轮空');
    expect(dmsTo(done, 'sue')).toEqual(['等候的客户 W1 赵先生 已由 <@ann> 接待（#1002，按轮序）。']);
    // From now on a visit like any other: received at arrival, answered at the reception, its call-back clock running.
    const row = await tdb.db.selectFrom('contacts').selectAll().where('id', '=', 1002).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'visit', owner_user_id: 'ann', logged_by: 'sue', status: 'responded', note: '看样板间' });
    expect(new Date(row.received_at).toISOString()).toBe('2026-11-24T01:01:00.000Z');
    expect(new Date(row.first_responded_at!).toISOString()).toBe('2026-11-24T01:20:00.000Z');
    expect(new Date(row.resolution_due_at!).toISOString()).toBe('2026-11-25T01:01:00.000Z');
    expect(await tdb.db.selectFrom('nags').select('step').where('contact_id', '=', 1002).execute()).not.toEqual([]);
    expect((await run('ann', 'rotation')).reply?.text).toMatch(/接待中：<@ann>（#1002，09:20 起）/);

    // ben is back: the next one waiting is his.
    clock.set('2026-11-24T09:25:00+08:00');
    const back = await run('ben', 'back');
    expect(dmsTo(back, 'ben').join()).toContain('来访 #1003：钱女士（按轮序，已等候 20 分钟）');
    expect((await run('sue', 'rotation')).reply?.text).not.toContain('等候：');
    const csv = (await run('sue', 'export visits today')).file!.content.toString('utf8');
    expect(csv).toContain('赵先生,137****2222,ann,ann,按轮序');
  });

  it('lets nobody jump the line, gives a waiting visitor to whoever signs in or is back from lunch, and takes off one who left', async () => {
    await run('ann', 'checkin');
    await run('sue', 'visit 甲先生');
    expect((await run('sue', 'visit 乙先生', 'same')).reply?.text).toContain('等候 W1');
    // A retry of the same request is the same visitor.
    expect((await run('sue', 'visit 乙先生', 'same')).reply?.text).toContain('这位客户已经在等候了（W1）');
    await run('sue', 'visit 丙先生');
    expect((await run('sue', 'visit cancel W1')).reply?.text).toContain('已把 W1 乙先生 移出等候名单');
    expect((await run('sue', 'visit cancel W1')).reply?.text).toContain('W1 不在今天的等候名单上');
    expect((await run('sue', 'visit cancel 1')).reply?.text).toContain('等候号「1」无法识别');
    expect((await run('sue', 'visit cancel W1')).reply?.text).toContain('/cs visit cancel W');
    // dan signs in: the one waiting is his.
    const signIn = await run('dan', 'checkin');
    expect(signIn.reply?.text).toContain('已签到');
    expect(dmsTo(signIn, 'dan').join()).toContain('丙先生');
    // ben signs in and goes to lunch; the next walk-in waits.
    await run('ben', 'checkin');
    await run('ben', 'away 30m');
    expect((await run('sue', 'visit 丁先生')).reply?.text).toContain('等候 W3');
    // Lunch over by the clock, without `back`: the one waiting goes first, the new walk-in waits.
    clock.set('2026-11-24T09:31:00+08:00');
    const next = await run('sue', 'visit 戊先生');
    expect(next.reply?.text).toContain('戊先生 已登记为等候 W4，排第 1 位');
    expect(dmsTo(next, 'ben').join()).toContain('丁先生');
    expect(dmsTo(await run('ben', 'done'), 'ben').join()).toContain('戊先生');
    // The board, too, hands a waiting visitor to someone free by the clock.
    await run('ann', 'done');
    await run('ann', 'away 5m');
    expect((await run('sue', 'visit 庚先生')).reply?.text).toContain('等候 W5');
    clock.set('2026-11-24T09:37:00+08:00');
    const board = await run('sue', 'rotation');
    expect(dmsTo(board, 'ann').join()).toContain('庚先生');
    expect(board.reply?.text).not.toContain('等候：');
    // Every visit is in the visitor log, the one who left while waiting too.
    const csv = (await run('sue', 'export visits today')).file!.content.toString('utf8');
    expect(csv).toMatch(/\r\nW1,2026-11-24 09:00,乙先生,,,,等候时离开，未接待,,sue,\r\n/);
    expect(csv).toContain('丙先生,,dan,dan,按轮序');
    // Nobody signed in at all: still refused, with how to sign in.
    clock.set('2026-11-25T08:00:00+08:00');
    expect((await run('sue', 'visit 己先生')).reply?.text).toContain('今天还没有置业顾问签到');
  });

  it('receives a visitor waiting when a lunch ends by the clock within the minute, with nobody typing, and once', async () => {
    await run('ann', 'checkin');
    await run('ann', 'away 30m');
    expect((await run('sue', 'visit 甲先生')).reply?.text).toContain('等候 W1');
    // Still at lunch: the minute job leaves the visitor waiting.
    clock.set('2026-11-24T09:20:00+08:00');
    expect(await service.admitFreedByClock()).toEqual([]);
    clock.set('2026-11-24T09:31:00+08:00');
    const notices = await service.admitFreedByClock();
    expect(
      notices
        .filter((n) => n.to.kind === 'dm' && n.to.user === 'ann')
        .map((n) => n.message.text)
        .join(),
    ).toContain('甲先生');
    // The next minute (or another replica) finds nobody left to receive.
    expect(await service.admitFreedByClock()).toEqual([]);
    expect((await run('sue', 'rotation')).reply?.text).not.toContain('等候：');
  });

  it('lets only the front desk register walk-ins, so nobody else learns whose customer a number is, and reads the visitor as a log line is read', async () => {
    await run('ben', 'log wechat 葛女士 15811112222 问户型');
    for (const who of ['cat', 'dan']) await run(who, 'checkin');
    // ann is not at the desk: she may not register a visit, and learns nothing about ben's customer.
    const probe = await run('ann', 'visit 某人 15811112222');
    expect(text(probe)).toContain('来访由前台登记');
    expect(text(probe)).not.toMatch(/ben|葛女士/);
    expect(probe.notices).toEqual([]);
    expect(await tdb.db.selectFrom('contacts').select('id').where('channel', '=', 'visit').execute()).toEqual([]);
    // A consultant at the desk registers one, read by the one reader of name and phone, with the read-back.
    const first = await run('cat', 'visit 欧阳 明轩 +86 136-2222-3333 看样板间');
    expect(first.reply?.text).toMatch(/来访已登记 #\d+：欧阳明轩/);
    expect(first.reply?.text).toContain('已读作：客户「欧阳明轩」，电话 136****3333，备注「看样板间」');
    await run('cat', 'done');
    await run('dan', 'done');
    const again = await run('dan', 'visit 欧阳明轩 看车位');
    expect(again.reply?.text).toMatch(/来访已登记 #\d+：欧阳明轩/);
    const customers = await tdb.db.selectFrom('customers').select(['name', 'phone']).where('name', 'like', '欧阳%').execute();
    expect(customers).toEqual([{ name: '欧阳明轩', phone: '+8613622223333' }]);
  });

  it('answers each malformed front-desk command with the right form', async () => {
    expect((await run('ann', 'away 9h')).reply?.text).toContain('1 分钟到 4 小时');
    expect((await run('ann', 'checkin now')).reply?.text).toContain('/cs checkin');
    expect((await run('sue', 'rotation skip @ann')).reply?.text).toContain('请写明原因');
    expect((await run('sue', 'rotation move @ann first 迟到')).reply?.text).toContain('位置「first」无法识别');
    expect((await run('ann', 'rotation skip @ben 迟到')).reply?.text).toContain('只有主管或经理');
    expect((await run('ann', 'visit')).reply?.text).toContain('/cs visit');
    expect((await run('ann', 'done abc')).reply?.text).toContain('/cs done');
    // Only the front desk registers walk-ins: ann, not signed in, learns nothing about the customer.
    expect((await run('ann', 'visit 王先生')).reply?.text).toContain('来访由前台登记');
    expect((await run('ann', 'visit 王先生 at 09:00')).reply?.text).toContain('/cs log visit');
    expect((await run('ann', 'cover @ann @ben')).reply?.text).toContain('只有主管或经理');
    expect((await run('ann', 'cover @ann @ben until 2026-11-01')).reply?.text).toContain('只有主管或经理');
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

  it('calls whoever a supervisor’s move or skip brings to the front desk', async () => {
    for (const who of ['ann', 'ben', 'cat', 'dan']) await run(who, 'checkin');
    const moved = await run('sue', 'rotation move @dan 1 老客户预约');
    expect(dmsTo(moved, 'dan').join()).toContain('请到前台等候');
    expect(moved.notices.filter((n) => n.to.kind === 'dm' && n.to.user !== 'dan')).toEqual([]);
    // Now dan, ann, ben at the desk and cat fourth: skipping ann brings cat in.
    const skipped = await run('sue', 'rotation skip @ann 迟到');
    expect(dmsTo(skipped, 'cat').join()).toContain('请到前台等候');
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
    expect(summary).not.toContain('迟发');
    // The bot down through the next week's moment: the summary comes when it is back, and says it is late.
    clock.set('2026-12-04T17:00:00+08:00');
    await replicas[0]!.postDue();
    expect(posts).toHaveLength(2);
    expect(JSON.stringify(posts[1]!.message)).toContain('迟发：原定 2026-12-04 15:30');
    // Turned off: no summary the next week.
    expect((await run('max', 'team weekly off')).reply?.text).toContain('已关闭每周小结');
    clock.set('2026-12-11T15:31:00+08:00');
    await replicas[0]!.postDue();
    expect(posts).toHaveLength(2);
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
