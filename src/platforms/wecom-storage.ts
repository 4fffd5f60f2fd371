import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { isDatabaseUnavailable } from '../../db/availability';
import { leaseRepository } from '../../db/repositories/leases';
import { botChatRepository, capWait, sendBudgetRepository } from '../../db/repositories/send-budgets';
import type { BotChatStore, ConnectionLeases, SendBudget } from '../chat/wecom';

/** What WeCom's transport keeps in the database, as the small ports it asks for. */
export interface WeComStorage {
  readonly leases: ConnectionLeases;
  readonly budget: SendBudget;
  readonly botChats: BotChatStore;
}

/** WeCom's ports on the bot's database: the connection's lease, the send budgets, who wrote to the smart bot. */
export function weComStorage(db: Kysely<Database>): WeComStorage {
  return {
    leases: {
      acquire: (name, holder, now, until) => leaseRepository.acquire(db, name, holder, now, until),
      release: (name, holder) => leaseRepository.release(db, name, holder),
    },
    budget: sendBudgetOn(db),
    botChats: {
      noteWrote: (user, at) => botChatRepository.noteWrote(db, 'wecom', user, at),
      hasWritten: (user) => botChatRepository.hasWritten(db, 'wecom', user),
      forget: (user) => botChatRepository.forget(db, 'wecom', user),
    },
  };
}

/** The send budget in the database, or counted in this process while the database cannot count (an outage): the cap still holds. */
function sendBudgetOn(db: Kysely<Database>): SendBudget {
  const local = new Map<string, number[]>();
  return {
    async reserve(lane, chat, count, now, caps) {
      try {
        return await sendBudgetRepository.reserve(db, lane, chat, count, now, caps);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        // An answer saying the database is away must still reach its person: counted here meanwhile.
        const key = `${lane}:${chat}`;
        const times = (local.get(key) ?? []).filter((at) => at > now.toMillis() - 3_600_000);
        const wait = capWait(times, count, now.toMillis(), caps);
        if (wait === null) times.push(...Array.from({ length: count }, () => now.toMillis()));
        local.set(key, times);
        return wait;
      }
    },
  };
}
