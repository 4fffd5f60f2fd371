import type { Role } from './channels';

/** Who is asking: a member of a team. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

/** Specialists see what they own; supervisors and managers see their whole team (DOMAIN.md). */
export function canSeeOwnedBy(actor: Actor, ownerUserId: string): boolean {
  return actor.role !== 'specialist' || actor.userId === ownerUserId;
}

/** Where a message will be read: by one person, or by a whole channel. */
export type Audience = 'private' | 'channel';

/**
 * A full phone number is shown only privately (ephemeral reply or DM), and only
 * to the owner, a supervisor or a manager; everyone else reads 138****5678.
 */
export function mayReadFullPhone(actor: Actor, ownerUserId: string, audience: Audience): boolean {
  return audience === 'private' && canSeeOwnedBy(actor, ownerUserId);
}

export function canChangeTeam(actor: Actor): boolean {
  return actor.role === 'manager';
}
