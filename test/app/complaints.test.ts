import { describe, expect, it } from 'vitest';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import type { Outgoing } from '../../src/chat/message';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

describe.each(databaseKinds())('the complaint process on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run, say } = team;
  const row = (id: number) => team.tdb.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const dmsTo = (outcome: { notices: readonly Outgoing[] }, user: string) => outcome.notices.filter((n) => n.to.kind === 'dm' && n.to.user === user);

  it('registers a complaint with its level and category, and the level sets the deadlines', async () => {
    const reply = await say('alice', 'complaint 赵先生 urgent 费用 13712345678 物业费多收');
    expect(reply).toContain('Logged #1001');
    expect(reply).toContain('First response due: 2026-11-24 12:00 (within 2 h, calendar time)');
    // Urgent: handled the same day.
    expect(reply).toContain('Resolution due: 2026-11-25 00:00');
    expect(reply).toContain('Level: urgent');
    expect(reply).toContain('Category: fees');
    expect(await row(1001)).toMatchObject({ channel: 'complaint', level: 'urgent', category: 'fees' });
    // `/cs log complaint …` is the same command, with the keyword forms too.
    expect(await say('alice', 'log complaint 钱女士 level major category 面积 面积不符')).toContain('Category: area');
  });

  it('keeps the time already spent when the level changes, and records the change', async () => {
    await run('alice', 'complaint 王先生 13812345678 卫生间漏水');
    // Normal: 2 h working for the response, 24 h calendar for the resolution.
    expect(await row(1001)).toMatchObject({ first_response_due_at: new Date('2026-11-24T04:00:00Z'), resolution_due_at: new Date('2026-11-25T02:00:00Z') });
    clock.set('2026-11-24T11:00:00+08:00');
    const reply = await say('alice', 'confirm 1001 level major category quality dept 工程部');
    expect(reply).toContain('Complaint #1001 confirmed: major · quality · department 工程部.');
    // Major: 48 h calendar from when it came in (10:00), not from the change (11:00).
    expect(await row(1001)).toMatchObject({ resolution_due_at: new Date('2026-11-26T02:00:00Z'), department: '工程部' });
    clock.set('2026-11-24T11:30:00+08:00');
    await run('carol', 'confirm 1001 urgent quality');
    // Urgent: response 2 h calendar from 10:00 → 12:00; resolution by the end of the 24th.
    expect(await row(1001)).toMatchObject({ first_response_due_at: new Date('2026-11-24T04:00:00Z'), resolution_due_at: new Date('2026-11-24T16:00:00Z') });
    const history = await say('carol', 'show 1001');
    expect(history).toContain('2026-11-24 11:00 <@alice> confirmed (major · quality · 工程部)');
    expect(history).toContain('2026-11-24 11:30 <@carol> level changed (major → urgent)');
    // The reminders follow the new deadline: the resolution's overdue nag is now at 24:00.
    const nag = await team.tdb.db.selectFrom('nags').select('fire_at').where('contact_id', '=', 1001).where('clock', '=', 'resolution').where('step', '=', 'overdue').executeTakeFirstOrThrow();
    expect(nag.fire_at).toEqual(new Date('2026-11-24T16:00:00Z'));
  });

  it('says a complaint registered without a level was unrated, not normal, when its level is set', async () => {
    await run('alice', 'complaint 孙女士 质量 13612345678 阳台渗水');
    expect(await say('alice', 'confirm 1001 level urgent category quality')).toContain('Level changed from unrated to urgent');
    await run('alice', 'complaint 周先生 面积 面积少了');
    await run('dave', 'team lang zh-CN');
    const reply = await say('alice', 'confirm 1002 level major category 面积');
    expect(reply).toContain('级别由未定级改为重大');
    expect(reply).not.toContain('由一般');
  });

  it('asks a supervisor to approve a major complaint’s plan, while the resolution clock keeps running', async () => {
    await run('alice', 'complaint 王先生 major quality 漏水');
    const planned = await run('alice', 'plan 1001 工程部上门修防水 due 2026-11-25 18:00');
    expect(textOf(planned.reply)).toContain('Plan recorded for #1001 (plan due 2026-11-25 18:00). Resolution is still due 2026-11-26 10:00.');
    const ask = dmsTo(planned, 'carol');
    expect(ask).toHaveLength(1);
    expect(JSON.stringify(ask[0]!.message.blocks)).toContain('"command":"approve 1001"');
    expect(await say('alice', 'approve 1001')).toContain('Only a supervisor or a manager can approve a plan.');
    const approved = await run('carol', 'approve 1001');
    expect(textOf(approved.reply)).toBe('The plan of #1001 is approved.');
    expect(dmsTo(approved, 'alice')).toHaveLength(1);
    expect(await say('carol', 'approve 1001')).toContain('The plan of #1001 was approved by <@carol>');
    expect(await row(1001)).toMatchObject({ plan_approved_by: 'carol', resolution_due_at: new Date('2026-11-26T02:00:00Z') });
    expect(await say('alice', 'plan 1001 x due 2026-11-20 10:00')).toContain('The plan deadline 2026-11-20 10:00 has already passed.');
  });

  it('starts the follow-up clock at resolution, nags it, and closes with the satisfaction score', async () => {
    await run('alice', 'complaint 王先生 quality 漏水');
    expect(await say('alice', 'followup 1001 5')).toContain('Complaint #1001 is not resolved yet');
    const resolved = await say('alice', 'resolve 1001 修好了');
    // 3 working days from Tuesday 10:00: Friday 10:00.
    expect(resolved).toContain('Follow-up due 2026-11-27 10:00');
    const chat: Outgoing[] = [];
    const sweeper = createNagSweeper({ platform: 'slack', db: team.tdb.db, gateway: { send: async (o) => void chat.push(o) }, clock, logger: capturingLogger().logger });
    clock.set('2026-11-27T10:00:00+08:00');
    await sweeper.sweep();
    const toAlice = chat
      .filter((o) => o.to.kind === 'dm' && o.to.user === 'alice')
      .map((o) => textOf(o.message))
      .join('\n');
    expect(toAlice).toContain('follow-up due 2026-11-27 10:00');
    expect(toAlice).toContain('/cs followup <id> <1-5>');
    clock.set('2026-11-27T10:05:00+08:00');
    expect(await say('carol', 'overdue')).toContain('#1001 · complaint · 王先生 · <@alice> · follow-up due 2026-11-27 10:00 (overdue by 5 working minutes)');
    const closed = await run('alice', 'followup 1001 5 很满意');
    expect(textOf(closed.reply)).toBe('Complaint #1001 followed up, satisfaction 5/5, closed.');
    expect(closed.notices).toEqual([]);
    expect(await row(1001)).toMatchObject({ status: 'closed', satisfaction: 5 });
    expect(await say('alice', 'followup 1001 4')).toContain('was followed up at 2026-11-27 10:05 (satisfaction 5/5)');
    expect(await say('alice', 'mine')).not.toContain('#1001');
    expect(await say('carol', 'overdue')).not.toContain('#1001');
  });

  it('asks the supervisors for a root cause after a low score, until a note is written', async () => {
    await run('alice', 'complaint 王先生 quality 漏水');
    await run('alice', 'resolve 1001');
    const low = await run('alice', 'followup 1001 2 还是漏');
    expect(textOf(low.reply)).toContain('Low satisfaction');
    expect(textOf(dmsTo(low, 'carol')[0]!.message)).toContain('scored only 2/5 at follow-up. Please write a root-cause note: `/cs note 1001 <root cause>`');
    expect(await say('carol', 'digest')).toContain('#1001 quality · satisfaction 2/5 · owner <@alice>');
    expect(await say('carol', 'note 1001 防水层施工不到位')).toContain('Recorded as the root-cause note of #1001.');
    expect(await say('carol', 'digest')).not.toContain('Root-cause notes owed');
  });

  it('links one problem’s complaints and warns the supervisors once when a category reaches the threshold', async () => {
    await run('alice', 'complaint 甲 quality 裂缝');
    const second = await run('bob', 'complaint 乙 quality 裂缝');
    expect(dmsTo(second, 'carol')).toEqual([]);
    const third = await run('alice', 'complaint 丙 quality 裂缝');
    const warning = dmsTo(third, 'carol');
    expect(warning).toHaveLength(1);
    expect(textOf(warning[0]!.message)).toContain('3 "quality" complaints in the last 24 h (#1001 #1002 #1003)');
    expect(dmsTo(await run('alice', 'complaint 丁 quality 裂缝'), 'carol')).toEqual([]);
    expect(await say('carol', 'link 1001 1002')).toBe('Linked complaints #1001 #1002 (group #1001).');
    expect(await say('carol', 'link 1003 #1002')).toBe('Linked complaints #1001 #1002 #1003 (group #1001).');
    expect(await say('carol', 'show 1003')).toContain('Group: #1001');
    expect(await say('carol', 'digest')).toContain('Linked group #1001: #1001 #1002 #1003 (3 not closed)');
  });

  it.each([
    ['confirm 1001 category quality', 'The complaint level is missing'],
    ['confirm 1001 level huge category quality', 'Unknown level "huge"'],
    ['confirm 1001 urgent category 装修', 'Unknown category "装修"'],
    ['confirm 1002 urgent quality', '#1002 is not a complaint.'],
    ['followup 1001 6', 'Satisfaction "6" must be a whole number from 1 to 5.'],
    ['plan 1001', 'The plan text is missing.'],
    ['link 1001', 'Give at least two complaint ids.'],
    ['kpi yesterday', '"yesterday" is not a period'],
    ['digest 2026-13-01', 'There is no such day as "2026-13-01"'],
    ['digest yesterday-ish', 'Cannot read the date "yesterday-ish"'],
    ['team digest 25:00', '"25:00" must be HH:mm'],
  ])('answers "%s" with what was wrong and the right form, writing nothing', async (command, message) => {
    await run('alice', 'complaint 王先生 漏水');
    await run('alice', 'log wechat 李先生 hi');
    const before = await team.tdb.db
      .selectFrom('contact_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const reply = await say('dave', command);
    expect(reply).toContain(message);
    expect(reply).toContain('Use: `/cs');
    const after = await team.tdb.db
      .selectFrom('contact_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
