import { beforeEach, describe, expect, it } from 'vitest';
import { reportRepository } from '../../db/repositories/reports';
import { createDigestPoster } from '../../src/app/reports/digest-poster';
import { DeliveryError, type ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

describe.each(databaseKinds())('the daily complaint digest on $name', (kind) => {
  // The team exists from the day before, so yesterday's digest is its own.
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', createdAt: '2026-11-23T08:00:00+08:00', members: { alice: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run } = team;
  let posts: Outgoing[];
  let failures: number;
  const gateway: ChatGateway = {
    async send(o) {
      if (failures > 0) {
        failures--;
        throw new DeliveryError('chat is down');
      }
      posts.push(o);
    },
  };
  const poster = () => createDigestPoster({ platform: 'slack', db: team.tdb.db, gateway, clock, logger: capturingLogger().logger });

  beforeEach(() => {
    posts = [];
    failures = 0;
  });

  it('posts once per team and day at the team’s local time, even with two replicas sweeping together', async () => {
    await run('alice', 'complaint 王先生 urgent quality 13812345678 漏水');
    // Posted yesterday: this test is about today's.
    clock.set('2026-11-23T18:00:00+08:00');
    await poster().postDue();
    posts = [];
    clock.set('2026-11-24T17:59:59+08:00');
    expect(await poster().postDue()).toEqual({ posted: 0, failed: 0 });
    clock.set('2026-11-24T18:00:00+08:00');
    const [a, b] = [poster(), poster()];
    const results = await Promise.all([a.postDue(), b.postDue(), a.postDue()]);
    expect(results.reduce((sum, r) => sum + r.posted, 0)).toBe(1);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.to).toEqual({ kind: 'channel', channel: 'C_TEAM' });
    const text = textOf(posts[0]!.message);
    expect(text).toContain('Complaint digest · Test team · 2026-11-24');
    expect(text).toContain('New today: 1');
    expect(text).toContain('By level: urgent 1');
    expect(text).not.toContain('posted late');
    expect(text).not.toContain('13812345678');
    clock.set('2026-11-24T23:00:00+08:00');
    await poster().postDue();
    expect(posts).toHaveLength(1);
  });

  it('posts a digest missed while the bot was down when it starts, marked late', async () => {
    await run('alice', 'complaint 王先生 quality 漏水');
    // Down from before 18:00 on the 24th until 09:00 on the 25th: yesterday's goes out on start, late.
    // (Catch-up reaches back one day: the 23rd's is older news than the 24th's.)
    clock.set('2026-11-25T09:00:00+08:00');
    await poster().postDue();
    expect(posts.map((p) => textOf(p.message).split('\n')[0])).toEqual(['📋 Complaint digest · Test team · 2026-11-24']);
    expect(textOf(posts[0]!.message)).toContain('(posted late: it was due at 2026-11-24 18:00 while the bot was down)');
    // The 24th's as it stood at its end: the complaint was new that day.
    expect(textOf(posts[0]!.message)).toContain('New today: 1');
    const rows = await team.tdb.db.selectFrom('team_digests').select(['day', 'status', 'late']).orderBy('day').execute();
    expect(rows).toEqual([{ day: '2026-11-24', status: 'posted', late: true }]);
    // Today's comes at its own time, on time.
    clock.set('2026-11-25T18:00:10+08:00');
    await poster().postDue();
    expect(textOf(posts[1]!.message)).toContain('Complaint digest · Test team · 2026-11-25');
    expect(textOf(posts[1]!.message)).not.toContain('posted late');
  });

  it('says so on a day without complaints, so the team sees the bot is alive', async () => {
    clock.set('2026-11-24T18:00:30+08:00');
    await poster().postDue();
    const today = posts.find((p) => textOf(p.message).includes('2026-11-24'))!;
    expect(textOf(today.message)).toContain('No new complaints today and none open.');
    expect(JSON.stringify(today.message.blocks)).toContain('"command":"digest ack 2026-11-24"');
  });

  it('tries again two minutes later when the chat refuses the post', async () => {
    clock.set('2026-11-24T18:00:00+08:00');
    failures = 2;
    expect(await poster().postDue()).toEqual({ posted: 0, failed: 2 });
    clock.set('2026-11-24T18:01:00+08:00');
    expect(await poster().postDue()).toEqual({ posted: 0, failed: 0 });
    clock.set('2026-11-24T18:02:01+08:00');
    expect(await poster().postDue()).toEqual({ posted: 2, failed: 0 });
    expect(await poster().postDue()).toEqual({ posted: 0, failed: 0 });
  });

  it('posts a digest whose replica died after claiming it, once its claim runs out', async () => {
    clock.set('2026-11-24T18:00:00+08:00');
    const { id } = await team.tdb.db.selectFrom('teams').select('id').executeTakeFirstOrThrow();
    // A replica claimed today's digest and died before posting it.
    expect(await reportRepository.claimDigest(team.tdb.db, id, '2026-11-24', clock.now(), clock.now(), 120_000)).toBe(true);
    await poster().postDue();
    expect(posts.some((p) => textOf(p.message).includes('2026-11-24'))).toBe(false);
    clock.set('2026-11-24T18:02:01+08:00');
    await poster().postDue();
    expect(posts.filter((p) => textOf(p.message).includes('· 2026-11-24'))).toHaveLength(1);
  });

  it('follows the team’s digest time and off switch; a time already past today starts tomorrow', async () => {
    expect(textOf((await run('dave', 'team digest 09:30')).reply)).toBe('The complaint digest will be posted to the team channel every day at 09:30 (Asia/Shanghai).');
    clock.set('2026-11-24T12:00:00+08:00');
    await poster().postDue();
    expect(posts.map((p) => textOf(p.message).split('\n')[0])).toEqual(['📋 Complaint digest · Test team · 2026-11-23']);
    clock.set('2026-11-25T09:30:00+08:00');
    await poster().postDue();
    expect(posts.map((p) => textOf(p.message).split('\n')[0]).at(-1)).toBe('📋 Complaint digest · Test team · 2026-11-25');
    expect(textOf((await run('dave', 'team digest off')).reply)).toBe('The complaint digest is off.');
    clock.set('2026-11-26T10:00:00+08:00');
    const before = posts.length;
    await poster().postDue();
    expect(posts).toHaveLength(before);
  });

  it('records which supervisor acknowledged a digest, and shows it on demand', async () => {
    expect(textOf((await run('alice', 'digest ack 2026-11-24')).reply)).toContain('Only a supervisor or a manager can acknowledge the digest.');
    clock.set('2026-11-24T18:05:00+08:00');
    expect(textOf((await run('carol', 'digest ack 2026-11-24')).reply)).toBe('Recorded that you read the 2026-11-24 digest at 2026-11-24 18:05.');
    clock.set('2026-11-24T18:10:00+08:00');
    await run('carol', 'digest ack 2026-11-24');
    expect(textOf((await run('carol', 'digest 2026-11-24')).reply)).toContain('Acknowledged: <@carol> at 2026-11-24 18:05');
  });
});
