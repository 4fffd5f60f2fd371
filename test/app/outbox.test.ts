import { sql } from 'kysely';
import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { nagRepository } from '../../db/repositories/nags';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { createOutboxClient } from '../../src/chat/slack/app';
import { createSlackGateway } from '../../src/chat/slack/gateway';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, postgresKind, useTestDatabase } from '../helpers/db';
import { dueReminders, idsIn } from '../helpers/outbox';
import { capturingLogger, seedTeam } from '../helpers/service';

const pgUrl = process.env.TEST_DATABASE_URL;
describe('a long reminder list for one person', () => {
  const tdb = useTestDatabase(() => pgliteKind, { offline: true });

  it('arrives whole through Slack: 2,000 items in as many messages as it takes, none dropped, none twice', async () => {
    const team = await seedTeam(tdb.db, { channelId: 'C_BIG', members: { UALICE: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UALICE'], 2000);
    const posts: string[] = [];
    nock('https://slack.test')
      .persist()
      .post('/api/chat.postMessage')
      .reply(200, (_uri, body) => {
        posts.push(decodeURIComponent(String(body)));
        return { ok: true, channel: 'D1', ts: '1.1' };
      });
    const { logger } = capturingLogger();
    const gateway = createSlackGateway(createOutboxClient('xoxb-outbox', 'https://slack.test/api/', logger));
    const clock = fakeClock('2026-11-24T02:25:00Z');
    const sweeper = createNagSweeper({ platform: 'slack', db: tdb.db, gateway, clock, logger });
    expect(await sweeper.sweep()).toMatchObject({ sent: 2000, retried: 0 });
    const ids = posts.flatMap((p) => [...new Set(idsIn(p))]);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    // Each post within Slack's 50 blocks.
    for (const p of posts) expect((JSON.parse(new URLSearchParams(p).get('blocks') ?? '[]') as unknown[]).length).toBeLessThanOrEqual(50);
    nock.cleanAll();
  });
});

describe.runIf(Boolean(pgUrl))('the reminder outbox with several replicas on PostgreSQL', () => {
  const tdb = useTestDatabase(() => postgresKind(pgUrl!));
  beforeEach(async () => {
    await tdb.reset();
  });

  it('gives each person one message per pass, whatever the number of replicas, and each reminder once', async () => {
    const supervisors = ['S1', 'S2'];
    for (let t = 1; t <= 6; t++) {
      const owners = [`T${t}A`, `T${t}B`, `T${t}C`];
      const team = await seedTeam(tdb.db, { channelId: `C${t}`, members: Object.fromEntries([...owners.map((o) => [o, 'specialist']), ...supervisors.map((s) => [`${s}-${t}`, 'supervisor'])]) });
      await dueReminders(tdb.db, team.id, owners, 30);
    }
    // The overdue step reaches every supervisor too: make them due as well.
    await sql`update nags set step = 'overdue' where id % 2 = 0`.execute(tdb.db);
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: pgUrl!, schema: tdb.schema, poolSize: 3 })));
    // Before the deadline (02:30): due-soon reminders still stand beside the overdue ones.
    const clock = fakeClock('2026-11-24T02:29:30Z');
    const messages = new Map<string, number>();
    const seen: number[] = [];
    // A replica's first message waits until a second replica is sending too, or one has finished its
    // pass: the claims, not the machine's speed, decide who sends what.
    const sending = new Set<number>();
    let release!: () => void;
    const together = new Promise<void>((resolve) => (release = resolve));
    const sweepers = replicas.map((r, replica) => {
      const gateway: ChatGateway = {
        async send(o: Outgoing) {
          sending.add(replica);
          if (sending.size > 1) release();
          await together;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
          const who = o.to.kind === 'channel' ? o.to.channel : o.to.user;
          messages.set(who, (messages.get(who) ?? 0) + 1);
          if (o.to.kind === 'dm' && /^T\d[ABC]$/.test(o.to.user)) seen.push(...new Set(idsIn(JSON.stringify(o.message.blocks))));
        },
      };
      return createNagSweeper({ platform: 'slack', db: r.db, gateway, clock, logger: capturingLogger().logger, teamsPerClaim: 2 });
    });
    const results = await Promise.all(sweepers.map((s) => s.sweep().finally(release)));
    await Promise.all(replicas.map((r) => r.close()));
    expect(results.map((r) => r.sent).reduce((a, b) => a + b, 0)).toBe(540);
    expect(results.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    // One message to each owner and each supervisor in this pass; every owner's reminders once.
    expect([...messages.values()].every((n) => n === 1)).toBe(true);
    expect(messages.size).toBe(6 * 5);
    expect(seen).toHaveLength(540);
    expect(new Set(seen).size).toBe(540);
  });

  it('lets another replica take over a dead one’s claims within seconds, not a minute', async () => {
    const team = await seedTeam(tdb.db, { channelId: 'C_DEAD', members: { UA: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UA'], 5);
    const clock = fakeClock('2026-11-24T02:25:00Z');
    // A replica claims with the default lease and dies before sending.
    expect(await nagRepository.claimDue(tdb.db, 'slack', clock.now(), 10_000)).toHaveLength(5);
    const sent: Outgoing[] = [];
    const sweeper = createNagSweeper({ platform: 'slack', db: tdb.db, gateway: { send: async (o) => void sent.push(o) }, clock, logger: capturingLogger().logger });
    clock.advance({ seconds: 9 });
    expect((await sweeper.sweep()).sent).toBe(0);
    clock.advance({ seconds: 2 });
    expect((await sweeper.sweep()).sent).toBe(5);
    expect(sent).toHaveLength(1);
  });

  it('keeps a living replica’s claims while it works through a long pass', async () => {
    const team = await seedTeam(tdb.db, { channelId: 'C_SLOW', members: { UA: 'specialist', UB: 'specialist', UC: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UA', 'UB', 'UC'], 2);
    const clock = {
      now: () =>
        fakeClock('2026-11-24T02:25:00Z')
          .now()
          .plus({ milliseconds: Date.now() - started }),
    };
    const started = Date.now();
    const slow: ChatGateway = { send: () => new Promise((resolve) => setTimeout(resolve, 900)) };
    const first = createNagSweeper({ platform: 'slack', db: tdb.db, gateway: slow, clock, logger: capturingLogger().logger, leaseMs: 1500, concurrency: 1 });
    const second = createNagSweeper({ platform: 'slack', db: tdb.db, gateway: slow, clock, logger: capturingLogger().logger, leaseMs: 1500, concurrency: 1 });
    const pass = first.sweep();
    // 2.7 s of sending with a 1.5 s lease: renewed, so the other replica finds nothing to take.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await second.sweep()).sent).toBe(0);
    expect((await pass).sent).toBe(6);
  });
});

describe('a Slack rate limit (429 with Retry-After) for the whole outbox', () => {
  const tdb = useTestDatabase(() => pgliteKind, { offline: true });

  it('makes no call while a Retry-After runs, then carries on where it stopped: nothing lost, nothing doubled', async () => {
    const owners = Array.from({ length: 50 }, (_, i) => `U${i}`);
    const team = await seedTeam(tdb.db, { channelId: 'C_429', members: Object.fromEntries(owners.map((o) => [o, 'specialist'])) });
    await dueReminders(tdb.db, team.id, owners, 1);
    // Slack answers 429 Retry-After: 1 for the first 2.5 s, then takes everything.
    const started = Date.now();
    const calls: Array<{ at: number; during: boolean }> = [];
    let retryUntil = 0;
    const delivered: string[] = [];
    nock('https://slack.test')
      .persist()
      .post('/api/chat.postMessage')
      .reply((_uri, body) => {
        const at = Date.now();
        calls.push({ at, during: at < retryUntil });
        if (at - started < 2500) {
          retryUntil = Math.max(retryUntil, at + 1000);
          return [429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' }];
        }
        delivered.push(new URLSearchParams(String(body)).get('channel') ?? '');
        return [200, { ok: true, channel: 'D1', ts: '1.1' }];
      });
    const { logger } = capturingLogger();
    const gateway = createSlackGateway(createOutboxClient('xoxb-429', 'https://slack.test/api/', logger));
    const clock = {
      now: () =>
        fakeClock('2026-11-24T02:25:00Z')
          .now()
          .plus({ milliseconds: Date.now() - started }),
    };
    const sweeper = createNagSweeper({ platform: 'slack', db: tdb.db, gateway, clock, logger });
    // As the scheduler would: a pass, then the next when the retry moment comes.
    while (delivered.length < 50 && Date.now() - started < 15_000) {
      await sweeper.sweep();
      await new Promise((r) => setTimeout(r, 100));
    }
    nock.cleanAll();
    expect(calls.filter((c) => c.during)).toEqual([]);
    // One call per Retry-After window while limited (about three), not one per person.
    expect(calls.filter((c) => c.at - started < 2500).length).toBeLessThanOrEqual(5);
    expect(delivered.sort()).toEqual([...owners].sort());
  });
});
