import { EVENT_SOURCE, NOBODY, PHONE_SYSTEM } from '../../core/actors';

/** The bot's own actors as people read them, in either language (they are no one to mention). */
const SYSTEM_NAMES: Readonly<Record<string, string>> = { [PHONE_SYSTEM]: '📞PBX', [EVENT_SOURCE]: '🔗API', [NOBODY]: '—' };

/** How the message model writes a person and a channel; adapters render them. */
export const mention = (userId: string): string => SYSTEM_NAMES[userId] ?? `<@${userId}>`;
export const channelRef = (channelId: string): string => `<#${channelId}>`;
