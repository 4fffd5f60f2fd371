import type { DateTime } from 'luxon';
import type { Db } from '../database';

/** What only complaints need: groups of one problem's complaints, and recent ones by category. */
export const complaintRepository = Object.freeze({
  /**
   * Puts complaints into one group: the given ones and every member of the groups
   * they were in. Returns the group's members, smallest id first.
   */
  async linkGroup(db: Db, teamId: number, group: number, ids: readonly number[], oldGroups: readonly number[], at: DateTime): Promise<number[]> {
    const rows = await db
      .updateTable('contacts')
      .set({ group_id: group, updated_at: at.toJSDate() })
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('id', 'in', [...ids]), ...(oldGroups.length ? [eb('group_id', 'in', [...oldGroups])] : [])]))
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  },

  /** A team's complaints of one category received since an instant, oldest first. */
  async complaintIdsInCategorySince(db: Db, teamId: number, category: string, since: DateTime): Promise<number[]> {
    const rows = await db
      .selectFrom('contacts')
      .select('id')
      .where('team_id', '=', teamId)
      .where('channel', '=', 'complaint')
      .where('category', '=', category)
      .where('received_at', '>=', since.toJSDate())
      .orderBy('received_at')
      .execute();
    return rows.map((r) => r.id);
  },
});
