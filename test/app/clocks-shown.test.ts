import { beforeEach, describe, expect, it } from 'vitest';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { databaseKinds } from '../helpers/db';
import { textOf } from '../helpers/messages';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

const MEMBERS = { alice: 'specialist', carol: 'supervisor', dave: 'manager' } as const;

/** What each person was sent, as text. */
function recordingGateway() {
  const sent: Outgoing[] = [];
  const gateway: ChatGateway = {
    async send(outgoing) {
      sent.push(outgoing);
    },
  };
  const to = (user: string) => sent.filter((o) => o.to.kind === 'dm' && o.to.user === user).map((o) => textOf(o.message));
  return { gateway, sent, to };
}

describe.each(databaseKinds())('clocks shown to people on $name', (kind) => {
  // The office is open 08:30–17:30 on working days.
  const team = teamFixture(kind, { start: '2026-11-24T08:00:00+08:00', members: MEMBERS });
  const { clock, say } = team;
  let chat: ReturnType<typeof recordingGateway>;
  let sweeper: ReturnType<typeof createNagSweeper>;
  beforeEach(async () => {
    chat = recordingGateway();
    sweeper = createNagSweeper({ platform: 'slack', db: team.tdb.db, gateway: chat.gateway, clock, logger: capturingLogger().logger });
    await say('dave', 'team hours workdays 08:30-17:30');
  });

  /** An email logged on Friday at 13:30: its 4 working hours end exactly at closing, 17:30. */
  async function emailDueAtClosing() {
    clock.set('2026-11-27T13:30:00+08:00');
    expect(await say('alice', 'log email 孙女士 13912345678 询问交房时间')).toContain('First response due: 2026-11-27 17:30');
  }

  const lineOf = (text: string, id: number) => text.split('\n').find((l) => l.includes(`#${id} `)) ?? text;

  it('says overdue in the overdue alert sent at the deadline, not what is left of the working day', async () => {
    await emailDueAtClosing();
    clock.set('2026-11-27T17:30:00+08:00');
    await sweeper.sweep();
    expect(lineOf(chat.to('alice').join('\n'), 1001)).toBe('overdue · #1001 email · 孙女士 139****5678 · first response due 2026-11-27 17:30 (overdue)');
    expect(lineOf(chat.to('carol').join('\n'), 1001)).toBe('overdue · #1001 email · 孙女士 139****5678 · owner <@alice> · first response due 2026-11-27 17:30 (overdue)');
  });

  it('says overdue in my list, the overdue list and the customer all evening and over the weekend', async () => {
    await emailDueAtClosing();
    for (const at of ['2026-11-27T20:10:00+08:00', '2026-11-28T11:00:00+08:00', '2026-11-30T08:29:00+08:00']) {
      clock.set(at);
      expect(lineOf(await say('alice', 'mine'), 1001)).toBe('#1001 · email · 孙女士 139****5678 · first response due 2026-11-27 17:30 (overdue)');
      const overdue = await say('carol', 'overdue');
      expect(overdue).toMatch(/^\*Overdue\*\n#1001 /m);
      expect(lineOf(overdue, 1001)).toBe('#1001 · email · 孙女士 139****5678 · <@alice> · first response due 2026-11-27 17:30 (overdue)');
      expect(lineOf(await say('alice', 'customer 孙女士'), 1001)).toBe('2026-11-27 13:30 · #1001 · email · 孙女士 139****5678 · first response due 2026-11-27 17:30 (overdue) · 询问交房时间');
    }
  });

  it('says overdue through a statutory holiday, and in Chinese in a Chinese team', async () => {
    await say('dave', 'team lang zh-CN');
    // The last working day before National Day 2026.
    clock.set('2026-09-30T13:30:00+08:00');
    await say('alice', 'log email 孙女士 13912345678 询问交房时间');
    clock.set('2026-10-04T15:00:00+08:00');
    expect(lineOf(await say('alice', 'mine'), 1001)).toBe('#1001 · 邮件 · 孙女士 139****5678 · 首次响应时限 2026-09-30 17:30（已超时）');
    await sweeper.sweep();
    expect(lineOf(chat.to('alice').join('\n'), 1001)).toMatch(/^已超时 · #1001 邮件 · 孙女士 139\*\*\*\*5678 · 首次响应时限 2026-09-30 17:30（已超时）/);
  });

  it('shows working time left in working days and hours of the team’s 9-hour day, not as calendar days', async () => {
    await say('dave', 'team window email 30h working');
    await say('dave', 'team window email.resolution 7d calendar');
    clock.set('2026-11-24T10:30:00+08:00');
    expect(await say('alice', 'log email 孙女士 13912345678 询问交房时间')).toContain('First response due: 2026-11-27 13:30');
    // 30 working hours, at 9 a day: three working days and three hours.
    expect(lineOf(await say('alice', 'mine'), 1001)).toBe('#1001 · email · 孙女士 139****5678 · first response due 2026-11-27 13:30 (3 working days 3 h left)');
    clock.set('2026-11-26T20:00:00+08:00');
    expect(lineOf(await say('alice', 'customer 孙女士'), 1001)).toContain('first response due 2026-11-27 13:30 (5 working hours left)');
    clock.set('2026-11-27T13:29:00+08:00');
    expect(lineOf(await say('carol', 'overdue'), 1001)).toContain('first response due 2026-11-27 13:30 (1 working minute left)');
    // Overdue from Friday afternoon to Monday morning: four working hours and a quarter.
    clock.set('2026-11-30T08:45:00+08:00');
    expect(lineOf(await say('alice', 'mine'), 1001)).toContain('first response due 2026-11-27 13:30 (overdue by 4 working hours 15 min)');
    await say('dave', 'team lang zh-CN');
    expect(lineOf(await say('alice', 'mine'), 1001)).toContain('首次响应时限 2026-11-27 13:30（已超时 4 个工作小时 15 分钟）');
  });

  it('keeps calendar units for a calendar clock', async () => {
    await emailDueAtClosing();
    await say('alice', 'reply 1001');
    clock.set('2026-11-28T09:00:00+08:00');
    expect(lineOf(await say('alice', 'mine'), 1001)).toContain('resolution due 2026-11-28 13:30 (4 h 30 min left)');
  });

  it('says the working minutes of the last reminder before a deadline in the reminder itself', async () => {
    await say('dave', 'team lang zh-CN');
    // Thursday 17:20: a WeChat message with ten of its 30 working minutes left today, the rest on Friday.
    clock.set('2026-11-26T17:20:00+08:00');
    await say('alice', 'log wechat 周先生 13612345678 问样板间');
    clock.set('2026-11-27T08:44:00+08:00');
    await sweeper.sweep();
    expect(lineOf(chat.to('alice').join('\n'), 1001)).toBe('即将超时 · #1001 微信 · 周先生 136****5678 · 首次响应时限 2026-11-27 08:50（剩余 6 个工作分钟）');
  });

  it('calls a working-days clock due soon when its reminder would go out, counting the team’s working days', async () => {
    expect(await say('dave', 'team window email 2d working')).toContain('2');
    clock.set('2026-11-23T08:30:00+08:00');
    await say('alice', 'log email 钱女士 13912345679 要合同副本');
    // Two working days of 9 h from Monday 08:30: due Wednesday 08:30; the reminder at 80 %, Tuesday 14:54.
    clock.set('2026-11-24T09:00:00+08:00');
    expect(await say('alice', 'overdue')).not.toContain('#1001');
    clock.set('2026-11-24T15:00:00+08:00');
    expect(await say('alice', 'overdue')).toMatch(/Due soon[\s\S]*#1001/);
  });
});
