import type { ChartSpec } from '../../src/core/charts';
import type { Kysely } from 'kysely';
import { Writable } from 'node:stream';
import type { Database } from '../../db/database';
import { teamRepository } from '../../db/repositories/teams';
import { createCommandService } from '../../src/app/commands/command-service';
import { chineseHolidayData } from '../../src/app/team/holidays';
import { createLogger } from '../../src/runtime/logger';
import type { HolidayData } from '../../src/core/time/calendar';
import type { Role } from '../../src/core/channels';
import type { Clock } from '../../src/core/time/clock';
import type { Platform } from '../../src/core/model';
import type { Lang } from '../../src/i18n';

/** A logger that keeps every line it writes, to be read by the test. */
export function capturingLogger(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

/** A team with members, straight into the database. */
export async function seedTeam(db: Kysely<Database>, opts: { platform?: Platform; channelId?: string; name?: string; zone?: string; lang?: Lang; members: Record<string, Role>; createdAt?: Date }) {
  const team = await teamRepository.create(db, {
    platform: opts.platform ?? 'slack',
    name: opts.name ?? 'Test team',
    channelId: opts.channelId ?? 'C_TEAM',
    zone: opts.zone ?? 'Asia/Shanghai',
    lang: opts.lang ?? 'en',
    createdBy: 'admin',
    // A team that existed long before any test's clock, unless the test says when it was made.
    createdAt: opts.createdAt ?? new Date('2020-01-01T00:00:00Z'),
  });
  for (const [userId, role] of Object.entries(opts.members)) {
    await teamRepository.upsertMember(db, { teamId: team.id, userId, displayName: userId, role });
  }
  return team;
}

export function serviceFor(
  db: Kysely<Database>,
  clock: Clock,
  opts: {
    platform?: Platform;
    lang?: Lang;
    admins?: string[];
    level?: string;
    logger?: ReturnType<typeof capturingLogger>;
    holidays?: HolidayData;
    intakeBaseUrl?: () => string | null;
    draw?: (spec: ChartSpec) => Promise<{ png: Buffer }>;
  } = {},
) {
  const { logger, lines } = opts.logger ?? capturingLogger(opts.level);
  const service = createCommandService({
    platform: opts.platform ?? 'slack',
    db,
    clock,
    logger,
    holidays: opts.holidays ?? chineseHolidayData(),
    defaultLang: opts.lang ?? 'en',
    bootstrapAdmins: new Set(opts.admins ?? ['UADMIN']),
    ...(opts.intakeBaseUrl ? { intakeBaseUrl: opts.intakeBaseUrl } : {}),
    ...(opts.draw ? { draw: opts.draw } : {}),
  });
  return { service, logLines: lines };
}
