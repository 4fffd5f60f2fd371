import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDigestPoster } from '../../src/app/reports/digest-poster';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import type { Platform } from '../../src/core/model';
import { fakeClock } from '../helpers/clock';
import { databaseKinds, type TestDatabase } from '../helpers/db';
import { capturingLogger, seedTeam, serviceFor } from '../helpers/service';

/** Each process serves one platform; several share one database. */
describe.each(databaseKinds())('one process per platform on $name', (kind) => {
  let tdb: TestDatabase;
  const clock = fakeClock('2026-11-24T10:00:00+08:00');
  beforeAll(async () => {
    tdb = await kind.open();
  });
  afterAll(async () => {
    await tdb.close();
  });

  const recorder = () => {
    const sent: Outgoing[] = [];
    const gateway: ChatGateway = { send: async (o) => void sent.push(o) };
    return { sent, gateway };
  };

  beforeEach(async () => {
    await tdb.reset();
    clock.set('2026-11-24T10:00:00+08:00');
    // The same user id and channel id on both platforms: they are different people and groups.
    await seedTeam(tdb.db, { platform: 'slack', channelId: 'C_SAME', name: 'Slack team', members: { u1: 'specialist', u2: 'supervisor' }, createdAt: clock.now().toJSDate() });
    await seedTeam(tdb.db, { platform: 'dingtalk', channelId: 'C_SAME', name: '钉钉团队', members: { u1: 'specialist', u2: 'supervisor' }, createdAt: clock.now().toJSDate() });
    for (const platform of ['slack', 'dingtalk'] as const) {
      const { service } = serviceFor(tdb.db, clock, { platform });
      await service.handle({ userId: 'u1', channelId: 'C_SAME', text: `log wechat ${platform}客户 13812345678 hi` });
    }
  });

  it.each(['slack', 'dingtalk'] as const)('sends a platform’s reminders only from its own process: %s', async (platform: Platform) => {
    clock.set('2026-11-24T10:30:00+08:00');
    const chat = recorder();
    const sweeper = createNagSweeper({ platform, db: tdb.db, gateway: chat.gateway, clock, logger: capturingLogger().logger });
    expect((await sweeper.sweep()).sent).toBeGreaterThan(0);
    const text = JSON.stringify(chat.sent);
    expect(text).toContain(`${platform}客户`);
    expect(text).not.toContain(`${platform === 'slack' ? 'dingtalk' : 'slack'}客户`);
    // What is left is the other platform's, untouched.
    const other = recorder();
    const otherSweeper = createNagSweeper({ platform: platform === 'slack' ? 'dingtalk' : 'slack', db: tdb.db, gateway: other.gateway, clock, logger: capturingLogger().logger });
    expect((await otherSweeper.sweep()).sent).toBeGreaterThan(0);
    expect(JSON.stringify(other.sent)).not.toContain(`${platform}客户`);
  });

  it('posts each platform’s digests from its own process', async () => {
    clock.set('2026-11-24T18:01:00+08:00');
    for (const platform of ['slack', 'dingtalk'] as const) {
      const chat = recorder();
      const poster = createDigestPoster({ platform, db: tdb.db, gateway: chat.gateway, clock, logger: capturingLogger().logger });
      expect(await poster.postDue()).toMatchObject({ posted: 1 });
      expect(JSON.stringify(chat.sent)).toContain(platform === 'slack' ? 'Slack team' : '钉钉团队');
    }
  });

  it('finds a user’s team on their own platform only', async () => {
    const slack = serviceFor(tdb.db, clock, { platform: 'slack' }).service;
    const wecom = serviceFor(tdb.db, clock, { platform: 'wecom' }).service;
    expect((await slack.membership('u1', null))?.team.name).toBe('Slack team');
    expect(await wecom.membership('u1', null)).toBeNull();
  });
});
