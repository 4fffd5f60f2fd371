import { beforeEach, describe, expect, it } from 'vitest';
import { createNagScheduler, type Timers } from '../../src/app/reminders/nag-scheduler';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { Scheduler } from '../../src/runtime/cron';
import type { ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

/** A timer the test fires by hand, after moving the fake clock to its moment. */
function manualTimers() {
  let armed: { fire: () => void; delayMs: number } | null = null;
  const timers: Timers = {
    set(fire, delayMs) {
      armed = { fire, delayMs };
      return armed;
    },
    clear(handle) {
      if (handle === armed) armed = null;
    },
  };
  return { timers, armed: () => armed };
}

describe.each(databaseKinds())('the reminder scheduler on $name, with a fake clock', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run } = team;
  let sent: Outgoing[];
  const cronJobs: string[] = [];
  const cron: Scheduler = { every: (expression) => void cronJobs.push(expression), stop: async () => {} };

  beforeEach(() => {
    sent = [];
    cronJobs.length = 0;
  });

  it('sleeps until the next reminder is due, sends it at that moment, and re-arms for the one after', async () => {
    const tdb = team.tdb;
    await run('dave', 'team hours always');
    await run('dave', 'team window wechat 10s');
    const gateway: ChatGateway = { send: async (o) => void sent.push(o) };
    const logger = capturingLogger().logger;
    const sweeper = createNagSweeper({ platform: 'slack', db: tdb.db, gateway, clock, logger });
    const manual = manualTimers();
    const scheduler = createNagScheduler({ db: tdb.db, sweeper, clock, logger, cron, sweepCron: '* * * * *', timers: manual.timers });
    await scheduler.start();
    expect(cronJobs).toEqual(['* * * * *']);
    // Nothing to do: it looks again within a minute at most.
    expect(manual.armed()?.delayMs).toBe(60_000);

    await run('alice', 'log wechat 张先生 13812345678 问价');
    scheduler.wake();
    await scheduler.sweepNow();
    // Due soon at 80 % of 10 s.
    expect(manual.armed()?.delayMs).toBe(8_000);
    expect(sent).toEqual([]);

    const fire = async () => {
      const armed = manual.armed()!;
      clock.advance({ milliseconds: armed.delayMs });
      armed.fire();
      await scheduler.sweepNow();
    };
    await fire();
    expect(sent.map((o) => (o.to.kind === 'dm' ? o.to.user : '?'))).toEqual(['alice']);
    expect(textOf(sent[0]!.message)).toContain('due soon · #1001');
    expect(manual.armed()?.delayMs).toBe(2_000);

    await fire();
    expect(
      sent
        .slice(1)
        .map((o) => (o.to.kind === 'dm' ? o.to.user : '?'))
        .sort(),
    ).toEqual(['alice', 'carol']);
    // The escalation is 15 min away: the timer never sleeps longer than a minute.
    expect(manual.armed()?.delayMs).toBe(60_000);
    for (let i = 0; i < 15; i++) await fire();
    expect(
      sent
        .slice(3)
        .map((o) => (o.to.kind === 'channel' ? `#${o.to.channel}` : o.to.kind === 'dm' ? o.to.user : '?'))
        .sort(),
    ).toEqual(['#C_TEAM', 'dave']);
    expect(sent).toHaveLength(5);
    await scheduler.stop();
    expect(manual.armed()).toBeNull();
  });
});
