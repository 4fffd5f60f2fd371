import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chineseHolidayData, holidayDataFrom, withHolidayNotice } from '../../src/app/team/holidays';
import { startBot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import type { CommandService } from '../../src/app/commands/command-service';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { textOf } from '../helpers/messages';
import { capturingLogger, seedTeam, serviceFor } from '../helpers/service';

// Test dates in the shape of a State Council notice; not the real 2027 notice.
const NOTICE_2027 = { years: [2027], holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-10-01'], workdays: ['2027-01-09'] };

describe(withHolidayNotice.name, () => {
  const base = holidayDataFrom(['2026-10-01', '2027-05-03'], ['2026-10-10']);
  const data = withHolidayNotice(base, { years: [2027], holidays: ['2026-12-31', '2027-01-01'], workdays: ['2027-01-04'] });

  it('knows a year from the file or from the package, and no other', () => {
    expect([2026, 2027, 2028].map((y) => data.covers(y))).toEqual([true, true, false]);
  });

  it('takes the file’s dates, and for other years the package’s', () => {
    expect(['2027-01-01', '2027-01-04', '2026-10-01', '2026-10-10', '2026-10-12'].map((d) => data.kindOf(d))).toEqual(['holiday', 'workday', 'holiday', 'workday', null]);
    // A New Year's holiday the notice starts in the December before.
    expect(data.kindOf('2026-12-31')).toBe('holiday');
  });

  it('takes a year the file gives wholly from the file (its notice is the whole year)', () => {
    expect(data.kindOf('2027-05-03')).toBeNull();
  });
});

describe('a year’s notice loaded for every team', () => {
  const clock = fakeClock('2026-12-31T17:00:00+08:00');
  let tdb: TestDatabase;
  let service: CommandService;
  const run = (user: string, text: string) => service.handle({ userId: user, channelId: 'C_TEAM', text });
  const say = async (user: string, text: string) => textOf((await run(user, text)).reply);
  beforeAll(async () => {
    tdb = await pgliteKind.open();
  });
  afterAll(async () => {
    await tdb.close();
  });
  beforeEach(async () => {
    await tdb.reset();
    clock.set('2026-12-31T17:00:00+08:00');
    await seedTeam(tdb.db, { channelId: 'C_TEAM', members: { alice: 'specialist', dave: 'manager' } });
    service = serviceFor(tdb.db, clock, { holidays: withHolidayNotice(chineseHolidayData(), NOTICE_2027) }).service;
  });

  it('moves deadlines by its holidays, with no warning that the year is guessed', async () => {
    const logged = await run('alice', 'log email 张先生 年底合同');
    // 1 h on 31 December, then the three days off, then Monday 4 January from 09:00.
    expect(textOf(logged.reply)).toContain('First response due: 2027-01-04 12:00');
    expect(textOf(logged.reply)).not.toContain('no statutory holiday data');
    expect(logged.notices).toEqual([]);
    expect(await say('dave', 'team policy')).toContain('Holiday data: up to 2027');
  });

  it('gives way to a team’s own dates', async () => {
    expect(await say('dave', 'team open 2027-01-02')).toBe('Open on: 2027-01-02.');
    expect(await say('alice', 'log email 张先生 年底合同')).toContain('First response due: 2027-01-02 12:00');
    expect(await say('dave', 'team closed 2027-01-04')).toBe('Closed on: 2027-01-04.');
    // A make-up working day of the notice (Saturday 9 January) opens the office.
    clock.set('2027-01-08T17:00:00+08:00');
    expect(await say('alice', 'log email 李女士 合同')).toContain('First response due: 2027-01-09 12:00');
  });

  it('still warns, once, of a year neither it nor the package covers', async () => {
    clock.set('2027-12-31T17:00:00+08:00');
    const logged = await run('alice', 'log email 张先生 年底合同');
    expect(textOf(logged.reply)).toContain('There are no statutory holiday data for 2028 yet; the deadline assumes Monday to Friday.');
    expect(logged.notices.map((n) => n.to)).toEqual([{ kind: 'dm', user: 'dave' }]);
    expect(textOf(logged.notices[0]!.message)).toContain('HOLIDAYS_FILE');
    expect((await run('alice', 'log email 李女士 合同')).notices).toEqual([]);
  });
});

describe('the bot started with HOLIDAYS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csbot-holiday-bot-'));
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await pgliteKind.open();
  });
  afterAll(async () => {
    await tdb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the notice for every team, and says at start which years it gives', async () => {
    const path = join(dir, 'holidays.json');
    writeFileSync(path, JSON.stringify({ 2027: { holidays: ['2027-01-01..2027-01-03'], workdays: ['2027-01-09'] } }));
    const config = loadConfig({ HOLIDAYS_FILE: path, BOT_LANG: 'en', EXPORT_DIR: dir });
    const clock = fakeClock('2026-12-31T17:00:00+08:00');
    const { logger, lines } = capturingLogger('info');
    const stdin = new PassThrough();
    const stdout = new Writable({ write: (_chunk, _enc, done) => done() });
    const bot = await startBot({ config, db: tdb.db, clock, logger, stdin, stdout, scheduler: { every: () => {}, stop: async () => {} } });
    try {
      const reply = await bot.service.handle({ userId: 'dave', channelId: 'demo', text: 'log email 张先生 年底合同' });
      expect(textOf(reply.reply)).toContain('First response due: 2027-01-04 12:00');
      expect(lines.join('')).toMatch(/"years":\[2027\].*holiday notice loaded/);
    } finally {
      stdin.end();
      await bot.stop();
    }
  });
});
