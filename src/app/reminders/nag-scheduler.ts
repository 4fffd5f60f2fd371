import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { isDatabaseUnavailable } from '../../../db/availability';
import { nagRepository } from '../../../db/repositories/nags';
import type { Clock } from '../../core/time/clock';
import type { Scheduler } from '../../runtime/cron';
import type { Logger } from '../../runtime/logger';
import type { NagSweeper } from './nag-sweeper';

export interface NagSchedulerDeps {
  readonly db: Kysely<Database>;
  readonly sweeper: NagSweeper;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly cron: Scheduler;
  /** The safety-net sweep (node-cron syntax, seconds allowed). */
  readonly sweepCron: string;
  /** The precise timer; Node's own unless a test drives it by hand. */
  readonly timers?: Timers;
  /** Called once a sweep works again after the database was unavailable (to catch up on the digests too). */
  readonly onRecovered?: () => void;
  /** Called when a sweep finds the database unavailable. */
  readonly onOutage?: () => void;
}

/** A one-shot timer, so tests can read what it was set to and fire it. */
export interface Timers {
  set(fire: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimers: Timers = {
  set(fire, delayMs) {
    const handle = setTimeout(fire, delayMs);
    // The timer alone never keeps the process alive: cron and the chat connection do.
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The longest the precise timer sleeps before looking again, whatever it was told. */
const MAX_SLEEP_MS = 60_000;
/** How soon to look again at a nag already due that the last pass could not take (another replica holds it). */
const HELD_RETRY_MS = 1_000;
/** A first look again when a nag was due but the pass took nothing. */
const SOON_AGAIN_MS = 20;
/** How often to try again while the database cannot be reached: what fell due goes out seconds after it is back. */
const OUTAGE_RETRY_MS = 2_000;

/**
 * Runs the sweep at the right moments: a precise timer set for the next due nag
 * (so reminders go out within seconds of their moment), woken whenever a new
 * deadline is written here or, through the database, on another replica; and a
 * cron sweep as a safety net. Sweeps never overlap within one process.
 */
export function createNagScheduler(deps: NagSchedulerDeps) {
  const { db, sweeper, clock, logger } = deps;
  const timers = deps.timers ?? nodeTimers;
  let timer: unknown;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let outage = false;
  /** Passes in a row that found a due nag they could not take. */
  let heldStreak = 0;

  async function sweepAndArm(): Promise<void> {
    let handled = 0;
    try {
      const result = await sweeper.sweep();
      handled = result.sent + result.retried + result.cancelled;
      if (outage) {
        outage = false;
        logger.info('the database is back; reminders resumed');
        deps.onRecovered?.();
      }
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        if (!outage) {
          logger.warn('reminder sweep waits for the database; trying again every few seconds');
          deps.onOutage?.();
        }
        outage = true;
      } else logger.error({ err: error }, 'reminder sweep failed');
    }
    await arm(handled === 0);
  }

  /** Sweeps now, or right after the sweep under way. */
  function runSoon(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await sweepAndArm();
      } while (again && !stopped);
      running = null;
    })();
    return running;
  }

  /** Sets the timer for the next nag due; `idle`: the last pass took nothing, so a past-due nag is held elsewhere. */
  async function arm(idle: boolean): Promise<void> {
    if (stopped) return;
    let next: Date | null = null;
    if (!outage) {
      try {
        next = await nagRepository.nextDueAt(db, sweeper.platform);
      } catch (error) {
        if (isDatabaseUnavailable(error)) outage = true;
        else logger.error({ err: error }, 'could not read the next reminder time');
      }
    }
    const untilNext = next === null ? MAX_SLEEP_MS : next.getTime() - clock.now().toMillis();
    // Due, yet the pass took nothing: most often the timer fired a hair before the moment (the
    // pass's clock read just before it), so look again at once; only a second time in a row is
    // it held by another replica, worth a second's wait.
    const held = idle && untilNext <= 0;
    const heldWait = held ? (heldStreak === 0 ? SOON_AGAIN_MS : HELD_RETRY_MS) : 0;
    heldStreak = held ? heldStreak + 1 : 0;
    const delay = outage ? OUTAGE_RETRY_MS : Math.min(MAX_SLEEP_MS, untilNext > 0 ? untilNext : heldWait);
    timers.clear(timer);
    timer = timers.set(() => void runSoon(), delay);
  }

  return Object.freeze({
    /** Starts the cron safety net and the timer, with a first sweep (it catches up on anything missed while down). */
    async start(): Promise<void> {
      deps.cron.every(deps.sweepCron, 'sla-sweep', () => runSoon());
      await runSoon();
    },
    /** A deadline was written: look at the timer again. */
    wake(): void {
      void runSoon();
    },
    /** Sweeps now and waits for it (tests, the sandbox at the end of its input). */
    sweepNow: runSoon,
    /** Stops: the pass under way hands back what it has not sent, and is waited for. */
    async stop(): Promise<void> {
      stopped = true;
      timers.clear(timer);
      sweeper.stop?.();
      await running;
    },
  });
}

export type NagScheduler = ReturnType<typeof createNagScheduler>;
