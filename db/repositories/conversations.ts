import type { Platform } from '../../src/core/model';
import type { Db } from '../database';

/** A guided conversation as stored: its kind, its state, and the version an answer moves on from. */
export interface StoredConversation {
  readonly kind: string;
  readonly state: unknown;
  readonly version: number;
  readonly expiresAt: Date;
}

/**
 * Guided conversations in progress, one per person and platform. Kept in the
 * database so a restart loses none and any replica can take the next answer; a
 * write names the version it read, so two answers handled at once cannot both win.
 */
export const conversationRepository = Object.freeze({
  async find(db: Db, platform: Platform, userId: string): Promise<StoredConversation | null> {
    const row = await db.selectFrom('conversations').select(['kind', 'state', 'version', 'expires_at']).where('platform', '=', platform).where('user_id', '=', userId).executeTakeFirst();
    return row ? { kind: row.kind, state: row.state, version: row.version, expiresAt: row.expires_at } : null;
  },

  /** Starts (or restarts) a person's conversation. */
  async start(db: Db, platform: Platform, userId: string, kind: string, state: unknown, now: Date, expiresAt: Date): Promise<void> {
    const values = { kind, state: JSON.stringify(state), expires_at: expiresAt, updated_at: now };
    await db
      .insertInto('conversations')
      .values({ platform, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['platform', 'user_id']).doUpdateSet((eb) => ({ ...values, version: eb('conversations.version', '+', 1) })))
      .execute();
  },

  /** Moves it on from the version read; false when someone else moved it first. */
  async advance(db: Db, platform: Platform, userId: string, version: number, state: unknown, now: Date, expiresAt: Date): Promise<boolean> {
    const result = await db
      .updateTable('conversations')
      .set((eb) => ({ state: JSON.stringify(state), expires_at: expiresAt, updated_at: now, version: eb('version', '+', 1) }))
      .where('platform', '=', platform)
      .where('user_id', '=', userId)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Ends it; false when it was already gone (or moved on from `version`, when given). */
  async end(db: Db, platform: Platform, userId: string, version?: number): Promise<boolean> {
    let query = db.deleteFrom('conversations').where('platform', '=', platform).where('user_id', '=', userId);
    if (version !== undefined) query = query.where('version', '=', version);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },
});
