import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { chatCardRepository } from '../../db/repositories/chat-cards';
import type { CardStore, SentCard } from '../chat/dingtalk/cards';
import type { Clock } from '../core/time/clock';

/** The DingTalk transport's group cards, kept in the database (any replica updates a card after a click, also after a restart). */
export function dingTalkCardStore(db: Kysely<Database>, clock: Clock): CardStore {
  return {
    save: (cardId, card) => chatCardRepository.save(db, 'dingtalk', cardId, card, clock.now().toJSDate()),
    find: async (cardId) => (await chatCardRepository.find(db, 'dingtalk', cardId)) as SentCard | null,
    change: (cardId, update) => chatCardRepository.change<SentCard>(db, 'dingtalk', cardId, update),
  };
}
