import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { MAX_NAGS_PER_CLAIM, nagRepository } from '../../db/repositories/nags';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { fakeClock } from '../helpers/clock';
import { postgresKind, useTestDatabase } from '../helpers/db';
import { dueReminders } from '../helpers/outbox';
import { capturingLogger, seedTeam } from '../helpers/service';
import { startTcpProxy } from '../helpers/tcp-proxy';

const pgUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const recipientOf = (o: Outgoing) => (o.to.kind === 'dm' ? o.to.user : o.to.channel);
const count = (sent: readonly Outgoing[]) => {
  const by = new Map<string, number>();
  for (const o of sent) by.set(recipientOf(o), (by.get(recipientOf(o)) ?? 0) + 1);
  return by;
};

describe.runIf(Boolean(pgUrl))('who holds a reminder claim, on PostgreSQL', () => {
  const tdb = useTestDatabase(() => postgresKind(pgUrl!));
  beforeEach(async () => {
    await tdb.reset();
  });

  it('does not send twice what reached people while the database could not record it', async () => {
    const team = await seedTeam(tdb.db, { channelId: 'C_OUT', members: { UA: 'specialist', UB: 'specialist', UC: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UA', 'UB', 'UC'], 3);
    const target = new URL(pgUrl!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.host = `127.0.0.1:${proxy.port}`;
    const replica = await openDatabase({ kind: 'postgres', url: target.toString(), schema: tdb.schema, poolSize: 2 });
    const clock = fakeClock('2026-11-24T02:25:00Z');
    const sent: Outgoing[] = [];
    // The database goes away while the first message is on its way: it arrives, but cannot be recorded.
    const gateway: ChatGateway = {
      async send(o) {
        if (sent.length === 0) proxy.cut();
        sent.push(o);
      },
    };
    const first = createNagSweeper({ platform: 'slack', db: replica.db, gateway, clock, logger: capturingLogger().logger, concurrency: 1 });
    await expect(first.sweep()).rejects.toThrow();
    // Nothing more went out while the database was away.
    expect(sent).toHaveLength(1);
    // Back after 30 s: the claims have run out; the first replica writes what it delivered
    // within a second or two, before the other replica's pass.
    clock.advance({ seconds: 30 });
    proxy.restore();
    for (let i = 0; i < 50; i++) {
      const rows = await sql<{ n: number }>`select count(*)::int as n from nag_deliveries`.execute(tdb.db);
      if (rows.rows[0]!.n === 3) break;
      await sleep(100);
    }
    const second = createNagSweeper({ platform: 'slack', db: tdb.db, gateway, clock, logger: capturingLogger().logger });
    await second.sweep();
    await first.sweep();
    await replica.close();
    await proxy.stop();
    expect(count(sent)).toEqual(
      new Map([
        ['UA', 1],
        ['UB', 1],
        ['UC', 1],
      ]),
    );
    const left = await sql<{ status: string; n: number }>`select status, count(*)::int as n from nags group by status`.execute(tdb.db);
    expect(left.rows).toEqual([{ status: 'sent', n: 9 }]);
  });

  it('stops sending once its claim may have run out, and leaves the nags to the replica that took them', async () => {
    const team = await seedTeam(tdb.db, { channelId: 'C_STALL', members: { UA: 'specialist', UB: 'specialist', UC: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UA', 'UB', 'UC'], 2);
    const clock = fakeClock('2026-11-24T02:25:00Z');
    const sent: Array<{ by: string; to: string }> = [];
    let other: ReturnType<typeof createNagSweeper> | null = null;
    const stalled: ChatGateway = {
      async send(o) {
        sent.push({ by: 'stalled', to: recipientOf(o) });
        if (sent.length === 1) {
          // This replica stalls (a long GC pause, a frozen VM) past its lease; another one takes over meanwhile.
          clock.advance({ seconds: 15 });
          await other!.sweep();
        }
      },
    };
    const healthy: ChatGateway = { send: async (o) => void sent.push({ by: 'healthy', to: recipientOf(o) }) };
    other = createNagSweeper({ platform: 'slack', db: tdb.db, gateway: healthy, clock, logger: capturingLogger().logger });
    const first = createNagSweeper({ platform: 'slack', db: tdb.db, gateway: stalled, clock, logger: capturingLogger().logger, concurrency: 1 });
    await first.sweep();
    // The message in flight during the stall may reach its person twice; no other one does.
    const inFlight = sent[0]!.to;
    const rest = sent.filter((s) => s.to !== inFlight);
    expect(rest.filter((s) => s.by === 'stalled')).toEqual([]);
    expect(rest.map((s) => s.to).sort()).toEqual(['UA', 'UB', 'UC'].filter((u) => u !== inFlight));
    const left = await sql<{ status: string; n: number }>`select status, count(*)::int as n from nags group by status`.execute(tdb.db);
    expect(left.rows).toEqual([{ status: 'sent', n: 6 }]);
  });

  it('renews only its own claim: one taken over is reported lost, not extended', async () => {
    const team = await seedTeam(tdb.db, { channelId: 'C_RENEW', members: { UA: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UA'], 3);
    const clock = fakeClock('2026-11-24T02:25:00Z');
    const mine = await nagRepository.claimDue(tdb.db, 'slack', clock.now(), 1_000, 200, { by: 'me' });
    clock.advance({ seconds: 5 });
    const theirs = await nagRepository.claimDue(tdb.db, 'slack', clock.now(), 10_000, 200, { by: 'them' });
    expect(theirs.map((n) => n.id).sort()).toEqual(mine.map((n) => n.id).sort());
    expect(
      await nagRepository.renewClaims(
        tdb.db,
        mine.map((n) => n.id),
        clock.now().plus({ seconds: 10 }),
        'me',
      ),
    ).toEqual(new Set());
    // Nor can the old holder mark them sent or put them back.
    await nagRepository.markSent(
      tdb.db,
      mine.map((n) => n.id),
      clock.now(),
      'me',
    );
    await nagRepository.retryLater(
      tdb.db,
      mine.map((n) => n.id),
      clock.now(),
      'x',
      'me',
    );
    const rows = await sql<{ status: string; claimed_by: string }>`select status, claimed_by from nags`.execute(tdb.db);
    expect(rows.rows.every((r) => r.status === 'pending' && r.claimed_by === 'them')).toBe(true);
  });

  it('claims a backlog in bounded pieces of whole teams, each one statement with one parameter for its ids', async () => {
    const small = await seedTeam(tdb.db, { channelId: 'C_SMALL', members: { UB: 'specialist' } });
    await dueReminders(tdb.db, small.id, ['UB'], 3_000);
    const other = await seedTeam(tdb.db, { channelId: 'C_OTHER', members: { UC: 'specialist' } });
    await dueReminders(tdb.db, other.id, ['UC'], 3_000);
    const team = await seedTeam(tdb.db, { channelId: 'C_BACKLOG', members: { UA: 'specialist' } });
    await dueReminders(tdb.db, team.id, ['UA'], 70_000);
    const clock = fakeClock('2026-11-24T02:25:00Z');
    // Whole teams up to the cap: the first two (6,000: the second starts under 5,000), never part of one.
    const claimed = await nagRepository.claimDue(tdb.db, 'slack', clock.now(), 60_000, 200, { by: 'me' });
    expect(claimed).toHaveLength(6_000);
    expect(new Set(claimed.map((n) => n.teamId))).toEqual(new Set([small.id, other.id]));
    // A team larger than the cap is still taken whole, alone.
    const next = await nagRepository.claimDue(tdb.db, 'slack', clock.now(), 60_000, 200, { by: 'me', maxNags: MAX_NAGS_PER_CLAIM });
    expect(next).toHaveLength(70_000);
    // More ids than PostgreSQL's 65,535 parameters: fine as one array.
    const all = (await sql<{ id: number }>`select id from nags`.execute(tdb.db)).rows.map((r) => r.id);
    await nagRepository.markSent(tdb.db, all, clock.now());
    const left = await sql<{ n: number }>`select count(*)::int as n from nags where status <> 'sent'`.execute(tdb.db);
    expect(left.rows[0]!.n).toBe(0);
  }, 60_000);
});
