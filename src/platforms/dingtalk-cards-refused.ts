import { teamRepository } from '../../db/repositories/teams';
import { channelRef } from '../app/commands/mention';
import { tellManagersOnce, type ManagersNoticeDeps } from '../app/team/managers-notice';
import { t } from '../i18n';

/**
 * Tells the managers of the team whose group a card was refused in (its supervisors when it
 * has none), once for good, that DingTalk would not take the robot's cards and how to get
 * them back; the group's buttons meanwhile show the commands to type.
 */
export function cardsRefusedNotice(deps: ManagersNoticeDeps) {
  return async (channel: string, detail: string): Promise<void> => {
    const team = await teamRepository.findByChannel(deps.db, 'dingtalk', channel);
    if (!team) return;
    const text = t(team.lang, 'cards.refused', { channel: channelRef(channel), team: team.name, detail: detail.slice(0, 200) });
    await tellManagersOnce(deps, team, 'dingtalk-cards-refused', text);
  };
}
