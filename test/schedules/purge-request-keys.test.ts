import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { purgeRequestKeys, REQUEST_KEY_RETENTION_HOURS } from '../../schedules/purge-request-keys';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { capturingLogger } from '../helpers/service';

describe(purgeRequestKeys.name, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await pgliteKind.open();
  });
  afterAll(async () => {
    await tdb.close();
  });

  it(`forgets request keys older than ${REQUEST_KEY_RETENTION_HOURS} hours and keeps the rest`, async () => {
    await sql`insert into request_keys (key, created_at) values
      ('command:old', '2026-11-23T09:59:00Z'), ('command:edge', '2026-11-23T10:00:00Z'), ('command:new', '2026-11-24T09:00:00Z')`.execute(tdb.db);
    const clock = fakeClock('2026-11-24T10:00:00Z');
    expect(await purgeRequestKeys({ db: tdb.db, clock, logger: capturingLogger().logger })).toBe(1);
    const left = await tdb.db.selectFrom('request_keys').select('key').orderBy('key').execute();
    expect(left.map((r) => r.key)).toEqual(['command:edge', 'command:new']);
  });
});
