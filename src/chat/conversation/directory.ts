import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { teamRepository } from '../../../db/repositories/teams';
import type { Platform } from '../../core/model';
import { mentionedIds, NO_NAMES, type Names } from '../markdown';
import type { Message } from '../message';

/** Who and which channel a message names, as people know them (member names, team names). */
export interface Directory {
  namesIn(message: Message): Promise<Names>;
}

/** Names from the team records: members by the name they go by on the platform, team channels by the team's name. */
export function createDirectory(db: Kysely<Database>, platform: Platform): Directory {
  return {
    async namesIn(message) {
      const { users, channels } = mentionedIds(message);
      if (users.length === 0 && channels.length === 0) return NO_NAMES;
      try {
        const [userNames, teams] = await Promise.all([teamRepository.displayNames(db, platform, users), Promise.all(channels.map((channel) => teamRepository.findByChannel(db, platform, channel)))]);
        return { users: userNames, channels: new Map(teams.flatMap((team) => (team ? [[team.channelId, team.name] as const] : []))) };
      } catch {
        // Names are a nicety: without the database (an outage) a message still goes out, with ids.
        return NO_NAMES;
      }
    },
  };
}
