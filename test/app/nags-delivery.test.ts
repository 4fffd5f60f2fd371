import { sql } from 'kysely';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { listenForWakeups } from '../../db/wakeups';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { createOutboxClient } from '../../src/chat/slack/app';
import { createSlackGateway } from '../../src/chat/slack/gateway';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, postgresKind, type TestDatabase, useTestDatabase } from '../helpers/db';
import { capturingLogger, seedTeam, serviceFor } from '../helpers/service';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(Boolean(pgUrl))('reminders with several replicas on one PostgreSQL', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await postgresKind(pgUrl!).open();
  });
  afterAll(async () => {
    await tdb.close();
  });

  it('sends each of 1,000 due reminders exactly once across three sweeping replicas', async () => {
    // Ten teams of five: replicas share the work team by team.
    for (let t = 0; t < 10; t++) {
      const owners = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`U${t}-${i}`, 'specialist' as const]));
      const team = await seedTeam(tdb.db, { channelId: `C_BIG${t}`, members: owners });
      await sql`insert into customers (team_id, name, owner_user_id) select ${team.id}, 'c' || g, ${`U${t}-`} || (g % 5) from generate_series(1, 100) g`.execute(tdb.db);
    }
    await sql`insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at, first_response_due_at)
      select team_id, id, owner_user_id, owner_user_id, 'wechat', '2026-11-24T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-24T02:30:00Z' from customers`.execute(tdb.db);
    await sql`insert into nags (platform, team_id, contact_id, clock, step, fire_at) select 'slack', team_id, id, 'response', 'due_soon', '2026-11-24T02:24:00Z' from contacts`.execute(tdb.db);

    const schema = tdb.schema!;
    const clock = fakeClock('2026-11-24T02:25:00Z');
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: pgUrl!, schema, poolSize: 3 })));
    const seen: number[] = [];
    const sweepers = replicas.map((r) => {
      const gateway: ChatGateway = {
        async send(o: Outgoing) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
          for (const m of JSON.stringify(o.message.blocks[1]).matchAll(/#(\d+)/g)) seen.push(Number(m[1]));
        },
      };
      return createNagSweeper({ platform: 'slack', db: r.db, gateway, clock, logger: capturingLogger().logger, teamsPerClaim: 1 });
    });
    const results = await Promise.all(sweepers.map((s) => s.sweep()));
    await Promise.all(replicas.map((r) => r.close()));

    expect(results.map((r) => r.sent).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(results.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    const left = await tdb.db
      .selectFrom('nags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '<>', 'sent')
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });
});

describe.runIf(Boolean(pgUrl))('wake-ups between replicas', () => {
  it('wakes another replica when a contact with deadlines is logged', async () => {
    const tdb = await postgresKind(pgUrl!).open();
    try {
      const schema = tdb.schema!;
      let woken = 0;
      const stop = await listenForWakeups(pgUrl!, () => (woken += 1), capturingLogger().logger, schema);
      await seedTeam(tdb.db, { channelId: 'C_W', members: { alice: 'specialist' } });
      const { service } = serviceFor(tdb.db, fakeClock('2026-11-24T10:00:00+08:00'));
      await service.handle({ userId: 'alice', channelId: 'C_W', text: 'log wechat 张先生 hi' });
      const until = Date.now() + 5000;
      while (woken === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await stop();
      expect(woken).toBe(1);
    } finally {
      await tdb.close();
    }
  });
});

describe('reminders through the Slack Web API', () => {
  const tdb = useTestDatabase(() => pgliteKind, { offline: true });

  it('waits out a 429 for its Retry-After and retries a 500, then delivers once', async () => {
    const clock = fakeClock('2026-11-24T10:00:00+08:00');
    await seedTeam(tdb.db, { channelId: 'C_TEAM', members: { UALICE: 'specialist' } });
    const { service } = serviceFor(tdb.db, clock);
    await service.handle({ userId: 'UALICE', channelId: 'C_TEAM', text: 'log wechat 张先生 13812345678 hi' });
    const posted: string[] = [];
    nock('https://slack.test')
      .post('/api/chat.postMessage')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '3' })
      .post('/api/chat.postMessage')
      .reply(500, 'upstream trouble')
      .post('/api/chat.postMessage')
      .reply(200, (_uri, body) => {
        posted.push(String(body));
        return { ok: true, channel: 'D1', ts: '1.1' };
      });
    const { logger, lines } = capturingLogger();
    const gateway = createSlackGateway(createOutboxClient('xoxb-outbox-token', 'https://slack.test/api/', logger));
    const sweeper = createNagSweeper({ platform: 'slack', db: tdb.db, gateway, clock, logger });

    clock.set('2026-11-24T10:24:00+08:00');
    expect(await sweeper.sweep()).toMatchObject({ sent: 0, retried: 1 });
    clock.advance({ seconds: 2 });
    expect(await sweeper.sweep()).toMatchObject({ sent: 0, retried: 0 });
    clock.advance({ seconds: 1 });
    expect(await sweeper.sweep()).toMatchObject({ sent: 0, retried: 1 });
    clock.advance({ minutes: 1 });
    expect(await sweeper.sweep()).toMatchObject({ sent: 1 });
    expect(await sweeper.sweep()).toMatchObject({ sent: 0 });
    expect(posted).toHaveLength(1);
    expect(decodeURIComponent(posted[0]!)).toContain('138****5678');
    expect(decodeURIComponent(posted[0]!)).not.toContain('13812345678');
    expect(lines.join('')).not.toMatch(/13812345678|xoxb-outbox-token/);
  });
});
