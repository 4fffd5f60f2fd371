import type { Logger } from '../runtime/logger';
import { t, type Lang } from '../i18n';
import { DeliveryError, type ChatGateway } from './gateway';
import { joinMessages, textMessage, type Outgoing } from './message';
import type { Pacer } from './pacer';

/** How long an answer may wait, in all, for a platform that asked to wait (a per-person cap, a rate limit). */
const GIVE_UP_AFTER_MS = 10 * 60_000;

const keyOf = (o: Outgoing) => (o.to.kind === 'channel' ? `channel:${o.to.channel}` : `dm:${o.to.user}`);

/**
 * Sends the answers to a message, which have no outbox row of their own: through the
 * process's pacer (no call while the platform's wait runs), each conversation on its own
 * (one failure hides no other). When the platform asks to wait (a flow-controlled person, a
 * per-person cap, a rate limit), the answer waits in memory and whatever else comes for that
 * conversation meanwhile joins it, in order, so they go out together as one message once
 * they may. One that cannot go out within ten minutes is given up, and its person is told
 * that it was not delivered. True when sent now.
 */
export function createReplySender(deps: {
  gateway: ChatGateway;
  pacer: Pacer;
  logger: Logger;
  defaultLang?: Lang;
  /** The time the platform's waits are measured in (the bot's clock), and how a later send is scheduled. */
  now?: () => number;
  schedule?: (run: () => void, ms: number) => void;
}) {
  const { gateway, pacer, logger } = deps;
  const now = deps.now ?? Date.now;
  // The wait is on the bot's clock: looked at every quarter second until it has passed.
  const schedule =
    deps.schedule ??
    ((run: () => void, ms: number) => {
      const due = now() + ms;
      const look = () => (now() >= due ? run() : void setTimeout(look, Math.min(250, Math.max(10, due - now()))).unref?.());
      void setTimeout(look, Math.min(250, ms)).unref?.();
    });
  /** Per conversation: the answers waiting, in order, since when, and the timer that sends them. */
  const waiting = new Map<string, { items: Outgoing[]; since: number }>();

  async function attempt(key: string, items: readonly Outgoing[], since: number): Promise<boolean> {
    const outgoing: Outgoing = items.length === 1 ? items[0]! : { to: items[0]!.to, message: joinMessages(items.map((i) => i.message)) };
    const held = pacer.heldUntil(key);
    try {
      if (held !== null) throw new DeliveryError('held: the platform asked to wait', held - now(), { scope: 'recipient' });
      await gateway.send(outgoing);
      return true;
    } catch (error) {
      if (error instanceof DeliveryError && held === null) pacer.refused(key, error);
      const wait = error instanceof DeliveryError && !error.permanent ? error.retryAfterMs : undefined;
      if (wait !== undefined && now() + wait - since <= GIVE_UP_AFTER_MS) {
        hold(key, items, since, wait);
        logger.info({ to: outgoing.to.kind, answers: items.length, retryInMs: wait }, 'answer held back by the platform; sending it later with what else waits');
      } else {
        logger.warn({ err: error, to: outgoing.to.kind, answers: items.length }, 'answer not delivered');
        if (wait !== undefined) tellUndelivered(outgoing, items.length);
      }
      return false;
    }
  }

  function hold(key: string, items: readonly Outgoing[], since: number, waitMs: number): void {
    // Another answer for this conversation was refused at the same moment and already waits: these join it.
    const queued = waiting.get(key);
    if (queued) {
      queued.items.push(...items);
      queued.since = Math.min(queued.since, since);
      return;
    }
    const entry = { items: [...items], since };
    waiting.set(key, entry);
    schedule(
      () => {
        waiting.delete(key);
        void attempt(key, entry.items, entry.since);
      },
      Math.max(waitMs, 50),
    );
  }

  /** After giving up: one plain line, once, that answers were lost and to ask again. */
  function tellUndelivered(outgoing: Outgoing, count: number): void {
    if (outgoing.to.kind === 'channel') return;
    const lang = outgoing.message.lang ?? deps.defaultLang ?? 'zh-CN';
    void gateway
      .send({ to: { kind: 'dm', user: outgoing.to.user }, message: { ...textMessage(t(lang, 'reply.notDelivered', { count })), lang } })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not tell a person their answers were not delivered'));
  }

  return Object.freeze({
    send: async (outgoing: Outgoing): Promise<boolean> => {
      const key = keyOf(outgoing);
      const queued = waiting.get(key);
      // Something already waits for this conversation: this one goes with it, after it, not ahead.
      if (queued) {
        queued.items.push(outgoing);
        return false;
      }
      return attempt(key, [outgoing], now());
    },
  });
}

export type ReplySender = ReturnType<typeof createReplySender>;
