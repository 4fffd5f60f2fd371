import { beforeEach, describe, expect, it } from 'vitest';
import { nagRepository } from '../../db/repositories/nags';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import { DeliveryError, type ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

/** A chat that records what it was sent and can be told to fail. */
function recordingGateway() {
  const sent: Outgoing[] = [];
  let failures: Array<() => Error> = [];
  const gateway: ChatGateway = {
    async send(outgoing) {
      const fail = failures.shift();
      if (fail) throw fail();
      sent.push(outgoing);
    },
  };
  return { gateway, sent, failNext: (...errors: Array<() => Error>) => (failures = errors) };
}

const START = '2026-11-24T10:00:00+08:00';
const MEMBERS = { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' } as const;

const who = (o: Outgoing) => (o.to.kind === 'channel' ? `#${o.to.channel}` : o.to.kind === 'dm' ? `@${o.to.user}` : `~${o.to.user}`);

describe.each(databaseKinds())('reminders on $name', (kind) => {
  const team = teamFixture(kind, { start: START, members: MEMBERS });
  const { clock, run } = team;
  let chat: ReturnType<typeof recordingGateway>;
  let sweeper: ReturnType<typeof createNagSweeper>;
  beforeEach(() => {
    chat = recordingGateway();
    sweeper = createNagSweeper({ platform: 'slack', db: team.tdb.db, gateway: chat.gateway, clock, logger: capturingLogger().logger });
  });

  it('sends due soon at 80 %, overdue to the owner and every supervisor, then escalates to the channel and managers — each once', async () => {
    await run('alice', 'log wechat 张先生 13812345678 问车位价格');
    clock.set('2026-11-24T10:23:59+08:00');
    expect((await sweeper.sweep()).sent).toBe(0);
    clock.set('2026-11-24T10:24:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.map(who)).toEqual(['@alice']);
    expect(textOf(chat.sent[0]!.message)).toContain('due soon · #1001 WeChat · 张先生 138****5678 · first response due 2026-11-24 10:30 (6 working minutes left)');
    clock.set('2026-11-24T10:30:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.slice(1).map(who).sort()).toEqual(['@alice', '@carol']);
    expect(textOf(chat.sent.find((o) => who(o) === '@carol')!.message)).toContain('overdue · #1001 WeChat · 张先生 138****5678 · owner <@alice>');
    // The supervisor's alert offers a reassign menu; the owner's does not.
    const pickersOf = (o: (typeof chat.sent)[number]) => o.message.blocks.flatMap((b) => (b.kind === 'buttons' ? (b.pickers ?? []).map((p) => p.command) : []));
    expect(pickersOf(chat.sent.find((o) => who(o) === '@carol')!)).toEqual(['assign 1001']);
    expect(pickersOf(chat.sent.find((o) => who(o) === '@alice')!)).toEqual([]);
    // The escalation comes a window later (30 min, within 15 min … 4 h).
    clock.set('2026-11-24T11:00:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.slice(3).map(who).sort()).toEqual(['#C_TEAM', '@dave']);
    const post = chat.sent.find((o) => who(o) === '#C_TEAM')!;
    expect(textOf(post.message)).toContain('escalated · #1001 WeChat · 张先生 · owner <@alice>');
    expect(JSON.stringify(post.message)).not.toMatch(/138/);
    await sweeper.sweep();
    clock.set('2026-11-25T12:00:00+08:00');
    await sweeper.sweep();
    // The resolution clock (24 h) has its own overdue and escalation; nothing else repeats.
    const response = chat.sent.filter((o) => textOf(o.message).includes('first response due'));
    expect(response).toHaveLength(5);
    expect(JSON.stringify(chat.sent)).not.toContain('13812345678');
  });

  it('puts everything due for one person in one pass into one message, without due-soon reminders already overtaken', async () => {
    await run('alice', 'log wechat 甲 hi');
    await run('alice', 'log missed 乙 hi');
    await run('alice', 'log email 丙 hi');
    clock.set('2026-11-24T14:00:00+08:00');
    await sweeper.sweep();
    const toAlice = chat.sent.filter((o) => who(o) === '@alice');
    expect(toAlice).toHaveLength(1);
    expect(textOf(toAlice[0]!.message)).toContain('3 of your customer contacts need you');
    expect(textOf(toAlice[0]!.message)).not.toContain('due soon');
    expect(chat.sent.filter((o) => who(o) === '@carol')).toHaveLength(1);
  });

  it('stops a clock’s reminders once it is met, and all of them once resolved', async () => {
    await run('alice', 'log wechat 张先生 hi');
    await run('alice', 'reply 1001 called back');
    clock.set('2026-11-24T11:00:00+08:00');
    expect((await sweeper.sweep()).sent).toBe(0);
    await run('alice', 'resolve 1001');
    clock.set('2026-11-26T10:00:00+08:00');
    expect((await sweeper.sweep()).sent).toBe(0);
    expect(chat.sent).toEqual([]);
  });

  it('sends nothing about a Saturday-night message before the office opens: its resolution is not due before its reply', async () => {
    clock.set('2026-11-28T21:10:00+08:00');
    const logged = textOf((await run('alice', 'log wechat 张先生 hi')).reply);
    expect(logged).toContain('First response due: 2026-11-30 09:30 (within 30 min, working time)');
    expect(logged).toContain('Resolution due: 2026-11-30 09:30 (not before the first response)');
    clock.set('2026-11-30T08:59:00+08:00');
    expect((await sweeper.sweep()).sent).toBe(0);
    clock.set('2026-11-30T09:24:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.map(who)).toEqual(['@alice']);
    expect(textOf(chat.sent[0]!.message)).toContain('due soon · #1001 WeChat · 张先生 · resolution due 2026-11-30 09:30 (6 min left)');
    clock.set('2026-11-30T09:30:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.slice(1).map(who).sort()).toEqual(['@alice', '@carol']);
  });

  it('sends a reminder that was due while the bot was down, marked late', async () => {
    await run('alice', 'log missed 张先生 hi');
    clock.set('2026-11-24T13:00:00+08:00');
    await sweeper.sweep();
    const toAlice = chat.sent.filter((o) => who(o) === '@alice');
    expect(toAlice).toHaveLength(1);
    expect(textOf(toAlice[0]!.message)).toContain(
      'overdue · #1001 missed call · 张先生 · first response due 2026-11-24 10:15 (overdue by 2 working hours 45 min) (sent late, meant for 2026-11-24 10:15)',
    );
  });

  it('marks the escalation late too, in the team channel and to the managers, when the bot was down at its moment', async () => {
    await run('alice', 'log wechat 张先生 hi');
    // Down from before the deadline (10:30) past the escalation (11:00); back at 12:40.
    clock.set('2026-11-24T12:40:00+08:00');
    await sweeper.sweep();
    const escalations = chat.sent.filter((o) => who(o) === '#C_TEAM' || who(o) === '@dave').map((o) => textOf(o.message));
    expect(escalations).toHaveLength(2);
    for (const text of escalations)
      expect(text).toContain('escalated · #1001 WeChat · 张先生 · owner <@alice> · first response due 2026-11-24 10:30 (overdue by 2 working hours 10 min) (sent late, meant for 2026-11-24 11:00)');
  });

  it('retries after a rate limit (honouring Retry-After) and an outage, losing nothing and doubling nothing', async () => {
    await run('alice', 'log wechat 张先生 hi');
    clock.set('2026-11-24T10:24:00+08:00');
    chat.failNext(
      () => new DeliveryError('ratelimited', 30_000),
      () => new DeliveryError('HTTP 500'),
    );
    expect(await sweeper.sweep()).toMatchObject({ sent: 0, retried: 1 });
    clock.advance({ seconds: 29 });
    expect((await sweeper.sweep()).retried).toBe(0);
    clock.advance({ seconds: 1 });
    expect(await sweeper.sweep()).toMatchObject({ sent: 0, retried: 1 });
    clock.advance({ seconds: 10 });
    expect(await sweeper.sweep()).toMatchObject({ sent: 1 });
    expect(chat.sent.map(who)).toEqual(['@alice']);
  });

  it('delivers to the others only, when one recipient of a nag failed', async () => {
    await run('alice', 'log wechat 张先生 hi');
    clock.set('2026-11-24T10:30:00+08:00');
    // due soon (alice) goes first, then overdue: alice fails, carol succeeds.
    chat.failNext(
      () => new Error('none'),
      () => new DeliveryError('HTTP 503'),
    );
    await sweeper.sweep();
    clock.advance({ minutes: 5 });
    await sweeper.sweep();
    const overdue = chat.sent.filter((o) => textOf(o.message).includes('overdue ·'));
    expect(overdue.map(who).sort()).toEqual(['@alice', '@carol']);
  });

  it('sends a nag claimed by a replica that then died, once its lease runs out', async () => {
    await run('alice', 'log missed 张先生 hi');
    clock.set('2026-11-24T10:12:00+08:00');
    // A replica claims the due-soon nag and dies before sending.
    const claimed = await nagRepository.claimDue(team.tdb.db, 'slack', clock.now(), 60_000, 10);
    expect(claimed.map((n) => n.step)).toEqual(['due_soon']);
    expect((await sweeper.sweep()).sent).toBe(0);
    clock.advance({ seconds: 61 });
    expect((await sweeper.sweep()).sent).toBe(1);
    expect(chat.sent.map(who)).toEqual(['@alice']);
  });
});

describe('snooze, reassign and the overdue list', () => {
  const team = teamFixture(databaseKinds()[0]!, { start: START, members: MEMBERS });
  const { clock } = team;
  let chat: ReturnType<typeof recordingGateway>;
  let sweeper: ReturnType<typeof createNagSweeper>;
  beforeEach(() => {
    chat = recordingGateway();
    sweeper = createNagSweeper({ platform: 'slack', db: team.tdb.db, gateway: chat.gateway, clock, logger: capturingLogger().logger });
  });
  const say = async (userId: string, text: string) => {
    const out = await team.run(userId, text);
    return { text: textOf(out.reply), notices: out.notices };
  };

  it('reminds again after a snooze, and the deadline does not move', async () => {
    await say('alice', 'log wechat 张先生 hi');
    clock.set('2026-11-24T10:24:00+08:00');
    await sweeper.sweep();
    const buttons = chat.sent[0]!.message.blocks.find((b) => b.kind === 'buttons');
    // 6 minutes left: the button offers what fits (half of it), not 15 minutes the command would refuse.
    expect(buttons && buttons.kind === 'buttons' && buttons.buttons.map((b) => [b.label, b.command])).toContainEqual(['Remind me in 3 min #1001', 'snooze 1001 3m']);
    expect((await say('alice', 'snooze 1001 3m')).text).toBe('#1001: you will be reminded again at 2026-11-24 10:27; the deadline is still 2026-11-24 10:30.');
    // Asked for more than fits: shortened, never past the deadline.
    expect((await say('alice', 'snooze 1001 15m')).text).toBe('#1001: you will be reminded again at 2026-11-24 10:27; the deadline is still 2026-11-24 10:30. The deadline is close, so only 3 min.');
    clock.set('2026-11-24T10:27:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.filter((o) => textOf(o.message).includes('due soon · #1001'))).toHaveLength(2);
    clock.set('2026-11-24T10:30:00+08:00');
    await sweeper.sweep();
    expect(
      chat.sent
        .filter((o) => textOf(o.message).includes('overdue · #1001'))
        .map(who)
        .sort(),
    ).toEqual(['@alice', '@carol']);
  });

  it('lets a supervisor hand a contact over; the new owner gets its reminders', async () => {
    await say('alice', 'log missed 张先生 hi');
    expect((await say('alice', 'assign 1001 @bob')).text).toContain('Only a supervisor or a manager can reassign a contact.\nUse: `/cs assign <id> @user`');
    expect((await say('carol', 'assign 1001 @zed')).text).toContain('<@zed> is not in team "Test team".');
    const out = await say('carol', 'assign #1001 <@bob|bob>');
    expect(out.text).toBe('#1001 handed from <@alice> to <@bob>.');
    expect(out.notices[0]!.to).toEqual({ kind: 'dm', user: 'bob' });
    clock.set('2026-11-24T10:15:00+08:00');
    await sweeper.sweep();
    expect(chat.sent.map(who).sort()).toEqual(['@bob', '@carol']);
    expect((await say('carol', 'show 1001')).text).toContain('<@carol> reassigned');
  });

  it('lists what is overdue and due soon: the team for a supervisor, their own for a specialist', async () => {
    await say('alice', 'log missed 甲 13812345678 hi');
    await say('bob', 'log wechat 乙 hi');
    clock.set('2026-11-24T10:26:00+08:00');
    const carol = (await say('carol', 'overdue')).text;
    expect(carol).toContain('Overdue and due soon (2)');
    expect(carol).toContain('#1001 · missed call · 甲 138****5678 · <@alice> · first response due 2026-11-24 10:15 (overdue by 11 working minutes)');
    expect(carol).toContain('#1002 · WeChat · 乙 · <@bob> · first response due 2026-11-24 10:30 (4 working minutes left)');
    const alice = (await say('alice', 'overdue')).text;
    expect(alice).toContain('(1)');
    expect(alice).not.toContain('#1002');
  });
});
