import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database, Db } from '../../../db/database';
import { rotationRepository } from '../../../db/repositories/rotation';
import type { Clock } from '../../core/time/clock';
import type { Team } from '../../core/model';
import { rotationState, type RotationEvent, type RotationState } from '../../core/rotation';

/** The team's local day a moment belongs to: the rotation starts afresh each day. */
export const dayOf = (team: Team, at: DateTime) => at.setZone(team.zone).toISODate()!;

/** A team's day inside one transaction that holds the rotation's lock. */
export interface LockedDay {
  readonly trx: Db;
  /** The clock, read once the lock was held. */
  readonly now: DateTime;
  readonly at: number;
  readonly day: string;
  /** The rotation as the day's events leave it, those recorded through `record` included. */
  state(): RotationState;
  record(events: readonly RotationEvent[]): Promise<void>;
}

/**
 * Runs `work` in one transaction holding the team's rotation lock, the clock read once the
 * lock is held: whatever was recorded before is in the past, so changes typed at the same
 * moment (by two people, on two replicas) are decided one after the other — a visitor never
 * goes to two consultants, nor two visitors to one.
 */
export async function inLockedDay<T>(db: Kysely<Database>, clock: Clock, team: Team, work: (day: LockedDay) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await rotationRepository.lock(trx, team.id);
    const now = clock.now();
    const at = now.toMillis();
    const day = dayOf(team, now);
    const events: RotationEvent[] = await rotationRepository.day(trx, team.id, day);
    let state: RotationState | null = null;
    return work({
      trx,
      now,
      at,
      day,
      state: () => (state ??= rotationState(events, at)),
      record: async (added) => {
        await rotationRepository.add(trx, team.id, day, added);
        events.push(...added);
        state = null;
      },
    });
  });
}
