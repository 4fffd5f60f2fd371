import { sql, type Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database, Db } from '../database';

/** How many messages one conversation may get: a platform drops what goes over (WeCom's app: 30 a minute, 1,000 an hour). */
export interface SendCaps {
  readonly perMinute: number;
  readonly perHour: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * When `count` more sends fit beside the ones made at `times` (epoch ms, oldest first):
 * null for now, the moment they fit, or 'never' for more than a whole minute or hour takes.
 */
export function capWait(times: readonly number[], count: number, now: number, caps: SendCaps): number | 'never' | null {
  if (count > caps.perMinute || count > caps.perHour) return 'never';
  const lastHour = times.filter((at) => at > now - HOUR);
  const lastMinute = lastHour.filter((at) => at > now - MINUTE);
  // The oldest sends that must age out of the window first; the last of them frees the room.
  const minuteWait = lastMinute.length + count > caps.perMinute ? lastMinute[lastMinute.length + count - caps.perMinute - 1]! + MINUTE : null;
  const hourWait = lastHour.length + count > caps.perHour ? lastHour[lastHour.length + count - caps.perHour - 1]! + HOUR : null;
  if (minuteWait === null && hourWait === null) return null;
  return Math.max(minuteWait ?? 0, hourWait ?? 0);
}

/**
 * Sends counted per conversation where a platform caps them, in the database so every
 * handler, retry, replica and the next start see the same count.
 */
/** The sends counted to `recipient` on `lane` in the hour before `now`, oldest first (epoch ms). */
async function lastHour(db: Db, lane: string, recipient: string, now: DateTime): Promise<number[]> {
  const rows = await db
    .selectFrom('recipient_sends')
    .select('sent_at')
    .where('platform', '=', lane)
    .where('recipient', '=', recipient)
    .where('sent_at', '>', now.minus({ hours: 1 }).toJSDate())
    .orderBy('sent_at')
    .execute();
  return rows.map((r) => new Date(r.sent_at).getTime());
}

export const sendBudgetRepository = Object.freeze({
  /**
   * Reserves `count` sends to `recipient` on `lane` (a platform's channel: `wecom-app`,
   * `wecom-bot`) at `now`, or says when they would fit. Atomic: the count and the insert
   * run under a lock on that one conversation held to the end of the transaction, so two
   * handlers or two replicas reserving at once cannot both take the last places.
   */
  async reserve(db: Kysely<Database>, lane: string, recipient: string, count: number, now: DateTime, caps: SendCaps): Promise<number | 'never' | null> {
    return db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`send-budget|${lane}|${recipient}`}, 0))`.execute(tx);
      const wait = capWait(await lastHour(tx, lane, recipient, now), count, now.toMillis(), caps);
      if (wait !== null) return wait;
      await tx
        .insertInto('recipient_sends')
        .values(Array.from({ length: count }, () => ({ platform: lane, recipient, sent_at: now.toJSDate() })))
        .execute();
      await tx
        .deleteFrom('recipient_sends')
        .where('platform', '=', lane)
        .where('recipient', '=', recipient)
        .where('sent_at', '<', now.minus({ hours: 1 }).toJSDate())
        .execute();
      return null;
    });
  },

  /** Every send counted to `recipient` on `lane` in the hour before `now` (epoch ms, oldest first): what a test or an operator reads. */
  recent: (db: Db, lane: string, recipient: string, now: DateTime): Promise<number[]> => lastHour(db, lane, recipient, now),
});

/** People who have written to a bot that may write first only to them (WeCom's smart bot). */
export const botChatRepository = Object.freeze({
  /** Notes that `userId` wrote to the bot at `at`. */
  async noteWrote(db: Db, platform: string, userId: string, at: DateTime): Promise<void> {
    await db
      .insertInto('bot_chats')
      .values({ platform, user_id: userId, wrote_at: at.toJSDate() })
      .onConflict((oc) => oc.columns(['platform', 'user_id']).doUpdateSet({ wrote_at: at.toJSDate() }))
      .execute();
  },

  /** Whether `userId` has written to the bot. */
  async hasWritten(db: Db, platform: string, userId: string): Promise<boolean> {
    const row = await db.selectFrom('bot_chats').select('user_id').where('platform', '=', platform).where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  },

  /** Forgets that `userId` wrote (the bot was refused a message to them). */
  async forget(db: Db, platform: string, userId: string): Promise<void> {
    await db.deleteFrom('bot_chats').where('platform', '=', platform).where('user_id', '=', userId).execute();
  },
});
