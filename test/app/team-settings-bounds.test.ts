import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/db';
import { teamFixture } from '../helpers/team';

describe.each(databaseKinds())('settings a manager can get wrong, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T20:00:00+08:00', members: { alice: 'specialist', dave: 'manager' } });
  const { say } = team;

  it('refuses a window outside 1 second … 30 days when it is set, so logging never breaks later', async () => {
    expect(await say('dave', 'team window wechat 99999d')).toMatch(/^Window "99999d" is out of range: a window is between 1 second and 30 days\./);
    // Zero is a duration, just out of range (it was answered as unreadable).
    expect(await say('dave', 'team window wechat 0s')).toMatch(/^Window "0s" is out of range: a window is between 1 second and 30 days\./);
    expect(await say('dave', 'team escalate 30d')).toMatch(/out of range: between 1 second and 7 days/);
    expect(await say('alice', 'log wechat 张先生 hi')).toContain('Logged #1001');
    expect(await say('dave', 'team window wechat 30d')).toContain('30 d');
  });

  it('says that statutory holidays still close the clock when the hours cover weekends', async () => {
    expect(await say('dave', 'team hours daily 09:00-21:00')).toContain('statutory holidays (Spring Festival, National Day…) still close the clock');
    expect(await say('dave', 'team hours workdays 09:00-18:00')).not.toContain('statutory holidays');
    await say('dave', 'team calendar none');
    expect(await say('dave', 'team hours daily 09:00-21:00')).not.toContain('statutory holidays');
  });

  it('shows up to which year the holiday data goes in the policy', async () => {
    expect(await say('dave', 'team policy')).toMatch(/Holiday data: up to 20\d\d \(later years are taken as Monday to Friday/);
  });

  it('offers an apology and a call-back time for a missed call out of hours, and the team’s own text once set', async () => {
    const missed = await say('alice', 'log missed 王女士 13812345678 未接');
    expect(missed).toContain('很抱歉刚才未能接听您的来电');
    expect(missed).toContain('我们会在 2026-11-25 09:15 前给您回电');
    expect(await say('alice', 'log wechat 李先生 hi')).toContain('已收到您的消息');
    expect(await say('dave', 'team autoreply missed 您好，刚才没接到您的电话')).toMatch(/^The auto-reply needs \{due\}/);
    expect(await say('dave', 'team autoreply missed 您好，刚才没接到，{due} 前回电。')).toContain('set to: "您好，刚才没接到，{due} 前回电。"');
    expect(await say('alice', 'log missed 赵先生 13912345678 未接')).toContain('您好，刚才没接到，2026-11-25 09:15 前回电。');
    expect(await say('dave', 'team policy')).toContain('您好，刚才没接到，{due} 前回电。');
    expect(await say('dave', 'team autoreply missed default')).toContain('back to the default');
    expect(await say('alice', 'log missed 钱先生 13712345678 未接')).toContain('很抱歉刚才未能接听您的来电');
    expect(await say('alice', 'team autoreply missed x {due}')).toContain('Only a manager of this team can change its settings.');
  });
});
