import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { teamRepository } from '../../../db/repositories/teams';
import type { ChatGateway } from '../../chat/gateway';
import { textMessage, type Destination } from '../../chat/message';
import type { Clock } from '../../core/time/clock';
import type { Member, Team } from '../../core/model';
import { t } from '../../i18n';
import type { Logger } from '../../runtime/logger';
import { channelRef, mention } from '../commands/mention';

/**
 * Tells a team's managers (or, without one, its supervisors) that the platform
 * refused for good to deliver to someone or to the team channel, once per day and
 * destination: the person may have left, or the robot lost its place in the group.
 */
export async function reportUndeliverable(
  deps: { db: Kysely<Database>; gateway: ChatGateway; clock: Clock; logger: Logger },
  refused: ReadonlyArray<{ team: Team; to: Destination }>,
  members: readonly Member[],
): Promise<void> {
  for (const { team, to } of refused) {
    const where = to.kind === 'channel' ? to.channel : to.user;
    const day = deps.clock.now().setZone(team.zone).toISODate();
    if (!(await teamRepository.markNoticeSent(deps.db, team.id, `undeliverable:${to.kind}:${where}:${day}`, deps.clock.now().toJSDate()))) continue;
    const ofTeam = members.filter((m) => m.teamId === team.id && m.userId !== where);
    const managers = ofTeam.filter((m) => m.role === 'manager');
    const readers = managers.length ? managers : ofTeam.filter((m) => m.role === 'supervisor');
    const text =
      to.kind === 'channel'
        ? t(team.lang, 'notice.undeliverableChannel', { channel: channelRef(to.channel), team: team.name })
        : t(team.lang, 'notice.undeliverableUser', { user: mention(where), team: team.name });
    for (const reader of readers) {
      await deps.gateway
        .send({ to: { kind: 'dm', user: reader.userId }, message: textMessage(text) })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'undeliverable notice not delivered'));
    }
  }
}
