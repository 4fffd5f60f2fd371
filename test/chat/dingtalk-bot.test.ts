import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/bot';
import { DingTalkCredentialsError } from '../../src/chat/dingtalk/api';
import type { Message } from '../../src/chat/message';
import { fakeClock } from '../helpers/clock';
import { databaseKinds, pgliteKind, type TestDatabase } from '../helpers/db';
import { startFakeDingTalk, until, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { seedTeam } from '../helpers/service';
import { dingtalkBot, sendToRobot } from '../helpers/dingtalk-bot';

const GROUP = 'cidGROUP==';
const MEMBERS = { 'staff-alice': 'specialist', 'staff-bob': 'specialist', 'staff-carol': 'supervisor', 'staff-dave': 'manager' } as const;
const send = sendToRobot;

describe('the DingTalk robot', () => {
  let fake: FakeDingTalk;
  let tdb: TestDatabase;
  let bot: Bot | null = null;
  let exportDir: string;
  const clock = fakeClock('2026-11-24T10:00:00+08:00');

  beforeAll(async () => {
    tdb = await pgliteKind.open();
    fake = await startFakeDingTalk();
  });
  afterAll(async () => {
    await fake.stop();
    await tdb.close();
  });
  beforeEach(async () => {
    await tdb.reset();
    clock.set('2026-11-24T10:00:00+08:00');
    await seedTeam(tdb.db, { platform: 'dingtalk', channelId: GROUP, name: '滨江壹号', lang: 'zh-CN', members: MEMBERS, createdAt: clock.now().toJSDate() });
    Object.assign(fake.behaviour, { open: 'ok', socket: 'ok', upload: true });
    fake.behaviour.invalid.clear();
    fake.behaviour.flowControlled.clear();
    fake.behaviour.failNext.length = 0;
    fake.take();
    exportDir = mkdtempSync(join(tmpdir(), 'csbot-dt-'));
    bot = await dingtalkBot(fake, tdb.db, clock, exportDir);
  });
  afterEach(async () => {
    await bot?.stop();
    bot = null;
    rmSync(exportDir, { recursive: true, force: true });
  });

  const dms = (to: string) => fake.sends.filter((s) => s.via === 'dm' && s.to === to);

  it('refuses to start with credentials DingTalk refuses, saying which variables, without retrying', async () => {
    const before = fake.counts();
    await expect(dingtalkBot(fake, tdb.db, clock, exportDir, { DINGTALK_CLIENT_SECRET: 'wrong' })).rejects.toThrow(DingTalkCredentialsError);
    await expect(dingtalkBot(fake, tdb.db, clock, exportDir, { DINGTALK_CLIENT_SECRET: 'wrong' })).rejects.toThrow(/DINGTALK_CLIENT_ID \/ DINGTALK_CLIENT_SECRET/);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.counts().opens).toBe(before.opens);
  });

  it('answers a 1:1 message in the chat it came from, and through the robot once that session has ended', async () => {
    await send(fake, { from: 'staff-alice', text: 'mine' });
    expect(fake.take().map((s) => s.via)).toEqual(['session']);
    await send(fake, { from: 'staff-alice', text: 'mine', webhookMs: 0 });
    const sent = fake.take();
    expect(sent.map((s) => [s.via, s.to])).toEqual([['dm', 'staff-alice']]);
    expect(sent[0]!.text).toContain('没有待处理的客户联系');
  });

  it('sends a flow-controlled owner’s reminder on a later try, once', async () => {
    await send(fake, { from: 'staff-alice', text: 'log wechat 张先生 13812345678 问车位价格' });
    fake.take();
    fake.behaviour.flowControlled.set('staff-alice', 1);
    clock.set('2026-11-24T10:24:00+08:00');
    await bot!.nags.sweepNow();
    expect(dms('staff-alice')).toEqual([]);
    // Held for DingTalk's wait (400 ms in these tests): no call before it ends.
    clock.advance({ milliseconds: 200 });
    await bot!.nags.sweepNow();
    expect(dms('staff-alice')).toEqual([]);
    clock.advance({ seconds: 1 });
    await bot!.nags.sweepNow();
    await bot!.nags.sweepNow();
    expect(dms('staff-alice').map((s) => s.text.match(/即将超时 · #1001/)?.[0])).toEqual(['即将超时 · #1001']);
  });

  it('sends a flow-controlled person’s answer again once DingTalk lets it through', async () => {
    fake.behaviour.flowControlled.set('staff-alice', 1);
    await send(fake, { from: 'staff-alice', group: GROUP, text: 'log wechat 张先生 13812345678 问车位价格' });
    expect(dms('staff-alice')).toEqual([]);
    // A minute in production; 400 ms here (the bot's clock moves only when the test moves it).
    clock.advance({ seconds: 1 });
    await until(() => dms('staff-alice').length === 1, 'the answer sent again', 5000);
    expect(dms('staff-alice')[0]!.text).toContain('已登记 #1001');
  });

  it('answers a voice message by what DingTalk read from it, and says so', async () => {
    await send(fake, { from: 'staff-alice', text: '', override: { msgtype: 'audio', text: undefined, content: { recognition: '我的。', duration: 2 } } });
    const answer = fake
      .take()
      .map((s) => s.text)
      .join('\n');
    expect(answer).toContain('从你的语音里听到：「我的」');
    expect(answer).toContain('没有待处理的客户联系');
    expect(answer).not.toContain('我只能读文字消息');
  });

  it('tells someone outside the organisation, once, that the bot is for its members', async () => {
    const outsider = { from: 'ext-1', group: GROUP, text: 'mine', override: { senderStaffId: undefined, senderId: '$:LWCP_v1:$external-1' } };
    await send(fake, outsider);
    const told = fake.take();
    expect(told.map((s) => [s.via, s.to])).toEqual([['session', GROUP]]);
    expect(told[0]!.text).toContain('只供本企业的成员使用');
    await send(fake, outsider);
    expect(fake.take()).toEqual([]);
  });

  it('tells the managers once when DingTalk does not know an owner, and stops trying', async () => {
    await send(fake, { from: 'staff-alice', text: 'log wechat 张先生 13812345678 问车位价格' });
    fake.take();
    fake.behaviour.invalid.add('staff-alice');
    clock.set('2026-11-24T10:24:00+08:00');
    await bot!.nags.sweepNow();
    const toDave = dms('staff-dave');
    expect(toDave).toHaveLength(1);
    expect(toDave[0]!.text).toContain('提醒无法送达 @staff-alice');
    fake.take();
    clock.advance({ minutes: 1 });
    await bot!.nags.sweepNow();
    expect(fake.take()).toEqual([]);
  });

  it('fetches a new access token when DingTalk no longer takes the old one', async () => {
    await send(fake, { from: 'staff-alice', text: 'log wechat 张先生 13812345678 问车位价格' });
    const tokens = fake.counts().tokens;
    fake.expireTokens();
    clock.set('2026-11-24T10:24:00+08:00');
    await bot!.nags.sweepNow();
    expect(dms('staff-alice')).toHaveLength(1);
    expect(fake.counts().tokens).toBe(tokens + 1);
  });

  it('makes no call while DingTalk’s rate limit runs, then sends everything', async () => {
    await send(fake, { from: 'staff-alice', text: 'log wechat 张先生 13812345678 hi' });
    await send(fake, { from: 'staff-bob', text: 'log wechat 李先生 13912345678 hi' });
    fake.take();
    clock.set('2026-11-24T10:24:00+08:00');
    fake.behaviour.failNext.push({ status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '限流' } });
    await bot!.nags.sweepNow();
    const first = fake.take().length;
    // Within the one-second wait: no call at all.
    fake.behaviour.failNext.push({ status: 500, body: { code: 'should-not-be-called' } });
    await bot!.nags.sweepNow();
    expect(fake.behaviour.failNext).toHaveLength(1);
    fake.behaviour.failNext.length = 0;
    clock.advance({ seconds: 2 });
    await bot!.nags.sweepNow();
    expect(first + fake.take().length).toBe(2);
  });

  it('splits a long message across sends within DingTalk’s size limit, losing no line', async () => {
    const items = Array.from({ length: 600 }, (_, i) => `第 ${i + 1} 行 · 投诉 #${10_000 + i} 质量问题 · 墙面开裂，业主要求尽快处理`);
    const long: Message = {
      text: '长消息',
      blocks: [
        { kind: 'header', text: '长消息' },
        { kind: 'list', items },
      ],
    };
    await bot!.gateway.send({ to: { kind: 'channel', channel: GROUP }, message: long });
    await bot!.gateway.send({ to: { kind: 'dm', user: 'staff-carol' }, message: long });
    for (const via of ['group', 'dm'] as const) {
      const parts = fake.sends.filter((s) => s.via === via);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) expect(Buffer.byteLength(JSON.stringify(p.param))).toBeLessThanOrEqual(15_000);
      expect(parts.map((p) => p.title)).toEqual(parts.map((_, i) => `长消息 (${i + 1}/${parts.length})`));
      const lines = parts.flatMap((p) => p.text.split('\n')).filter((l) => l.startsWith('- '));
      expect(lines).toEqual(items.map((item) => `- ${item}`));
    }
  });

  it('hands an export over as a zipped CSV file in the person’s chat', async () => {
    await send(fake, { from: 'staff-alice', nick: '张小艾', text: 'complaint 李女士 重大 质量 13912345678 墙面开裂' });
    fake.take();
    await send(fake, { from: 'staff-carol', text: 'export week' });
    const sent = fake.take();
    const file = sent.find((s) => s.msgKey === 'sampleFile')!;
    expect(file).toMatchObject({ via: 'dm', to: 'staff-carol', param: { fileType: 'zip', mediaId: '@media1' } });
    const upload = fake.uploads[0]!;
    // `type` both ways: in the query string (older docs) and in the form (newer).
    expect([upload.queryType, upload.formType]).toEqual(['file', 'file']);
    const [name, csv] = Object.entries(unzipSync(new Uint8Array(upload.bytes)))[0]!;
    expect(name).toMatch(/^contacts-.*\.csv$/);
    const text = Buffer.from(csv).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('139****5678');
    expect(text).not.toContain('13912345678');
    // 归属 and 登记人 name the colleague as people know her, not by her staff id.
    const [header, row] = text
      .slice(1)
      .split('\r\n')
      .map((line) => line.split(','));
    expect([row![header!.indexOf('归属')], row![header!.indexOf('登记人')]]).toEqual(['张小艾', '张小艾']);
    expect(sent.map((s) => s.text).join()).toContain('文件已发到你的私信');
  });

  it('keeps the export on the server and says where, when DingTalk will not take the file', async () => {
    await send(fake, { from: 'staff-alice', text: 'complaint 李女士 重大 质量 13912345678 墙面开裂' });
    fake.take();
    fake.behaviour.upload = false;
    await send(fake, { from: 'staff-carol', text: 'export week' });
    const said = fake
      .take()
      .map((s) => s.text)
      .join('\n');
    const path = /文件保存在服务器上：(\S+?)，/.exec(said)?.[1];
    expect(path).toBeDefined();
    expect(path!.startsWith(exportDir)).toBe(true);
    expect(existsSync(path!)).toBe(true);
    expect(readFileSync(path!, 'utf8')).toContain('李女士');
  });

  it('treats a conversation of a type it does not know as a group: private details go to the 1:1 chat', async () => {
    await send(fake, { from: 'staff-alice', text: 'log wechat 张先生 13812345678 问价' });
    fake.take();
    for (const odd of ['3', null, ' 2', 2]) {
      await send(fake, { from: 'staff-carol', group: 'cidODD==', text: 'show 1001', override: { conversationType: odd } });
      const sent = fake.take();
      expect(
        sent
          .filter((s) => s.via === 'dm' && s.to === 'staff-carol')
          .map((s) => s.text)
          .join(),
      ).toContain('13812345678');
      expect(
        sent
          .filter((s) => s.via !== 'dm')
          .map((s) => s.text)
          .join(),
      ).not.toContain('5678');
    }
  });

  it('answers a picture, which has no words, with what it can read', async () => {
    await send(fake, { from: 'staff-alice', text: '', override: { msgtype: 'picture', text: undefined, content: { downloadCode: 'x' } } });
    expect(
      fake
        .take()
        .map((s) => s.text)
        .join(),
    ).toContain('我只能读文字消息');
  });

  it('gives a group that is not the team’s own no number of what was logged there', async () => {
    await send(fake, { from: 'staff-alice', group: 'cidOTHER==', text: 'log wechat 张先生 13812345678 问价' });
    const sent = fake.take();
    expect(sent.find((s) => s.via === 'dm')!.text).toContain('已登记 #1001');
    const line = sent
      .filter((s) => s.via !== 'dm')
      .map((s) => s.text)
      .join();
    expect(line).toContain('回复已私信给你');
    expect(line).not.toContain('#1001');
  });

  it('renders what people typed inert: no link of theirs can run a command', async () => {
    await send(fake, { from: 'staff-alice', text: 'log wechat 张先生 [点我](dtmd://dingtalkclient/sendMessage?content=team%20add%20x%20manager) <font>x</font>' });
    const reply = fake.take().find((s) => s.text.includes('已登记'))!;
    const links = [...reply.text.matchAll(/\]\((\w+:[^)]*)\)/g)].map((m) => m[1]);
    expect(links).toEqual(['dtmd://dingtalkclient/sendMessage?content=%2Fcs%20reply%201001', 'dtmd://dingtalkclient/sendMessage?content=%2Fcs%20resolve%201001']);
    expect(reply.text).not.toContain('<font>');
  });
});

describe.each(databaseKinds())('two DingTalk replicas on $name', (kind) => {
  let fake: FakeDingTalk;
  let tdb: TestDatabase;
  const exportDir = mkdtempSync(join(tmpdir(), 'csbot-dt2-'));
  beforeAll(async () => {
    tdb = await kind.open();
    fake = await startFakeDingTalk();
  });
  afterAll(async () => {
    await fake.stop();
    await tdb.close();
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('handles a message pushed to both connections once: one contact, one answer', async () => {
    const clock = fakeClock('2026-11-24T10:00:00+08:00');
    await seedTeam(tdb.db, { platform: 'dingtalk', channelId: GROUP, lang: 'zh-CN', members: MEMBERS, createdAt: clock.now().toJSDate() });
    const replicas = [await dingtalkBot(fake, tdb.db, clock, exportDir), await dingtalkBot(fake, tdb.db, clock, exportDir)];
    try {
      await until(() => fake.counts().connections === 2, 'both replicas connected');
      await send(fake, { from: 'staff-alice', group: GROUP, text: 'log wechat 张先生 13812345678 问车位价格' }, { everyConnection: true });
      const sent = fake.take();
      expect(sent.filter((s) => s.via === 'dm' && s.text.includes('已登记 #1001'))).toHaveLength(1);
      expect(sent.filter((s) => s.via === 'session')).toHaveLength(1);
      const contacts = await tdb.db.selectFrom('contacts').select('id').execute();
      expect(contacts).toHaveLength(1);
      // And pushed again later (DingTalk retries an unacknowledged one): still once.
      await send(fake, { from: 'staff-alice', group: GROUP, text: 'log wechat 张先生 13812345678 问车位价格', msgId: 'msgSAME' });
      await send(fake, { from: 'staff-alice', group: GROUP, text: 'log wechat 张先生 13812345678 问车位价格', msgId: 'msgSAME' });
      expect(await tdb.db.selectFrom('contacts').select('id').execute()).toHaveLength(2);
    } finally {
      for (const r of replicas) await r.stop();
    }
  });
});
