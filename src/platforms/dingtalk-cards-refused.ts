import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { teamRepository } from '../../db/repositories/teams';
import type { Logger } from '../runtime/logger';
import { channelRef } from '../app/commands/mention';
import type { Clock } from '../core/time/clock';
import { t } from '../i18n';
import { textMessage, type Outgoing } from '../chat/message';

/**
 * Tells the managers of the team whose group a card was refused in (its supervisors when it
 * has none), once for good, that DingTalk would not take the robot's cards and how to get
 * them back; the group's buttons meanwhile show the commands to type.
 */
export function cardsRefusedNotice(deps: { db: Kysely<Database>; clock: Clock; logger: Logger; send: (outgoing: Outgoing) => Promise<void> }) {
  return async (channel: string, detail: string): Promise<void> => {
    const team = await teamRepository.findByChannel(deps.db, 'dingtalk', channel);
    if (!team) return;
    if (!(await teamRepository.markNoticeSent(deps.db, team.id, 'dingtalk-cards-refused', deps.clock.now().toJSDate()))) return;
    const managers = await teamRepository.membersWithRole(deps.db, team.id, 'manager');
    const readers = managers.length ? managers : await teamRepository.membersWithRole(deps.db, team.id, 'supervisor');
    const text = t(team.lang, 'cards.refused', { channel: channelRef(channel), team: team.name, detail: detail.slice(0, 200) });
    for (const reader of readers) {
      await deps
        .send({ to: { kind: 'dm', user: reader.userId }, message: { ...textMessage(text), lang: team.lang } })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'card refusal notice not delivered'));
    }
  };
}
