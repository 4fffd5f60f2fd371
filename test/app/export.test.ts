import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { teamFixture } from '../helpers/team';

describe.each(databaseKinds())('the CSV export on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { run } = team;

  beforeEach(async () => {
    await run('alice', 'log wechat 张先生 13812345678 问价, 说"尽快"\n第二行');
    await run('alice', 'complaint 李女士 at 2026-11-22T09:00 urgent 质量 13912345678 墙面开裂');
    // Outside the week: not exported.
    team.clock.set('2026-11-10T10:00:00+08:00');
    await run('alice', 'log email 王先生 at 2026-11-10T09:00 旧邮件');
    team.clock.set('2026-11-24T10:00:00+08:00');
  });

  const rowsOf = (content: Buffer) => parse(content, { bom: true }) as string[][];

  it('writes the week’s contacts as UTF-8 CSV with a BOM, quoting commas, quotes and newlines', async () => {
    const outcome = await run('carol', 'export week');
    expect(textOf(outcome.reply)).toBe('Exported 2 contacts (2026-11-18 to 2026-11-24), phones masked.');
    const file = outcome.file!;
    expect(file.user).toBe('carol');
    expect(file.name).toMatch(/^contacts-2026-11-18-2026-11-24-20261124-100000\.csv$/);
    expect([...file.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rowsOf(file.content);
    expect(rows[0]!.slice(0, 6)).toEqual(['Id', 'Channel', 'Level', 'Category', 'Customer', 'Phone']);
    expect(rows).toHaveLength(3);
    const [complaint, wechat] = [rows[1]!, rows[2]!];
    expect(complaint.slice(0, 6)).toEqual(['1002', 'complaint', 'urgent', 'quality', '李女士', '139****5678']);
    expect(wechat.slice(0, 6)).toEqual(['1001', 'WeChat', '', '', '张先生', '138****5678']);
    expect(wechat.at(-1)).toBe('问价, 说"尽快"\n第二行');
    expect(file.content.toString('utf8')).toContain('"问价, 说""尽快""\n第二行"');
  });

  it('gives a manager the full phone numbers, and refuses a specialist', async () => {
    const outcome = await run('dave', 'export 2026-11');
    expect(textOf(outcome.reply)).toContain('with full phone numbers');
    const rows = rowsOf(outcome.file!.content);
    // The whole of November: the old email has no phone.
    expect(rows.map((r) => [r[0], r[5]])).toEqual([
      ['Id', 'Phone'],
      ['1003', ''],
      ['1002', '13912345678'],
      ['1001', '13812345678'],
    ]);
    const refused = await run('alice', 'export week');
    expect(textOf(refused.reply)).toContain('Only a supervisor or a manager can export.');
    expect(refused.file).toBeUndefined();
  });
});
