import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { teamRepository } from '../../../db/repositories/teams';
import { textMessage, type Outgoing } from '../../chat/message';
import type { Team } from '../../core/model';
import type { Clock } from '../../core/time/clock';
import type { Logger } from '../../runtime/logger';

export interface ManagersNoticeDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly send: (outgoing: Outgoing) => Promise<void>;
}

/**
 * Tells a team's managers (its supervisors when it has none) something an operator must fix —
 * a permission the platform refused — once for good per `noticeKey`, however many replicas and
 * posts run into it. Nothing here fails the caller: a notice not sent is logged.
 */
export async function tellManagersOnce(deps: ManagersNoticeDeps, team: Team, noticeKey: string, text: string): Promise<void> {
  const { db, clock, logger } = deps;
  try {
    if (!(await teamRepository.markNoticeSent(db, team.id, noticeKey, clock.now().toJSDate()))) return;
    const managers = await teamRepository.membersWithRole(db, team.id, 'manager');
    const readers = managers.length ? managers : await teamRepository.membersWithRole(db, team.id, 'supervisor');
    for (const reader of readers) {
      await deps
        .send({ to: { kind: 'dm', user: reader.userId }, message: { ...textMessage(text), lang: team.lang } })
        .catch((error: unknown) => logger.warn({ err: error, noticeKey }, 'notice to the managers not delivered'));
    }
  } catch (error) {
    logger.warn({ err: error, noticeKey }, 'notice to the managers not recorded');
  }
}
