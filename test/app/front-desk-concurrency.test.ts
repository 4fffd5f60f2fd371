import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { DateTime } from 'luxon';
import { postgresKind, useTestDatabase } from '../helpers/db';
import { seedTeam, serviceFor } from '../helpers/service';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(Boolean(pgUrl))('walk-ins typed at the same moment on several replicas', () => {
  const tdb = useTestDatabase(() => postgresKind(pgUrl!));

  it('never go to the same consultant unless the rotation has gone round, and each one waiting is received once', async () => {
    const consultants = ['c1', 'c2', 'c3', 'c4', 'c5'];
    await seedTeam(tdb.db, { channelId: 'C_DESK', lang: 'en', members: Object.fromEntries([...consultants.map((c) => [c, 'specialist']), ['desk1', 'supervisor'], ['desk2', 'supervisor']]) });
    // The real clock: each replica stamps its events with its own reading, as in production.
    const clock = { now: () => DateTime.utc() };
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: pgUrl!, schema: tdb.schema, poolSize: 4 })));
    const services = replicas.map((r) => serviceFor(r.db, clock).service);
    const say = (i: number, userId: string, text: string, requestKey: string) => services[i % 3]!.handle({ userId, channelId: 'C_DESK', text, requestKey });
    try {
      for (const c of consultants) await say(0, c, 'checkin', `in-${c}`);
      for (let round = 0; round < 4; round++) {
        // Seven visitors at once for five free consultants, from both front-desk supervisors on three replicas.
        const outcomes = await Promise.all(Array.from({ length: 7 }, (_, i) => say(i, i % 2 ? 'desk1' : 'desk2', `visit V${round}-${i}`, `v-${round}-${i}`)));
        const receivers = outcomes.map((o) => /received by <@(\w+)>/.exec(o.reply?.text ?? '')?.[1]).filter(Boolean);
        expect(receivers.sort()).toEqual([...consultants].sort());
        // The other two wait, one behind the other.
        const waiting = outcomes.map((o) => /is waiting as W\d+, number (\d) in line/.exec(o.reply?.text ?? '')?.[1]).filter(Boolean);
        expect(waiting.sort()).toEqual(['1', '2']);
        // Everyone done at once: the two waiting go to two of them, never both to one.
        const dones = await Promise.all(consultants.map((c, i) => say(i, c, 'done', `done-${round}-${c}`)));
        const takers = dones.flatMap((o) => o.notices.filter((n) => n.to.kind === 'dm' && /^Visitor #\d+: V\d-\d \(/.test(n.message.text)).map((n) => (n.to.kind === 'dm' ? n.to.user : '')));
        expect(takers).toHaveLength(2);
        expect(new Set(takers).size).toBe(2);
        for (const c of takers) await say(0, c, 'done', `done-again-${round}-${c}`);
      }
      const received = await tdb.db.selectFrom('rotation_events').select('waiting_no').where('kind', '=', 'visit').where('waiting_no', 'is not', null).execute();
      expect(received).toHaveLength(8);
      expect(new Set(received.map((r) => r.waiting_no)).size).toBe(8);
      expect(await tdb.db.selectFrom('waiting_visitors').select('id').where('contact_id', 'is', null).execute()).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
