import { describe, expect, it } from 'vitest';
import type { Outgoing } from '../../src/chat/message';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { teamFixture } from '../helpers/team';

const MEMBERS = { alice: 'specialist', bob: 'specialist', carol: 'supervisor', cathy: 'supervisor', dave: 'manager' } as const;

describe.each(databaseKinds())('who a complaint’s level tells, and its deadlines, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: MEMBERS });
  const { clock, run, say } = team;
  const dms = (outcome: { notices: readonly Outgoing[] }) => Object.fromEntries(outcome.notices.filter((n) => n.to.kind === 'dm').map((n) => [n.to.kind === 'dm' ? n.to.user : '', textOf(n.message)]));

  it('tells every supervisor at once of a major complaint, with its deadlines', async () => {
    const out = await run('alice', 'complaint 李女士 重大 质量 13912345678 墙面开裂');
    const told = dms(out);
    expect(Object.keys(told).sort()).toEqual(['carol', 'cathy']);
    expect(told.carol).toContain('New major complaint #1001 (quality · 李女士 139****5678): 墙面开裂');
    expect(told.carol).toContain('resolution due 2026-11-26 10:00');
    expect(told.carol).toContain('[Show #1001:show 1001]');
  });

  it('tells the supervisors and the managers of an urgent complaint, but not the one who logged it', async () => {
    const out = await run('carol', 'complaint 赵先生 紧急 费用 13712345678 物业费多收');
    expect(Object.keys(dms(out)).sort()).toEqual(['cathy', 'dave']);
    expect(dms(out).dave).toContain('First response due 2026-11-24 12:00');
  });

  it('tells no one extra of a normal or unclassified complaint', async () => {
    expect(dms(await run('alice', 'complaint 钱先生 一般 流程 办证慢'))).toEqual({});
    expect(dms(await run('alice', 'complaint 孙先生 13812345678 办证慢'))).toEqual({});
  });

  it('tells them when a complaint is confirmed or raised to major or urgent, not when it is lowered', async () => {
    await run('alice', 'complaint 孙先生 13812345678 漏水');
    const confirmed = dms(await run('alice', 'confirm 1001 level major category 质量'));
    expect(Object.keys(confirmed).sort()).toEqual(['carol', 'cathy']);
    expect(confirmed.carol).toContain('confirmed as major by <@alice>');
    const raised = dms(await run('carol', 'confirm 1001 level urgent category 质量'));
    expect(Object.keys(raised).sort()).toEqual(['cathy', 'dave']);
    expect(raised.dave).toContain('raised from major to urgent by <@carol>');
    expect(dms(await run('carol', 'confirm 1001 level normal category 质量'))).toEqual({});
  });

  it('never puts an urgent complaint’s resolution before its first response: late in the evening it is due by noon the next day', async () => {
    clock.set('2026-11-24T23:30:00+08:00');
    const reply = await say('alice', 'complaint 周先生 紧急 质量 13812345678 停电');
    expect(reply).toContain('First response due: 2026-11-25 01:30 (within 2 h, calendar time)');
    expect(reply).toContain('Resolution due: 2026-11-25 12:00 (urgent complaint received after 22:00: handled by 12:00 the next day)');
    clock.set('2026-11-24T21:00:00+08:00');
    const earlier = await say('alice', 'complaint 吴先生 紧急 质量 13812345679 停水');
    expect(earlier).toContain('Resolution due: 2026-11-25 00:00 (urgent complaint: handled the same day)');
  });

  it('warns when a plan is due after the complaint’s resolution deadline', async () => {
    await run('alice', 'complaint 王先生 重大 质量 13812345678 漏水');
    expect(await say('alice', 'plan 1001 上门维修 due 2026-11-25 18:00')).not.toContain('Note:');
    expect(await say('alice', 'plan 1001 上门维修 due 2026-11-27 18:00')).toContain("Note: the plan's due date 2026-11-27 18:00 is after the resolution deadline 2026-11-26 10:00");
  });

  it('refuses a complaint with an unknown level word, in the same words as the form', async () => {
    const reply = await say('alice', 'complaint 李女士 超级 质量 13912345678 墙面开裂');
    expect(reply).toMatch(/^Unknown level "超级"/);
    expect(await team.tdb.db.selectFrom('contacts').select('id').execute()).toEqual([]);
  });
});
