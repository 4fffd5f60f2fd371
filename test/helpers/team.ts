import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { CommandService } from '../../src/app/commands/command-service';
import type { Role } from '../../src/core/channels';
import { textOf } from './messages';
import { fakeClock } from './clock';
import type { TestDatabase, TestDatabaseKind } from './db';
import { seedTeam, serviceFor } from './service';

export const TEAM_CHANNEL = 'C_TEAM';

/**
 * A describe block's team: a fresh database of `kind` per file, reset before each test
 * to one team in C_TEAM with `members`, a fake clock at `start`, and the command
 * service. `createdAt` puts the team's creation at another moment (digests look at it).
 */
export function teamFixture(kind: TestDatabaseKind, opts: { start: string; members: Record<string, Role>; createdAt?: string; service?: Parameters<typeof serviceFor>[2] }) {
  const clock = fakeClock(opts.start);
  let tdb: TestDatabase | undefined;
  let service: CommandService | undefined;
  const fixture = {
    clock,
    get tdb(): TestDatabase {
      if (!tdb) throw new Error('the database opens in beforeAll');
      return tdb;
    },
    get service(): CommandService {
      if (!service) throw new Error('the service is made in beforeEach');
      return service;
    },
    run: (userId: string, text: string) => fixture.service.handle({ userId, channelId: TEAM_CHANNEL, text }),
    say: async (userId: string, text: string) => textOf((await fixture.run(userId, text)).reply),
  };
  beforeAll(async () => {
    tdb = await kind.open();
  });
  afterAll(async () => {
    await tdb?.close();
  });
  beforeEach(async () => {
    await fixture.tdb.reset();
    clock.set(opts.createdAt ?? opts.start);
    service = serviceFor(fixture.tdb.db, clock, opts.service).service;
    await seedTeam(fixture.tdb.db, { channelId: TEAM_CHANNEL, members: opts.members, createdAt: clock.now().toJSDate() });
    clock.set(opts.start);
  });
  return fixture;
}
