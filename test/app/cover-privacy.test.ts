import { describe, expect, it } from 'vitest';
import { asciiDigits } from '../../src/core/phone-text';
import { databaseKinds } from '../helpers/db';
import { teamFixture } from '../helpers/team';

/** Digits with separators taken out, so a number reads as its digits whatever its shape. */
const squash = (text: string) => asciiDigits(text).replace(/(?<=\d)[\s\-–—.()（）+]+(?=\d)/g, '');

describe.each(databaseKinds())('a colleague covering for someone on leave, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { fay: 'specialist', gus: 'specialist', hal: 'specialist', ida: 'supervisor' } });
  const { run, say } = team;

  it('sees the contacts they cover, in every field without a full number, and lists them in mine and overdue', async () => {
    // Numbers in the note, the complaint's plan and the history, in several shapes.
    await run('fay', 'complaint 蒋女士 15855556666 一般 质量 楼上漏水，另一个号码 0571 8765 4321，身份证 110105194912310038');
    await run('fay', 'note 1001 家属 158-5555-7777 也会打来');
    await run('fay', 'plan 1001 工程部 周五前维修 联系 15855558888');
    await run('fay', 'log wechat 温先生 15944443333 问车位');
    expect(await say('ida', 'cover @fay @gus until 2026-11-30')).toContain('Cover arranged');

    // gus covers: show reads every field masked (the full numbers stay the owner's).
    const shown = await say('gus', 'show 1001');
    expect(shown).toContain('蒋女士');
    for (const digits of ['15855556666', '057187654321', '110105194912310038', '15855557777', '15855558888']) {
      expect(squash(shown)).not.toContain(digits);
    }
    expect(shown).toMatch(/158\*{4}6666/);
    // The owner and the supervisor still read them in full, privately.
    expect(squash(await say('fay', 'show 1001'))).toContain('15855557777');
    expect(squash(await say('ida', 'show 1001'))).toContain('15855558888');
    // A customer search by number finds no colleague's customer (no enumeration), covered or not.
    expect(await say('gus', 'customer 15944443333')).not.toContain('温先生');

    // mine and overdue list what gus covers, marked as such; hal, who covers nobody, sees none of it.
    const mine = await say('gus', 'mine');
    expect(mine).toContain('#1002');
    expect(mine).toMatch(/#1002.*covering for <@fay>/);
    team.clock.set('2026-11-24T10:45:00+08:00');
    const overdue = await say('gus', 'overdue');
    expect(overdue).toMatch(/#1002.*covering for <@fay>/);
    expect(await say('hal', 'mine')).not.toContain('#1002');
    expect(await say('hal', 'overdue')).not.toContain('#1002');
  });
});
