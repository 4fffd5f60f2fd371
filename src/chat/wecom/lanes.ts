import type { DateTime } from 'luxon';
import type { Clock } from '../../core/time/clock';
import { DeliveryError } from '../gateway';

/**
 * WeCom's two ways out, each a conversation of its own in the client and each with limits
 * of its own: the smart bot (its long connection) and the self-built app (message/send).
 */
export type Lane = 'bot' | 'app';

/** A message that cannot go out whole within the conversation's per-minute cap, however long it waits. */
export class TooLongForLane extends Error {
  constructor(
    readonly lane: Lane,
    readonly parts: number,
    readonly perMinute: number,
  ) {
    super(`a message of ${parts} parts cannot go out whole on WeCom's ${lane === 'app' ? 'self-built app' : 'smart bot'} (at most ${perMinute} a minute)`);
    this.name = 'TooLongForLane';
  }
}

/** How many messages one conversation may get: WeCom drops what goes over (its app: 30 a minute, 1,000 an hour). */
export interface SendCaps {
  readonly perMinute: number;
  readonly perHour: number;
}

/**
 * The sends counted per conversation, where every handler, retry, replica and the next start
 * see the same count (built by the composition root).
 */
export interface SendBudget {
  /** Reserves `count` sends to `chat` on `lane` (`wecom-app`, `wecom-bot`) at `now`: null when they fit, else when they would ('never': not whole within `caps`). */
  reserve(lane: string, chat: string, count: number, now: DateTime, caps: SendCaps): Promise<number | 'never' | null>;
}

export interface LaneOptions {
  readonly budget: SendBudget;
  readonly clock: Clock;
  /** Per conversation: the app's (under WeCom's 30 a minute and 1,000 an hour, over which it drops without a word). */
  readonly appCaps?: SendCaps;
  /** Per conversation on the smart bot: no figure is published, so the app's. */
  readonly botCaps?: SendCaps;
}

const DEFAULT_CAPS: SendCaps = { perMinute: 25, perHour: 900 };
/** Two conversations limited on the smart bot within this long: the limit is the bot's, not one chat's. */
const WIDEN_WITHIN_MS = 60_000;

/**
 * What each lane may send now: its budget per conversation, reserved before a message
 * goes out (every part at once, atomically across handlers, retries and replicas), and the
 * waits WeCom imposed, kept for the scope they were imposed in: a 45009 on the smart bot
 * holds that one conversation (the whole bot once two conversations were limited within a
 * minute); one on the app holds the app. Neither holds the other lane.
 */
export function createLanes(options: LaneOptions) {
  const { budget, clock } = options;
  const caps: Record<Lane, SendCaps> = { app: options.appCaps ?? DEFAULT_CAPS, bot: options.botCaps ?? DEFAULT_CAPS };
  /** `bot:<chat>`, `bot:*`, `app:*` → held until (epoch ms). */
  const holds = new Map<string, number>();
  /** When the smart bot last limited each conversation. */
  const botLimited = new Map<string, number>();

  const heldUntil = (lane: Lane, chat: string): number | null => {
    const now = clock.now().toMillis();
    const until = Math.max(holds.get(`${lane}:*`) ?? 0, lane === 'bot' ? (holds.get(`bot:${chat}`) ?? 0) : 0);
    return until > now ? until : null;
  };

  /** Throws the wait when WeCom asked this lane (or this conversation on it) to wait. */
  function check(lane: Lane, chat: string): void {
    const until = heldUntil(lane, chat);
    if (until !== null) throw new DeliveryError(`WeCom asked the ${lane === 'app' ? 'self-built app' : 'smart bot'} to wait`, until - clock.now().toMillis(), { scope: 'recipient' });
  }

  return Object.freeze({
    caps: (lane: Lane): SendCaps => caps[lane],
    check,

    /**
     * Reserves `count` sends to `chat` on `lane`, or throws: the wait (scope recipient: the
     * outbox sends it later, merged with what else falls due for that conversation), or
     * TooLongForLane when no wait would let the message through whole.
     */
    async reserve(lane: Lane, chat: string, count: number): Promise<void> {
      check(lane, chat);
      const wait = await budget.reserve(`wecom-${lane}`, chat, count, clock.now(), caps[lane]);
      if (wait === 'never') throw new TooLongForLane(lane, count, caps[lane].perMinute);
      if (wait !== null) {
        throw new DeliveryError(`WeCom would drop more messages to ${chat} just now; ${count} waiting`, Math.max(1000, wait - clock.now().toMillis()), { scope: 'recipient' });
      }
    },

    /**
     * A refusal on `lane` while sending to `chat`: a rate limit is kept for its scope and
     * given back as a wait for this conversation only (so the outbox holds no one else);
     * anything else is passed on as it was.
     */
    refused(lane: Lane, chat: string, error: unknown): unknown {
      if (!(error instanceof DeliveryError) || error.scope !== 'platform' || error.retryAfterMs === undefined) return error;
      const now = clock.now().toMillis();
      const until = now + error.retryAfterMs;
      let scope = lane === 'app' ? 'app:*' : `bot:${chat}`;
      if (lane === 'bot') {
        for (const [other, at] of botLimited) if (at < now - WIDEN_WITHIN_MS) botLimited.delete(other);
        if ([...botLimited.keys()].some((other) => other !== chat)) scope = 'bot:*';
        botLimited.set(chat, now);
      }
      holds.set(scope, Math.max(holds.get(scope) ?? 0, until));
      return new DeliveryError(
        `${error.message} (held: ${scope === 'bot:*' ? 'the smart bot' : scope === 'app:*' ? 'the self-built app' : 'this conversation on the smart bot'})`,
        error.retryAfterMs,
        { scope: 'recipient' },
      );
    },
  });
}

export type Lanes = ReturnType<typeof createLanes>;
