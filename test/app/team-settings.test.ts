import { describe, expect, it } from 'vitest';
import { pgliteKind } from '../helpers/db';
import { textOf } from '../helpers/messages';
import { teamFixture } from '../helpers/team';

describe('team settings of the clocks', () => {
  const team = teamFixture(pgliteKind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run, say } = team;

  it('runs a 10-second WeChat window round the clock, as the manager set it', async () => {
    expect(await say('dave', 'team hours always')).toBe('Working hours set to: always.');
    expect(await say('dave', 'team window wechat 10s')).toBe('WeChat first response window set to 10 s (working time).');
    clock.set('2026-11-24T23:00:00+08:00');
    expect(await say('alice', 'log wechat 张先生 hi')).toContain('First response due: 2026-11-24 23:00 (within 10 s, working time)');
  });

  it('skips the lunch break of split hours', async () => {
    await run('dave', 'team hours workdays 09:00-12:00,13:30-18:00');
    clock.set('2026-11-24T11:50:00+08:00');
    expect(await say('alice', 'log wechat 张先生 hi')).toContain('First response due: 2026-11-24 13:50');
  });

  it('skips a closed date and opens an extra one', async () => {
    expect(await say('dave', 'team closed 2026-11-25')).toBe('Closed on: 2026-11-25.');
    clock.set('2026-11-24T17:50:00+08:00');
    expect(await say('alice', 'log wechat 张先生 hi')).toContain('First response due: 2026-11-26 09:20');
    expect(await say('dave', 'team open 2026-11-25')).toBe('Open on: 2026-11-25.');
    expect(await say('alice', 'log wechat 李女士 hi')).toContain('First response due: 2026-11-25 09:20');
  });

  it('carries a WeChat message logged at 2026-09-30 17:50 to 2026-10-08 09:20 with the default calendar', async () => {
    clock.set('2026-10-08T08:00:00+08:00');
    const text = await say('alice', 'log wechat 张先生 at 2026-09-30T17:50 hi');
    expect(text).toContain('First response due: 2026-10-08 09:20 (within 30 min, working time)');
  });

  it('says when the clock starts outside hours and offers an auto-reply with the real due time', async () => {
    clock.set('2026-11-24T21:00:00+08:00');
    const text = await say('alice', 'log wechat 张先生 hi');
    expect(text).toContain('Outside working hours: the clock starts at 2026-11-25 09:00.');
    expect(text).toContain('Auto-reply you can send the customer: "您好，已收到您的消息。现在是非工作时间，我们会在 2026-11-25 09:30 前回复您。"');
  });

  it('tells the managers once that a year has no holiday data, and says so in the reply', async () => {
    clock.set('2026-12-31T17:00:00+08:00');
    const first = await run('alice', 'log email 张先生 年底合同');
    expect(textOf(first.reply)).toContain('There are no statutory holiday data for 2027 yet; the deadline assumes Monday to Friday.');
    expect(first.notices.map((n) => n.to)).toEqual([{ kind: 'dm', user: 'dave' }]);
    expect(textOf(first.notices[0]!.message)).toContain('`/cs team closed 2027-01-01..2027-01-03`');
    const second = await run('alice', 'log email 李女士 合同');
    expect(second.notices).toEqual([]);
  });

  it('shows the whole policy', async () => {
    await run('dave', 'team window complaint.resolution 48h calendar');
    await run('dave', 'team remind 75%');
    const text = await say('carol', 'team policy');
    expect(text).toContain('WeChat: first response 30 min (working time) · resolution 1 d (calendar time)');
    expect(text).toContain('complaint: first response 2 h (working time) · resolution 2 d (calendar time)');
    expect(text).toContain('visit: first response — · resolution 1 d (calendar time)');
    expect(text).toContain('Working hours: workdays 09:00-18:00');
    expect(text).toContain('Due-soon reminder: 75%');
  });

  it('lets only managers change the clocks', async () => {
    expect(await say('carol', 'team hours always')).toBe('Only a manager of this team can change its settings.');
    expect(await say('alice', 'team window wechat 1m')).toBe('Only a manager of this team can change its settings.');
  });

  it.each([
    ['team hours workdays 18:00-09:00', 'Cannot read the times "18:00-09:00"', 'Use: `/cs team hours <days> <ranges>`'],
    ['team hours someday 09:00-18:00', 'Cannot read the days "someday"', 'Use: `/cs team hours'],
    ['team window sms 10m', '"sms" is not a channel or clock', 'Use: `/cs team window'],
    ['team window wechat ten', 'Cannot read the duration "ten"', 'Use: `/cs team window'],
    ['team window wechat 10m sometimes', '"sometimes" should be working (working time) or calendar', 'Use: `/cs team window'],
    ['team remind 150%', '"150%" should be a percentage from 1% to 99%', 'Use: `/cs team remind'],
    ['team closed 2027-13-01', 'There is no such day as "2027-13-01"', 'Use: `/cs team closed'],
    ['team closed 2027-01-03..2027-01-01', 'runs backwards: it starts (2027-01-03) after it ends (2027-01-01); write 2027-01-01..2027-01-03', 'Use: `/cs team closed'],
    ['team calendar lunar', 'Unknown calendar "lunar"', 'Use: `/cs team calendar cn|none`'],
  ])('answers "%s" with what was wrong and the right form, changing nothing', async (input, problem, usage) => {
    const text = await say('dave', input);
    expect(text).toContain(problem);
    expect(text).toContain(usage);
    const row = await team.tdb.db.selectFrom('teams').select(['hours', 'windows', 'remind_percent', 'closed_dates', 'holiday_calendar']).executeTakeFirstOrThrow();
    expect(row).toEqual({ hours: 'workdays 09:00-18:00', windows: {}, remind_percent: 80, closed_dates: [], holiday_calendar: 'cn' });
  });
});
