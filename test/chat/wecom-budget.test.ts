import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capWait, sendBudgetRepository } from '../../db/repositories/send-budgets';
import { createDirectory } from '../../src/chat/conversation/directory';
import { textMessage } from '../../src/chat/message';
import { createPacer } from '../../src/chat/pacer';
import { createReplySender } from '../../src/chat/reply-sender';
import { createWeComApp } from '../../src/chat/wecom/app-api';
import { createBotChats } from '../../src/chat/wecom/bot-chats';
import type { WeComConnection } from '../../src/chat/wecom/connection';
import { createWeComGateway } from '../../src/chat/wecom/gateway';
import { createLanes } from '../../src/chat/wecom/lanes';
import { weComStorage } from '../../src/platforms/wecom-storage';
import { fakeClock } from '../helpers/clock';
import { databaseKinds, useTestDatabase } from '../helpers/db';
import { startFakeWeCom, type FakeWeCom } from '../helpers/fake-wecom';
import { capturingLogger } from '../helpers/service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(capWait.name, () => {
  const caps = { perMinute: 3, perHour: 5 };
  it('lets sends through while the minute and the hour have room, and says when the next ones fit', () => {
    expect(capWait([], 3, 100_000, caps)).toBeNull();
    expect(capWait([90_000, 95_000], 1, 100_000, caps)).toBeNull();
    // Two more than the minute takes: the second-oldest must age out first.
    expect(capWait([90_000, 95_000, 99_000], 2, 100_000, caps)).toBe(95_000 + 60_000);
    // The hour is full although the minute is not.
    expect(capWait([0, 1_000, 2_000, 3_000, 4_000], 1, 100_000, caps)).toBe(3_600_000);
    // More than a whole minute takes never fits at once.
    expect(capWait([], 4, 100_000, caps)).toBe('never');
  });
});

describe.each(databaseKinds())('the per-person budget on $name', (kind) => {
  const tdb = useTestDatabase(() => kind);
  let fake: FakeWeCom;
  const clock = fakeClock('2026-11-24T10:00:00+08:00');
  beforeAll(async () => {
    fake = await startFakeWeCom({ now: () => clock.now().toMillis() });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('reserves every part of a message at once, and never more than the cap, when reservations race', async () => {
    await tdb.reset();
    const now = DateTime.fromISO('2026-11-24T10:00:00+08:00');
    const caps = { perMinute: 25, perHour: 900 };
    const results = await Promise.all(Array.from({ length: 12 }, () => sendBudgetRepository.reserve(tdb.db, 'wecom-app', 'carol', 3, now, caps)));
    expect(results.filter((r) => r === null)).toHaveLength(8);
    expect(await sendBudgetRepository.recent(tdb.db, 'wecom-app', 'carol', now)).toHaveLength(24);
  });

  it('holds a burst from several handlers on two replicas under the cap, and delivers every message once', async () => {
    await tdb.reset();
    clock.set('2026-11-24T10:00:00+08:00');
    fake.take();
    fake.appDropped.length = 0;
    const logger = capturingLogger('silent').logger;
    // Two replicas: each its own gateway, lanes and answer sender, one database between them.
    const replicas = [0, 1].map(() => {
      const gateway = createWeComGateway({
        connection: { canSend: () => true } as unknown as WeComConnection,
        app: createWeComApp({ apiUrl: fake.apiUrl, corpId: fake.corpId, secret: fake.appSecret, agentId: Number(fake.agentId), clock }),
        lanes: createLanes({ budget: weComStorage(tdb.db).budget, clock }),
        chats: createBotChats(weComStorage(tdb.db).botChats, clock),
        directory: createDirectory(tdb.db, 'wecom'),
        logger,
        exportDir: '/nonexistent',
      });
      return createReplySender({ gateway, pacer: createPacer(clock), logger, now: () => clock.now().toMillis() });
    });
    // Three handlers on each, ten answers each, all at once, to one person the app reaches.
    let serial = 0;
    await Promise.all(
      replicas.flatMap((sender) =>
        [0, 1, 2].map(async () => {
          for (let i = 0; i < 10; i++) {
            const n = ++serial;
            await sender.send({ to: { kind: 'dm', user: 'carol' }, message: textMessage(`回复 R${n}。`) });
          }
        }),
      ),
    );
    // Four minutes pass; what waited goes out as it may.
    for (let second = 0; second < 240; second++) {
      clock.advance({ seconds: 1 });
      await sleep(15);
    }
    await sleep(500);
    const toCarol = fake.sends.filter((s) => s.to === 'carol');
    expect(fake.appDropped).toEqual([]);
    for (const s of toCarol) expect(toCarol.filter((o) => o.at_ms > s.at_ms - 60_000 && o.at_ms <= s.at_ms).length).toBeLessThanOrEqual(25);
    const text = toCarol.map((s) => s.content).join('\n');
    for (let n = 1; n <= 60; n++) expect(text.split(`R${n}。`).length - 1, `R${n}`).toBe(1);
    // What had to wait went out merged: fewer messages than answers.
    expect(toCarol.length).toBeLessThan(60);
  }, 60_000);
});
