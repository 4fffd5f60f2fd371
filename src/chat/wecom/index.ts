import { startWeCom, weComChat, type WeComChatDeps, type WeComListeners } from './app';

export type { WeComChatDeps as WeComPlatformDeps, WeComListeners } from './app';
export type { BotChatStore } from './bot-chats';
export type { ConnectionLeases } from './connection';
export type { SendBudget } from './lanes';

/**
 * WeCom: the smart bot's one long connection (held by one replica, through the leases it is
 * given) with the self-built app beside it, and their gateway; started with the listeners the
 * composition root binds.
 */
export function createWeComPlatform(deps: WeComChatDeps) {
  const chat = weComChat(deps);
  return {
    gateway: chat.gateway,
    start: (listeners: WeComListeners) => startWeCom({ chat, listeners, logger: deps.logger, metrics: deps.metrics }),
  };
}
