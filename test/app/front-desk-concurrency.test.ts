import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { DateTime } from 'luxon';
import { postgresKind, useTestDatabase } from '../helpers/db';
import { seedTeam, serviceFor } from '../helpers/service';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(Boolean(pgUrl))('walk-ins typed at the same moment on several replicas', () => {
  const tdb = useTestDatabase(() => postgresKind(pgUrl!));

  it('never go to the same consultant unless the rotation has gone round', async () => {
    const consultants = ['c1', 'c2', 'c3', 'c4', 'c5'];
    await seedTeam(tdb.db, { channelId: 'C_DESK', lang: 'en', members: Object.fromEntries([...consultants.map((c) => [c, 'specialist']), ['desk1', 'specialist'], ['desk2', 'specialist']]) });
    // The real clock: each replica stamps its events with its own reading, as in production.
    const clock = { now: () => DateTime.utc() };
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: pgUrl!, schema: tdb.schema, poolSize: 4 })));
    const services = replicas.map((r) => serviceFor(r.db, clock).service);
    try {
      for (const c of consultants) await services[0]!.handle({ userId: c, channelId: 'C_DESK', text: 'checkin', requestKey: `in-${c}` });
      for (let round = 0; round < 4; round++) {
        // Seven visitors at once for five free consultants, from both front-desk people on three replicas.
        const outcomes = await Promise.all(
          Array.from({ length: 7 }, (_, i) =>
            services[i % 3]!.handle({ userId: i % 2 ? 'desk1' : 'desk2', channelId: 'C_DESK', text: `visit V${round}-${i}`, requestKey: `v-${round}-${i}` }),
          ),
        );
        const receivers = outcomes.map((o) => /received by <@(\w+)>/.exec(o.reply?.text ?? '')?.[1]).filter(Boolean);
        expect(receivers.sort()).toEqual([...consultants].sort());
        expect(outcomes.filter((o) => /No consultant is free/.test(o.reply?.text ?? ''))).toHaveLength(2);
        // Everyone done: the next round starts from a free office.
        for (const c of consultants) await services[0]!.handle({ userId: c, channelId: 'C_DESK', text: 'done', requestKey: `done-${round}-${c}` });
      }
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
