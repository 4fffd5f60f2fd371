import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../database';

/**
 * Cards the bot sent into groups, as their platform's transport describes them (stored as
 * JSON, read back as the transport wrote it): kept so a click can update its card from any
 * replica, after any restart.
 */
export const chatCardRepository = Object.freeze({
  async save(db: Db, platform: string, cardId: string, card: unknown, at: Date): Promise<void> {
    await db
      .insertInto('chat_cards')
      .values({ platform, card_id: cardId, card: JSON.stringify(card), created_at: at })
      .onConflict((oc) => oc.columns(['platform', 'card_id']).doUpdateSet({ card: JSON.stringify(card) }))
      .execute();
  },

  async find(db: Db, platform: string, cardId: string): Promise<unknown | null> {
    const row = await db.selectFrom('chat_cards').select('card').where('platform', '=', platform).where('card_id', '=', cardId).executeTakeFirst();
    return row ? parse(row.card) : null;
  },

  /** Reads, changes and writes one card under a row lock: two clicks at once each see the other's change. */
  async change<T>(db: Kysely<Database>, platform: string, cardId: string, update: (card: T) => T): Promise<T | null> {
    return db.transaction().execute(async (trx) => {
      const row = await sql<{ card: unknown }>`select card from chat_cards where platform = ${platform} and card_id = ${cardId} for update`.execute(trx);
      const found = row.rows[0];
      if (!found) return null;
      const next = update(parse(found.card) as T);
      await trx
        .updateTable('chat_cards')
        .set({ card: JSON.stringify(next) })
        .where('platform', '=', platform)
        .where('card_id', '=', cardId)
        .execute();
      return next;
    });
  },

  /** Forgets cards sent before `before` (nobody clicks a month-old card). */
  async purgeOlderThan(db: Db, before: Date): Promise<number> {
    const result = await db.deleteFrom('chat_cards').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});

const parse = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
