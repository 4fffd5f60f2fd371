/** How the message model writes a person and a channel; adapters render them. */
export const mention = (userId: string): string => `<@${userId}>`;
export const channelRef = (channelId: string): string => `<#${channelId}>`;
