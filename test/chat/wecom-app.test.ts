import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { startFakeWeCom, until, weComEnv, type FakeWeCom } from '../helpers/fake-wecom';
import { DUE, dueReminders, idsIn } from '../helpers/outbox';
import { capturingLogger, seedTeam } from '../helpers/service';

describe('DMs through the WeCom self-built app', () => {
  let fake: FakeWeCom;
  let tdb: TestDatabase;
  const clock = fakeClock(DUE);
  beforeAll(async () => {
    // The fake drops what goes over 30 a minute or 1,000 an hour to one member, answering errcode 0, as WeCom does.
    fake = await startFakeWeCom({ now: () => clock.now().toMillis() });
    tdb = await pgliteKind.open();
  });
  afterAll(async () => {
    await fake.stop();
    await tdb.close();
  });

  it('paces each person under WeCom’s silent cap, across a restart, merging what waits: nothing dropped, nothing twice', async () => {
    const team = await seedTeam(tdb.db, { platform: 'wecom', channelId: 'wrG', lang: 'zh-CN', members: { alice: 'specialist' }, createdAt: clock.now().minus({ hours: 1 }).toJSDate() });
    // 50 reminders for alice, one falling due each second: a pass a second would send 50 messages in 50 s.
    await dueReminders(tdb.db, team.id, ['alice'], 50, { platform: 'wecom', spreadSeconds: true });
    const config = loadConfig({
      ...weComEnv(fake, { app: true }),
      LOG_LEVEL: 'silent',
      METRICS_PORT: 'off',
    });
    const start = () => startBot({ config, db: tdb.db, clock, logger: capturingLogger('silent').logger, scheduler: { every: () => {}, stop: async () => {} }, seedDemo: false });
    // Half-way through the first minute the bot restarts (a deploy): the new process must know what the old one sent.
    for (const [from, to] of [
      [0, 30],
      [30, 240],
    ] as const) {
      const bot = await start();
      try {
        await until(() => fake.liveConnections() === 1, 'connected');
        for (let second = from; second < to; second++) {
          clock.advance({ seconds: 1 });
          await bot.nags.sweepNow();
        }
      } finally {
        await bot.stop();
      }
    }
    const toAlice = fake.sends.filter((s) => s.via === 'app' && s.to === 'alice');
    expect(fake.appDropped).toEqual([]);
    // The reminders themselves: the list lines (the button hints below name the same contacts again).
    const ids = toAlice.flatMap((s) =>
      s.content
        .split('\n')
        .filter((line) => line.startsWith('- '))
        .flatMap((line) => idsIn(line)),
    );
    expect(new Set(ids).size).toBe(50);
    expect(ids).toHaveLength(50);
    // No minute held more than WeCom's 30 messages for her; what waited went out merged.
    for (const s of toAlice) expect(toAlice.filter((o) => o.at_ms > s.at_ms - 60_000 && o.at_ms <= s.at_ms).length).toBeLessThanOrEqual(30);
    const messages = new Set(toAlice.map((s) => s.at_ms)).size;
    expect(messages).toBeLessThan(50);
  }, 60_000);

  it('fetches the app token again when WeCom says it expired, and gives up on people it cannot reach', async () => {
    const { createWeComApp } = await import('../../src/chat/wecom/app-api');
    const app = createWeComApp({ apiUrl: fake.apiUrl, corpId: fake.corpId, secret: fake.appSecret, agentId: Number(fake.agentId), clock });
    await app.sendMarkdown('bob', '第一条');
    const tokensBefore = fake.counts().tokens;
    fake.expireTokens();
    await app.sendMarkdown('bob', '第二条');
    expect(fake.counts().tokens).toBe(tokensBefore + 1);
    expect(fake.sends.filter((s) => s.via === 'app' && s.to === 'bob').map((s) => s.content)).toEqual(['第一条', '第二条']);
    // Someone the app cannot reach: a permanent refusal (the managers are told), not retried forever.
    fake.behaviour.unknownUsers.add('ghost');
    await expect(app.sendMarkdown('ghost', '你好')).rejects.toMatchObject({ permanent: true });
    // Wrong credentials: said so, naming the variables.
    const wrong = createWeComApp({ apiUrl: fake.apiUrl, corpId: fake.corpId, secret: 'nope', agentId: 1, clock });
    await expect(wrong.checkCredentials()).rejects.toThrow(/WECOM_CORP_ID \/ WECOM_APP_SECRET/);
  });
});
