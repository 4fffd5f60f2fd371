import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type Bot } from '../../src/bot';
import type { Scheduler } from '../../src/runtime/cron';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { capturingLogger } from '../helpers/service';

/** Something the bot delivered, as the people reading it see it. */
export interface Delivery {
  /** `group`: the team channel, read by everyone in it; `private:<user>`: only that person reads it. */
  readonly where: string;
  /** Every word shown, button labels included. */
  readonly text: string;
  /** The commands its buttons or links run when tapped. */
  readonly commands: readonly string[];
  /**
   * Where a platform with more than one private conversation per person shows it (WeCom:
   * `bot:<id>`, the smart bot's chat, or `app:<id>`, the self-built app's).
   */
  readonly conversation?: string;
  /** A picture (a chart) rather than text: `text` then names it. */
  readonly image?: boolean;
}

export type Person = 'manager' | 'supervisor' | 'alice' | 'bob';

/**
 * One chat platform driven as its people would use it, with the bot running
 * in-process through the platform's real client code, against the platform's fake
 * where it has one. The conformance suite runs the same scenarios on each.
 */
export interface PlatformHarness {
  readonly name: string;
  readonly clock: ReturnType<typeof fakeClock>;
  /** The platform's user id of each person. */
  id(person: Person): string;
  /** How a person is @mentioned in typed text on this platform. */
  mention(person: Person): string;
  /** A running bot on an empty database; no team yet. */
  start(): Promise<void>;
  /** Stops the bot. */
  stop(): Promise<void>;
  /** Frees the database and the platform's fake, after the last test. */
  dispose(): Promise<void>;
  /** Stops the bot and starts another on the same database (a crash, a deploy). */
  restart(): Promise<void>;
  /** The person types `text` in the team group (to the bot) or privately to the bot; resolves once it was handled. */
  say(person: Person, text: string, where: 'group' | 'private'): Promise<void>;
  /** The person taps a button or link they received that runs `command`. */
  tap(person: Person, command: string): Promise<void>;
  /** The platform delivers the last message typed once more (a retry, a re-push); resolves once it was handled. */
  repeatLast?(): Promise<void>;
  /** Everything delivered since the last call. */
  take(): Promise<Delivery[]>;
  /** The reminder outbox and the digest poster, at the clock's time. */
  sweep(): Promise<void>;
  postDigests(): Promise<void>;
}

const START = '2026-11-24T10:00:00+08:00';

/** What every harness shares: a PGlite database, the fake clock, a bot from the real composition root, no cron. */
export function botRunner(env: () => Record<string, string>) {
  const clock = fakeClock(START);
  const exportDir = mkdtempSync(join(tmpdir(), 'csbot-conformance-'));
  const idle: Scheduler = { every: () => {}, stop: async () => {} };
  let tdb: TestDatabase | null = null;
  let bot: Bot | null = null;
  const runner = {
    clock,
    exportDir,
    get bot(): Bot {
      if (!bot) throw new Error('the bot is not running');
      return bot;
    },
    get db() {
      if (!tdb) throw new Error('no database');
      return tdb.db;
    },
    /** Empties the database (opened once) for a new test. */
    async reset() {
      tdb ??= await pgliteKind.open();
      await tdb.reset();
      clock.set(START);
    },
    async open(extra: Partial<Parameters<typeof startBot>[0]> = {}) {
      tdb ??= await pgliteKind.open();
      const config = loadConfig({ LOG_LEVEL: 'silent', EXPORT_DIR: exportDir, BOT_LANG: 'zh-CN', METRICS_PORT: '0', ...env() });
      bot = await startBot({ config, db: tdb.db, clock, logger: capturingLogger('silent').logger, scheduler: idle, seedDemo: false, ...extra });
      return bot;
    },
    async close() {
      await bot?.stop();
      bot = null;
    },
    async dispose() {
      await runner.close();
      await tdb?.close();
      tdb = null;
      rmSync(exportDir, { recursive: true, force: true });
    },
  };
  return runner;
}

/** Waits until the deliveries stop growing for a moment (work a platform does after acknowledging). */
export async function settle(count: () => number, quietMs = 120, maxMs = 5000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 15));
  }
}
