import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { teamRepository } from '../../../db/repositories/teams';
import type { Role } from '../../core/channels';
import type { Lang } from '../../i18n';

export const DEMO_CHANNEL = 'demo';
export const DEMO_MEMBERS: ReadonlyArray<{ userId: string; role: Role }> = [
  { userId: 'alice', role: 'specialist' },
  { userId: 'bob', role: 'specialist' },
  // Enough consultants for the sales office's rotation: three at the front desk and a fourth to call.
  { userId: 'erin', role: 'specialist' },
  { userId: 'frank', role: 'specialist' },
  { userId: 'carol', role: 'supervisor' },
  { userId: 'dave', role: 'manager' },
];

/** On an empty database, the sandbox's demo team: #demo with alice, bob (specialists), carol (supervisor), dave (manager). */
export async function seedDemoTeam(db: Kysely<Database>, lang: Lang, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if ((await teamRepository.count(trx)) > 0) return;
    const team = await teamRepository.create(trx, {
      platform: 'sandbox',
      name: lang === 'en' ? 'Demo project' : '示例项目',
      channelId: DEMO_CHANNEL,
      zone: 'Asia/Shanghai',
      lang,
      createdBy: 'dave',
      createdAt: now,
    });
    for (const m of DEMO_MEMBERS) {
      await teamRepository.upsertMember(trx, { teamId: team.id, userId: m.userId, displayName: m.userId, role: m.role });
    }
  });
}
