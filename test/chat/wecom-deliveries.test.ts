import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../../src/bot';
import { textMessage, type Message } from '../../src/chat/message';
import { buttonKey } from '../../src/chat/wecom/render';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { startFakeWeCom, until, weComEnv, type FakeWeCom, type WeComSend } from '../helpers/fake-wecom';
import { capturingLogger, seedTeam } from '../helpers/service';

const GROUP = 'wrGROUP1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The most sends that fall within any one minute. */
function busiestMinute(sends: readonly WeComSend[]): number {
  return Math.max(0, ...sends.map((s) => sends.filter((o) => o.at_ms > s.at_ms - 60_000 && o.at_ms <= s.at_ms).length));
}

describe('WeCom deliveries with the self-built app', () => {
  let fake: FakeWeCom;
  let tdb: TestDatabase;
  let bot: Bot | null = null;
  const clock = fakeClock('2026-11-24T10:00:00+08:00');
  const handled = async (msgid: string) =>
    until(
      async () => {
        const rows = await sql<{ held_until: Date | null }>`select held_until from request_keys where key = ${`inbound:wecom:${msgid}`}`.execute(tdb.db);
        return rows.rows.length === 1 && rows.rows[0]!.held_until === null;
      },
      'handled',
      20_000,
    );
  const say = async (from: string, text: string, group?: string) => handled(fake.pushMessage({ from, text: group ? `@客服助手 ${text}` : text, ...(group ? { group } : {}) }).msgid);
  const to = (user: string) => fake.sends.filter((s) => s.to === user || s.chatid === user || s.conversation.endsWith(`:${user}`));
  /** Moves the bot's clock on a second at a time, letting what waits for it go out. */
  const pass = async (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      clock.advance({ seconds: 1 });
      await bot!.nags.sweepNow();
      await sleep(30);
    }
  };

  beforeAll(async () => {
    fake = await startFakeWeCom({ now: () => clock.now().toMillis() });
    tdb = await pgliteKind.open();
  });
  beforeEach(async () => {
    await tdb.reset();
    clock.set('2026-11-24T10:00:00+08:00');
    fake.behaviour.failNext.length = 0;
    fake.take();
    fake.appDropped.length = 0;
    fake.refused.length = 0;
    await seedTeam(tdb.db, {
      platform: 'wecom',
      channelId: GROUP,
      lang: 'zh-CN',
      members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' },
      createdAt: clock.now().toJSDate(),
    });
    const config = loadConfig({
      ...weComEnv(fake, { app: true }),
      LOG_LEVEL: 'silent',
      METRICS_PORT: 'off',
    });
    bot = await startBot({ config, db: tdb.db, clock, logger: capturingLogger('silent').logger, scheduler: { every: () => {}, stop: async () => {} }, seedDemo: false });
    await until(() => fake.liveConnections() === 1, 'connected');
  });
  afterEach(async () => {
    await bot?.stop();
    bot = null;
  });
  afterAll(async () => {
    await fake.stop();
    await tdb.close();
  });

  it('brings a notice’s text and its buttons into one conversation, and a click’s answer into the same one', async () => {
    await say('alice', 'log wechat 张先生 13812345678 问车位价格');
    fake.take();
    clock.set('2026-11-24T10:30:00+08:00');
    await bot!.nags.sweepNow();
    // alice has written to the smart bot: her reminder and its card are both in its chat with her.
    const toAlice = to('alice');
    expect(new Set(toAlice.map((s) => s.conversation))).toEqual(new Set(['bot:alice']));
    expect(toAlice.some((s) => s.msgtype === 'markdown' && s.content.includes('已超时 · #1001'))).toBe(true);
    const card = toAlice.find((s) => s.card)!.card as { task_id: string };
    // carol never wrote to it: the app brings her the alert whole, with the commands to type, and the bot tries nothing.
    const toCarol = to('carol');
    expect(new Set(toCarol.map((s) => s.conversation))).toEqual(new Set(['app:carol']));
    expect(toCarol.map((s) => s.content).join('\n')).toMatch(/超时提醒[\s\S]*reply 1001/);
    expect(fake.refused).toEqual([]);
    fake.take();
    // The click's answer lands where the card is.
    const click = fake.pushCardClick({ from: 'alice', eventKey: buttonKey('reply 1001'), taskId: card.task_id });
    await handled(click.msgid);
    await until(() => to('alice').some((s) => s.content.includes('#1001 已记录首次回复')), 'the answer');
    expect(new Set(to('alice').map((s) => s.conversation))).toEqual(new Set(['bot:alice']));
  });

  it('keeps a long answer in the smart bot’s chat it was asked in', async () => {
    await say('alice', 'log wechat 张先生 13812345678 问车位价格');
    for (let i = 1; i <= 10; i++) await say('alice', `note 1001 第${i}次跟进：${'客户询问车位价格与交房时间，'.repeat(40)}`);
    fake.take();
    await say('alice', 'show 1001');
    await until(() => to('alice').length >= 2, 'the answer');
    await sleep(200);
    const answer = to('alice');
    expect(new Set(answer.map((s) => s.conversation))).toEqual(new Set(['bot:alice']));
    expect(answer.map((s) => s.content).join('')).toContain('第10次跟进');
  });

  it('sends nobody more than the cap in any minute during a burst, loses nothing, and sends a 40-part message whole or says so', async () => {
    // 35 major complaints at once, from the group: each tells the supervisor (by the app: carol never wrote to the bot).
    const pushed = Array.from({ length: 35 }, (_, i) => fake.pushMessage({ from: i % 2 ? 'alice' : 'bob', text: `@客服助手 complaint 客户${i + 1} 重大 质量 墙面开裂`, group: GROUP }));
    // Meanwhile a very long private message for her (40 of the app's parts).
    const long: Message = { ...textMessage(Array.from({ length: 40 }, (_, i) => `第${i + 1}段 ${'长'.repeat(640)}`).join('\n')), lang: 'zh-CN' };
    const longSent = bot!.gateway.send({ to: { kind: 'dm', user: 'carol' }, message: long }).then(
      () => 'sent',
      (error: unknown) => `refused: ${String(error)}`,
    );
    for (const p of pushed) await handled(p.msgid);
    await until(async () => (await longSent) !== undefined, 'the long message settled');
    // The waiting answers go out as the minutes pass.
    for (let round = 0; round < 8; round++) await pass(30);
    const toCarol = fake.sends.filter((s) => s.to === 'carol');
    expect(fake.appDropped).toEqual([]);
    expect(busiestMinute(toCarol)).toBeLessThanOrEqual(25);
    // Every complaint reached her, once.
    const text = toCarol.map((s) => s.content).join('\n');
    for (let id = 1001; id <= 1035; id++) expect(text.split(`新重大投诉 #${id}（`).length - 1, `#${id}`).toBe(1);
    // The long one: whole (every part, in order), or its first screen and a plain word that the rest was not sent.
    const parts = toCarol.filter((s) => s.content.includes('第1段') || /第\d+段/.test(s.content));
    const whole = Array.from({ length: 40 }, (_, i) => `第${i + 1}段`).every((p) => parts.some((s) => s.content.includes(p)));
    const told = toCarol.some((s) => s.content.includes('这条消息太长'));
    expect(whole || told).toBe(true);
    expect(await longSent).toBe('sent');
    // Nothing was cut by WeCom's 2,048-byte limit.
    expect(toCarol.filter((s) => s.cut)).toEqual([]);
  }, 120_000);

  it('merges a burst of answers to one person and sends each once, under the cap', async () => {
    // 35 commands typed at once in her private chat: the smart bot's answers, capped like the app's.
    const pushed = Array.from({ length: 35 }, () => fake.pushMessage({ from: 'alice', text: 'mine' }));
    for (const p of pushed) await handled(p.msgid);
    for (let round = 0; round < 6; round++) await pass(30);
    const toAlice = to('alice');
    expect(new Set(toAlice.map((s) => s.conversation))).toEqual(new Set(['bot:alice']));
    expect(busiestMinute(toAlice)).toBeLessThanOrEqual(25);
    expect(
      toAlice
        .map((s) => s.content)
        .join('\n')
        .split('没有待处理的客户联系').length - 1,
    ).toBe(35);
    // Those that had to wait went out together.
    expect(toAlice.length).toBeLessThan(35);
  }, 120_000);

  it('holds only the conversation the smart bot limited: the app’s and the other chats’ messages go on', async () => {
    await say('alice', 'log wechat 张先生 13812345678 问车位价格');
    await say('bob', 'log wechat 李女士 13912345678 问户型');
    fake.take();
    // The next send the smart bot gets is refused as too frequent.
    fake.behaviour.failNext.push({ errcode: 45009, errmsg: 'api freq out of limit' });
    clock.set('2026-11-24T10:30:00+08:00');
    await bot!.nags.sweepNow();
    expect(fake.refused.map((r) => r.errcode)).toEqual([45009]);
    const limited = fake.refused[0]!.conversation;
    const other = limited === 'bot:alice' ? 'bob' : 'alice';
    // The supervisor's alerts (by the app) and the other specialist's reminder went out in the same pass.
    expect(to('carol').filter((s) => s.content.includes('超时提醒'))).not.toEqual([]);
    expect(to(other).some((s) => s.content.includes('已超时'))).toBe(true);
    // The limited one goes out once WeCom's minute has passed.
    fake.take();
    clock.advance({ seconds: 61 });
    await bot!.nags.sweepNow();
    expect(fake.sends.filter((s) => s.conversation === limited && s.content.includes('已超时'))).toHaveLength(1);
  });

  it('moves a private message the smart bot refuses to the app, whole', async () => {
    await say('alice', 'log wechat 张先生 13812345678 问车位价格');
    fake.take();
    // WeCom no longer lets the bot write to her (the code is the fake's own): the app takes it.
    fake.behaviour.failNext.push({ errcode: 93006, errmsg: 'the bot may not start a conversation with this user' });
    clock.set('2026-11-24T10:24:00+08:00');
    await bot!.nags.sweepNow();
    const toAlice = to('alice');
    expect(toAlice.map((s) => s.conversation)).toEqual(['app:alice']);
    expect(toAlice[0]!.content).toContain('即将超时 · #1001');
  });

  it('hands an export over as a file uploaded over the connection, into the chat it was asked in', async () => {
    await say('alice', 'complaint 李女士 重大 质量 13912345678 墙面开裂');
    fake.take();
    await say('carol', 'export week');
    await until(() => to('carol').some((s) => s.content.includes('文件已发到你的私信')), 'the answer');
    const upload = fake.uploads.at(-1)!;
    expect(upload).toMatchObject({ via: 'ws', type: 'file' });
    expect(upload.name).toMatch(/^contacts-.*\.csv$/);
    const csv = upload.bytes.toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('139****5678');
    const file = to('carol').find((s) => s.msgtype === 'file')!;
    expect(file).toMatchObject({ conversation: 'bot:carol', content: upload.mediaId });
    expect(
      to('carol')
        .map((s) => s.content)
        .join(),
    ).not.toContain('服务器');
  });
});
