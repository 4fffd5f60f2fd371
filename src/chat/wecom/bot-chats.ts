import type { DateTime } from 'luxon';
import type { Clock } from '../../core/time/clock';

/** Who has written to the smart bot, kept where every replica and the next start see it (built by the composition root). */
export interface BotChatStore {
  noteWrote(user: string, at: DateTime): Promise<void>;
  hasWritten(user: string): Promise<boolean>;
  forget(user: string): Promise<void>;
}

/** Someone's writing is noted at most this often (every message of theirs would otherwise be a write). */
const NOTE_EVERY_MS = 60 * 60_000;

/**
 * Who has written to the smart bot, which may write first only to them [WW 101463]: their
 * private messages go through the bot's own conversation with them (text and buttons
 * together); everyone else's through the self-built app. Kept in the database, so every
 * replica and the next start route a person the same way.
 */
export function createBotChats(store: BotChatStore, clock: Clock) {
  const noted = new Map<string, number>();
  return Object.freeze({
    /** `user` wrote to the bot (a message, a click, opening the chat). */
    async wrote(user: string): Promise<void> {
      const now = clock.now().toMillis();
      if ((noted.get(user) ?? -Infinity) > now - NOTE_EVERY_MS) return;
      await store.noteWrote(user, clock.now());
      if (noted.size >= 10_000) noted.delete(noted.keys().next().value!);
      noted.set(user, now);
    },
    async hasWritten(user: string): Promise<boolean> {
      if (noted.has(user)) return true;
      return store.hasWritten(user);
    },
    /** The bot was refused a message to `user`: the app carries theirs until they write again. */
    async forget(user: string): Promise<void> {
      noted.delete(user);
      await store.forget(user);
    },
  });
}

export type BotChats = ReturnType<typeof createBotChats>;
