import type { ClaimedNag } from '../../../db/repositories/nags';
import { NOBODY } from '../../core/actors';
import type { Destination } from '../../chat/message';
import type { Contact, Member, Team } from '../../core/model';
import type { NagAudience } from './nag-messages';

/** Someone (or a channel) a reminder goes to, and as whom they read it. */
export interface Recipient {
  readonly key: string;
  readonly to: Destination;
  readonly audience: NagAudience;
}

/**
 * Who a nag goes to: the owner (or whoever covers for them while on leave, 代班); at the
 * deadline also every supervisor; on escalation the team channel and the managers. A
 * contact nobody owns yet (a missed call the phone system found no one for) is the
 * supervisors' to hand over: what would go to its owner goes to them, with the assign menu.
 */
export function recipientsOf(nag: ClaimedNag, contact: Contact, team: Team, members: readonly Member[], covers: ReadonlyMap<string, string>): Recipient[] {
  const dm = (user: string, audience: NagAudience): Recipient => ({ key: `dm:${user}`, to: { kind: 'dm', user }, audience });
  const byRole = (role: Member['role']) => members.filter((m) => m.teamId === team.id && m.role === role && m.active !== false).map((m) => m.userId);
  const owner = covers.get(`${team.id}:${contact.ownerUserId}`) ?? contact.ownerUserId;
  const supervisors = byRole('supervisor');
  if (contact.ownerUserId === NOBODY && nag.step !== 'escalation') return supervisors.map((u) => dm(u, 'supervisor'));
  switch (nag.step) {
    case 'due_soon':
      return [dm(owner, 'owner')];
    case 'overdue':
      return [dm(owner, 'owner'), ...supervisors.filter((u) => u !== owner).map((u) => dm(u, 'supervisor'))];
    case 'escalation':
      return [{ key: `channel:${team.channelId}`, to: { kind: 'channel', channel: team.channelId }, audience: 'channel' }, ...byRole('manager').map((u) => dm(u, 'manager'))];
  }
}
