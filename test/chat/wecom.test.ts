import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../../src/bot';
import { createWeComConnection } from '../../src/chat/wecom/connection';
import { weComStorage } from '../../src/platforms/wecom-storage';
import { buttonKey } from '../../src/chat/wecom/render';
import { commandText } from '../../handlers/wecom';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { runEntryPoint } from '../helpers/entry';
import { startFakeWeCom, until, type FakeWeCom } from '../helpers/fake-wecom';
import { capturingLogger, seedTeam } from '../helpers/service';

const GROUP = 'wrGROUP1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the bot on WeCom', () => {
  let fake: FakeWeCom;
  let tdb: TestDatabase;
  let bot: Bot | null = null;
  const clock = fakeClock('2026-11-24T10:00:00+08:00');
  const idle = { every: () => {}, stop: async () => {} };
  const handled = async (msgid: string) =>
    until(
      async () => {
        const rows = await sql<{ held_until: Date | null }>`select held_until from request_keys where key = ${`inbound:wecom:${msgid}`}`.execute(tdb.db);
        return rows.rows.length === 1 && rows.rows[0]!.held_until === null;
      },
      'handled',
      10_000,
    );
  const start = async (env: Record<string, string> = {}) => {
    const config = loadConfig({ WECOM_BOT_ID: fake.botId, WECOM_BOT_SECRET: fake.secret, WECOM_WS_URL: fake.wsUrl, LOG_LEVEL: 'silent', METRICS_PORT: 'off', BOOTSTRAP_ADMINS: 'boss', ...env });
    bot = await startBot({ config, db: tdb.db, clock, logger: capturingLogger('silent').logger, scheduler: idle, seedDemo: false });
    await until(() => fake.liveConnections() === 1, 'connected');
  };

  beforeAll(async () => {
    fake = await startFakeWeCom({ now: () => clock.now().toMillis() });
    tdb = await pgliteKind.open();
  });
  beforeEach(async () => {
    await tdb.reset();
    clock.set('2026-11-24T10:00:00+08:00');
    fake.behaviour.failNext.length = 0;
    fake.behaviour.auth = 'ok';
    fake.take();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = null;
  });
  afterAll(async () => {
    await fake.stop();
    await tdb.close();
  });

  it('keeps user ids lower-case, as WeCom hands them back, however an admin types them', async () => {
    await start({ BOOTSTRAP_ADMINS: 'Boss' });
    const pushed = fake.pushMessage({ from: 'BOSS', text: '@客服助手 team create 滨江壹号', group: GROUP });
    await handled(pushed.msgid);
    const added = fake.pushMessage({ from: 'boss', text: '@客服助手 team add @ZhangSan specialist', group: GROUP });
    await handled(added.msgid);
    const members = await tdb.db.selectFrom('members').select(['user_id', 'role']).orderBy('user_id').execute();
    expect(members).toEqual([
      { user_id: 'boss', role: 'manager' },
      { user_id: 'zhangsan', role: 'specialist' },
    ]);
    // She writes as ZhangSan; WeCom says zhangsan: the same person.
    const mine = fake.pushMessage({ from: 'ZhangSan', text: 'mine' });
    await handled(mine.msgid);
    const replies = fake.take().filter((s) => s.via === 'reply' && s.content.includes('没有待处理的客户联系'));
    expect(replies).toHaveLength(1);
  });

  it.each(['nested', 'flat', 'inline'] as const)('runs a card button’s command as the person who clicks it (%s event shape) and marks the card done', async (shape) => {
    await seedTeam(tdb.db, { platform: 'wecom', channelId: GROUP, lang: 'zh-CN', members: { alice: 'specialist' }, createdAt: clock.now().toJSDate() });
    await start();
    const logged = fake.pushMessage({ from: 'alice', text: 'log wechat 张先生 13812345678 问车位价格' });
    await handled(logged.msgid);
    const card = fake.take().find((s) => s.card)?.card as { task_id: string; button_list: Array<{ key: string }> };
    expect(card.button_list.map((b) => b.key)).toContain(buttonKey('reply 1001'));
    const click = fake.pushCardClick({ from: 'alice', eventKey: buttonKey('reply 1001'), taskId: card.task_id, shape });
    await handled(click.msgid);
    await until(() => fake.sends.some((s) => s.via === 'update'), 'the card updated');
    const sent = fake.take();
    expect(
      sent
        .filter((s) => s.via !== 'update')
        .map((s) => s.content)
        .join('\n'),
    ).toContain('#1001 已记录首次回复');
    const update = sent.find((s) => s.via === 'update')!;
    const updated = update.card as { task_id: string; button_list: Array<{ key: string }>; main_title: { desc: string } };
    expect(updated.task_id).toBe(card.task_id);
    expect(update.userids).toEqual(['alice']);
    // The clicked button is gone, the others stay; the card says where the answer is.
    expect(updated.button_list.map((b) => b.key)).toEqual(card.button_list.map((b) => b.key).filter((k) => k !== buttonKey('reply 1001')));
    expect(updated.main_title.desc).toContain('结果见与我的单聊');
    // Keys that are not ours (another bot's, the spent button's) run nothing.
    for (const key of ['confirm', 'spent', 'cs_', 'cs_!!', `cs_${'A'.repeat(2000)}`]) {
      const odd = fake.pushCardClick({ from: 'alice', eventKey: key, taskId: card.task_id, shape });
      await sleep(100);
      expect(await sql`select 1 from request_keys where key = ${`inbound:wecom:${odd.msgid}`}`.execute(tdb.db).then((r) => r.rows)).toEqual([]);
    }
  });

  it('sends a reminder WeCom refused with 45009 once it may, once', async () => {
    await seedTeam(tdb.db, { platform: 'wecom', channelId: GROUP, lang: 'zh-CN', members: { alice: 'specialist' }, createdAt: clock.now().toJSDate() });
    await start();
    const logged = fake.pushMessage({ from: 'alice', text: 'log wechat 张先生 13812345678 问车位价格' });
    await handled(logged.msgid);
    fake.take();
    fake.behaviour.failNext.push({ errcode: 45009, errmsg: 'api freq out of limit' });
    clock.set('2026-11-24T10:26:00+08:00');
    await bot!.nags.sweepNow();
    expect(fake.refused.map((r) => r.errcode)).toContain(45009);
    expect(fake.take().filter((s) => s.chatid === 'alice')).toEqual([]);
    // Within WeCom's wait nothing is tried; after it, the reminder goes out once.
    clock.advance({ seconds: 30 });
    await bot!.nags.sweepNow();
    expect(fake.take().filter((s) => s.chatid === 'alice')).toEqual([]);
    clock.advance({ seconds: 31 });
    await bot!.nags.sweepNow();
    const reminders = fake.take().filter((s) => s.chatid === 'alice' && s.msgtype === 'markdown');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.content).toContain('#1001');
    expect(reminders[0]!.content).not.toMatch(/13812345678/);
  });

  it('is not ready, counts it, and tells the bootstrap admins once, when something outside keeps taking the connection', async () => {
    const app = { WECOM_CORP_ID: fake.corpId, WECOM_APP_SECRET: fake.appSecret, WECOM_AGENT_ID: fake.agentId, WECOM_API_URL: fake.apiUrl };
    await start({ ...app, METRICS_PORT: '0', BOOTSTRAP_ADMINS: 'boss' });
    const ops = `http://127.0.0.1:${bot!.opsPort}`;
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const auths = fake.counts().auths;
    fake.kick();
    await until(() => fake.counts().auths > auths && fake.liveConnections() === 1, 'connected again at once');
    fake.kick();
    await until(async () => (await fetch(`${ops}/readyz`)).status === 503, 'not ready');
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/csbot_chat_kicks_total\{platform="wecom"\} 2/);
    expect(metrics).toMatch(/csbot_chat_contested\{platform="wecom"\} 1/);
    await until(() => fake.sends.some((s) => s.to === 'boss'), 'the admin told');
    const told = fake.sends.filter((s) => s.to === 'boss');
    expect(told).toHaveLength(1);
    expect(told[0]!.content).toContain('WECOM_BOT_ID');
  });

  it('answers voice and mixed messages by their words, saying what it read from a voice', async () => {
    await seedTeam(tdb.db, { platform: 'wecom', channelId: GROUP, lang: 'zh-CN', members: { alice: 'specialist' }, createdAt: clock.now().toJSDate() });
    await start();
    const voice = fake.pushMessage({ from: 'alice', text: '', msgtype: 'voice', override: { voice: { content: '我的。' } } });
    await handled(voice.msgid);
    const heard = fake
      .take()
      .map((s) => s.content)
      .join('\n');
    expect(heard).toContain('从你的语音里听到：「我的」');
    expect(heard).toContain('没有待处理的客户联系');
    expect(heard).not.toContain('我只能读文字消息');
    const mixed = fake.pushMessage({
      from: 'alice',
      text: '',
      msgtype: 'mixed',
      override: {
        mixed: {
          msg_item: [
            { msgtype: 'image', image: { url: 'https://example.invalid/x' } },
            { msgtype: 'text', text: { content: 'mine' } },
          ],
        },
      },
    });
    await handled(mixed.msgid);
    expect(
      fake
        .take()
        .map((s) => s.content)
        .join('\n'),
    ).toContain('没有待处理的客户联系');
    // A picture alone still has no words.
    const picture = fake.pushMessage({ from: 'alice', text: '', msgtype: 'image', override: { image: { url: 'https://example.invalid/x' } } });
    await handled(picture.msgid);
    expect(
      fake
        .take()
        .map((s) => s.content)
        .join('\n'),
    ).toContain('我只能读文字消息');
  });

  it('explains that WeCom needs the account id when a colleague is picked from the @ list by name', async () => {
    await seedTeam(tdb.db, { platform: 'wecom', channelId: GROUP, lang: 'zh-CN', members: { carol: 'supervisor', alice: 'specialist' }, createdAt: clock.now().toJSDate() });
    await start();
    const logged = fake.pushMessage({ from: 'alice', text: 'log wechat 张先生 13812345678 问车位价格' });
    await handled(logged.msgid);
    fake.take();
    const picked = fake.pushMessage({ from: 'carol', text: '@客服助手 assign 1001 @李专员', group: GROUP });
    await handled(picked.msgid);
    const sent = fake.take();
    const answer = sent
      .filter((s) => s.conversation === 'bot:carol')
      .map((s) => s.content)
      .join('\n');
    expect(answer).toContain('企业微信不会告诉机器人「@李专员」是谁');
    expect(answer).toContain('assign 1001 zhangsan');
    expect(answer).not.toContain('不是用户');
    // The group reads one short line, naming carol the way the WeCom client shows a name.
    const line = sent
      .filter((s) => s.conversation === `group:${GROUP}`)
      .map((s) => s.content)
      .join('\n');
    expect(line).toContain('<@carol>');
    expect(line).not.toMatch(/(^|[^<])@carol/);
  });

  it('stops start-up with one clear line when WeCom refuses the smart bot’s credentials', async () => {
    const { code, stderr } = await runEntryPoint(
      '',
      { WECOM_BOT_ID: fake.botId, WECOM_BOT_SECRET: 'wrong', WECOM_WS_URL: fake.wsUrl, DATA_DIR: `${tdb ? '/tmp' : ''}/csbot-wecom-${process.pid}`, METRICS_PORT: 'off' },
      60_000,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/Start-up failed: WeCom refused the smart bot's credentials \(WECOM_BOT_ID, WECOM_BOT_SECRET\)/);
    expect(stderr).not.toContain('at ');
  });
});

describe('WeCom message text', () => {
  it('takes the bot’s @name out of a group message and lower-cases the people a command names', () => {
    expect(commandText('@客服助手 team add @ZhangSan specialist', true)).toBe('team add <@zhangsan> specialist');
    expect(commandText('@客服助手 team add ZhangSan specialist', true)).toBe('team add zhangsan specialist');
    expect(commandText('assign 1001 LiSi', false)).toBe('assign 1001 lisi');
    // Customers and teams keep their names as typed.
    expect(commandText('log wechat Zhang Wei 13812345678 Hello', false)).toBe('log wechat Zhang Wei 13812345678 Hello');
    expect(commandText('team create BinJiang One', false)).toBe('team create BinJiang One');
  });
});

describe('the one WeCom connection', () => {
  let fake: FakeWeCom;
  let tdb: TestDatabase;
  beforeAll(async () => {
    fake = await startFakeWeCom();
    tdb = await pgliteKind.open();
  });
  afterAll(async () => {
    await fake.stop();
    await tdb.close();
  });
  const connection = (opts: { kickedWaitMs?: number; giveUpMs?: number } = {}) =>
    createWeComConnection({
      config: { botId: fake.botId, secret: fake.secret, wsUrl: fake.wsUrl, app: null },
      leases: weComStorage(tdb.db).leases,
      logger: capturingLogger('silent').logger,
      onMessage: async () => {},
      onEvent: async () => {},
      leaseMs: 1_500,
      ...opts,
    });

  it('is held by one replica at a time; another takes it over once the holder is gone', async () => {
    const first = connection();
    const second = connection();
    await first.start();
    await second.start();
    await until(() => first.connected(), 'the first connected');
    await sleep(1_200);
    expect([first.holding(), second.holding()]).toEqual([true, false]);
    expect(fake.liveConnections()).toBe(1);
    // The holder stops renewing (stopped here; a crash leaves the lease to run out, as the PostgreSQL test shows).
    await first.stop();
    await until(() => second.connected(), 'the second took over', 5_000);
    expect(fake.maxLive).toBe(1);
    await second.stop();
  });

  it('reconnects after the connection is lost, and at once after a kick no replica of ours made', async () => {
    const conn = connection({ kickedWaitMs: 60_000 });
    await conn.start();
    await until(() => conn.connected(), 'connected');
    const opens = fake.counts().opens;
    fake.drop();
    await until(() => !conn.connected(), 'lost');
    await until(() => conn.connected(), 'reconnected', 10_000);
    expect(fake.counts().opens).toBeGreaterThan(opens);
    // A stale connection, a proxy: WeCom closes ours for one that no replica here holds. The only
    // bot must not stay deaf for a minute: it connects again at once.
    const kickedAt = Date.now();
    const auths = fake.counts().auths;
    fake.kick();
    await until(() => fake.counts().auths > auths && conn.connected(), 'back at once', 5_000);
    expect(Date.now() - kickedAt).toBeLessThan(5_000);
    expect(conn.contested()).toBe(false);
    await conn.stop();
    await until(() => fake.liveConnections() === 0, 'closed on stop');
  });

  it('says loudly when something outside keeps taking the connection, and waits before taking it back', async () => {
    const contested: string[] = [];
    const kicks: number[] = [];
    const conn = createWeComConnection({
      config: { botId: fake.botId, secret: fake.secret, wsUrl: fake.wsUrl, app: null },
      leases: weComStorage(tdb.db).leases,
      logger: capturingLogger('silent').logger,
      onMessage: async () => {},
      onEvent: async () => {},
      leaseMs: 1_500,
      kickedWaitMs: 2_000,
      onKick: () => kicks.push(Date.now()),
      onContested: (cause) => contested.push(cause),
    });
    await conn.start();
    await until(() => conn.connected(), 'connected');
    fake.kick();
    await until(() => kicks.length === 1, 'kicked');
    await until(() => conn.connected() && fake.liveConnections() === 1, 'back after the first kick', 5_000);
    fake.kick();
    await until(() => conn.contested(), 'contested', 5_000);
    expect(kicks).toHaveLength(2);
    expect(contested).toHaveLength(1);
    expect(contested[0]).toMatch(/another deployment.*WECOM_BOT_ID|WECOM_BOT_ID.*another deployment/);
    // No tug of war: nothing for a while, then it tries again (still contested until it stays up).
    const opens = fake.counts().opens;
    await sleep(1_000);
    expect(fake.counts().opens).toBe(opens);
    await until(() => conn.connected(), 'back after the wait', 10_000);
    expect(conn.contested()).toBe(true);
    await conn.stop();
  });

  it('lets the lease go when it cannot get through to WeCom, so another replica can', async () => {
    const first = connection({ giveUpMs: 1_000 });
    await first.start();
    await until(() => first.connected(), 'connected');
    // WeCom unreachable from here (a network path, a changed secret): the SDK keeps trying, in vain.
    fake.refuseConnections(true);
    fake.drop();
    await until(() => !first.connected(), 'lost');
    const second = connection();
    await second.start();
    await until(() => !first.holding(), 'the first let go', 10_000);
    fake.refuseConnections(false);
    await until(() => second.connected() || first.connected(), 'someone connected again', 15_000);
    await sleep(500);
    expect(fake.liveConnections()).toBe(1);
    await first.stop();
    await second.stop();
  });
});
