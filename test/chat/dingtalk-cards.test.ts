import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/bot';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { cardText } from '../helpers/fake-dingtalk-cards';
import { startFakeDingTalk, until, type FakeDingTalk, type RobotMessageInput } from '../helpers/fake-dingtalk';
import { seedTeam } from '../helpers/service';
import { dingtalkBot, sendToRobot } from '../helpers/dingtalk-bot';

const GROUP = 'cidGROUP==';
const MEMBERS = { 'staff-alice': 'specialist', 'staff-carol': 'supervisor', 'staff-dave': 'manager' } as const;
const say = (fake: FakeDingTalk, input: RobotMessageInput) => sendToRobot(fake, input);

describe('DingTalk group cards', () => {
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
    fake.cards.behaviour.refuseSend = null;
    fake.take();
    exportDir = mkdtempSync(join(tmpdir(), 'csbot-dtc-'));
    bot = await dingtalkBot(fake, tdb.db, clock, exportDir);
    // The supervisor's name, as DingTalk gives it with her messages.
    await say(fake, { from: 'staff-carol', nick: '张主管', text: 'help' });
    fake.take();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = null;
    rmSync(exportDir, { recursive: true, force: true });
  });

  const dms = (to: string) => fake.sends.filter((s) => s.via === 'dm' && s.to === to);
  const cardsIn = (group: string) => fake.sends.filter((s) => s.via === 'group' && s.to === group && s.msgKey === 'StandardCard');

  async function postDigest(): Promise<string> {
    clock.set('2026-11-24T18:05:00+08:00');
    await bot!.digests.postDue();
    const [sent] = cardsIn(GROUP);
    expect(sent).toBeDefined();
    return [...fake.cards.cards.keys()].at(-1)!;
  }

  async function click(cardId: string, user: string, label: string): Promise<string> {
    const action = fake.cards.buttons(cardId).get(label);
    expect(action, `a button 「${label}」`).toBeDefined();
    const frame = fake.cards.click(cardId, user, action!);
    await until(() => fake.cards.acked(frame), 'the click acknowledged', 10_000);
    return frame;
  }

  it('posts the digest to the group as a card with a real 「已阅」 button, not a command to type', async () => {
    const cardId = await postDigest();
    const card = fake.cards.current(cardId);
    expect(card.header.title.text).toContain('滨江壹号');
    expect([...fake.cards.buttons(cardId).keys()]).toEqual(['已阅']);
    expect(cardText(card)).not.toContain('@机器人 digest ack');
    expect(fake.sends.filter((s) => s.via === 'group' && s.msgKey === 'sampleMarkdown')).toEqual([]);
    expect(fake.cards.rejected).toEqual([]);
  });

  it('records a supervisor’s click as her 已阅 and shows on the card who read it', async () => {
    const cardId = await postDigest();
    clock.set('2026-11-24T18:30:00+08:00');
    await click(cardId, 'staff-carol', '已阅');
    await until(() => fake.cards.cards.get(cardId)!.versions.length === 2, 'the card updated');
    const after = cardText(fake.cards.current(cardId));
    expect(after).toContain('✓ @张主管 已阅');
    expect(fake.cards.buttons(cardId).size).toBe(0);
    expect(
      dms('staff-carol')
        .map((s) => s.text)
        .join(),
    ).toContain('已记录你在');
    const acks = await tdb.db.selectFrom('digest_acks').selectAll().execute();
    expect(acks.map((a) => a.user_id)).toEqual(['staff-carol']);
  });

  it('does not run a button already pressed again from a stale screen: the presser is told, the card stays', async () => {
    const cardId = await postDigest();
    const read = fake.cards.buttons(cardId).get('已阅')!;
    await click(cardId, 'staff-carol', '已阅');
    await until(() => fake.cards.cards.get(cardId)!.versions.length === 2, 'the card updated');
    const stale = fake.cards.click(cardId, 'staff-dave', read, { staleScreen: true });
    await until(() => fake.cards.acked(stale), 'the stale click acknowledged', 10_000);
    await until(() => dms('staff-dave').length > 0, 'the answer to the manager');
    expect(
      dms('staff-dave')
        .map((s) => s.text)
        .join(),
    ).toContain('已经有人按过了');
    expect(fake.cards.cards.get(cardId)!.versions).toHaveLength(2);
    expect((await tdb.db.selectFrom('digest_acks').selectAll().execute()).map((a) => a.user_id)).toEqual(['staff-carol']);
  });

  it('puts a major complaint’s plan to the group with 「批准方案」: a specialist is refused, a supervisor approves and the card shows it', async () => {
    await say(fake, { from: 'staff-alice', text: 'complaint 李女士 重大 质量 13912345678 墙面开裂' });
    await say(fake, { from: 'staff-alice', text: 'plan 1001 工程部明天上门修补墙面' });
    const cards = cardsIn(GROUP);
    expect(cards).toHaveLength(1);
    const cardId = [...fake.cards.cards.keys()].at(-1)!;
    expect(cardText(fake.cards.current(cardId))).toContain('工程部明天上门修补墙面');
    // The phone typed with the complaint never reaches the group.
    expect(cardText(fake.cards.current(cardId))).not.toMatch(/13912345678/);
    fake.take();
    await click(cardId, 'staff-alice', '批准方案 #1001');
    await until(() => dms('staff-alice').length > 0, 'the answer to the specialist');
    expect(
      dms('staff-alice')
        .map((s) => s.text)
        .join(),
    ).toContain('只有主管或经理可以批准方案');
    expect(fake.cards.cards.get(cardId)!.versions).toHaveLength(1);
    expect([...fake.cards.buttons(cardId).keys()]).toEqual(['批准方案 #1001']);
    await click(cardId, 'staff-carol', '批准方案 #1001');
    await until(() => fake.cards.cards.get(cardId)!.versions.length === 2, 'the card updated');
    expect(cardText(fake.cards.current(cardId))).toContain('@张主管');
    expect(fake.cards.buttons(cardId).size).toBe(0);
    const approved = await tdb.db.selectFrom('contacts').select(['plan_approved_by']).where('id', '=', 1001).executeTakeFirstOrThrow();
    expect(approved.plan_approved_by).toBe('staff-carol');
  });

  it('escalates an overdue contact to the group with 「已回复 / 已解决」 that run as whoever presses them', async () => {
    await say(fake, { from: 'staff-alice', text: 'log missed 王先生 13700001111' });
    clock.set('2026-11-24T11:30:00+08:00');
    await bot!.nags.sweepNow();
    await until(() => cardsIn(GROUP).length === 1, 'the escalation card in the group');
    const cardId = [...fake.cards.cards.keys()].at(-1)!;
    expect(cardText(fake.cards.current(cardId))).toContain('升级');
    expect(cardText(fake.cards.current(cardId))).not.toMatch(/13700001111/);
    expect([...fake.cards.buttons(cardId).keys()]).toEqual(['已回复 #1001', '已解决 #1001']);
    await click(cardId, 'staff-carol', '已解决 #1001');
    await until(() => fake.cards.cards.get(cardId)!.versions.length === 2, 'the card updated');
    expect(cardText(fake.cards.current(cardId))).toContain('@张主管');
    expect([...fake.cards.buttons(cardId).keys()]).toEqual(['已回复 #1001']);
    const contact = await tdb.db.selectFrom('contacts').select(['resolved_at']).where('id', '=', 1001).executeTakeFirstOrThrow();
    expect(contact.resolved_at).not.toBeNull();
  });

  it('updates a card clicked after the bot restarted (another replica, a deploy): cards are kept in the database', async () => {
    const cardId = await postDigest();
    await bot!.stop();
    bot = await dingtalkBot(fake, tdb.db, clock, exportDir);
    await click(cardId, 'staff-carol', '已阅');
    await until(() => fake.cards.cards.get(cardId)!.versions.length === 2, 'the card updated by the new process');
    expect(cardText(fake.cards.current(cardId))).toContain('已阅');
    expect(fake.cards.buttons(cardId).size).toBe(0);
  });

  it('handles a click DingTalk pushes twice once: one acknowledgement of the digest, one update', async () => {
    const cardId = await postDigest();
    const frame = await click(cardId, 'staff-carol', '已阅');
    await until(() => fake.cards.cards.get(cardId)!.versions.length === 2, 'the card updated');
    fake.cards.redeliver(frame);
    await until(() => (fake.acks.get(frame)?.length ?? 0) === 2, 'the re-push acknowledged too', 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.cards.cards.get(cardId)!.versions).toHaveLength(2);
    expect(dms('staff-carol').filter((s) => s.text.includes('已记录你在'))).toHaveLength(1);
    expect(await tdb.db.selectFrom('digest_acks').selectAll().execute()).toHaveLength(1);
  });

  it('falls back to the commands to type when DingTalk refuses cards, and tells the manager once', async () => {
    fake.cards.behaviour.refuseSend = { status: 403, body: { requestid: 'r', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限' } };
    clock.set('2026-11-24T18:05:00+08:00');
    await bot!.digests.postDue();
    const group = fake.sends.filter((s) => s.via === 'group' && s.to === GROUP);
    expect(group.map((s) => s.msgKey)).toEqual(['sampleMarkdown']);
    expect(group[0]!.text).toContain('已阅：发送「@机器人 digest ack 2026-11-24」');
    await until(() => dms('staff-dave').length === 1, 'the manager told');
    expect(dms('staff-dave')[0]!.text).toContain('钉钉拒绝了机器人');
    // Cards stay off in this process: the next post goes as markdown at once, and nobody is told again.
    fake.take();
    await bot!.gateway.send({ to: { kind: 'channel', channel: GROUP }, message: { text: 'x', blocks: [{ kind: 'buttons', buttons: [{ label: '已阅', command: 'digest ack 2026-11-24' }] }] } });
    expect(fake.sends.map((s) => [s.via, s.msgKey])).toEqual([['group', 'sampleMarkdown']]);
  });
});
