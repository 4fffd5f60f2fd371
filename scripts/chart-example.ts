// Draws the README's digest chart (docs/digest-chart.png) the way the bot draws it: the demo
// team on an in-process PGlite database, two weeks of complaints logged through the command
// service on a hand-driven clock, then the digest's read, its 14 days and the chart spec the
// digest poster sends, drawn by the bot's renderer. `npm run chart:example` makes it again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { migrateToLatest, openDatabase } from '../db/connect';
import { reportRepository } from '../db/repositories/reports';
import { teamRepository } from '../db/repositories/teams';
import { createCommandService } from '../src/app/commands/command-service';
import { withoutPhones } from '../src/app/reports/chart-posts';
import { buildDigests } from '../src/app/reports/reports';
import { DEMO_CHANNEL, seedDemoTeam } from '../src/app/team/demo-seed';
import { chineseHolidayData } from '../src/app/team/holidays';
import { drawChart } from '../src/charts';
import { dailyComplaintsChart } from '../src/core/charts';
import { complaintDays } from '../src/core/trends';
import { createLogger } from '../src/runtime/logger';

const OUT = join(import.meta.dirname, '../docs/digest-chart.png');
const DAY = '2026-11-24';
const ZONE = 'Asia/Shanghai';

/** Complaints a day over the two weeks: a leak season building up, fees after the bills, a delay announced mid-way. */
const DAYS: ReadonlyArray<readonly string[]> = [
  ['quality', 'fees'],
  ['quality'],
  ['attitude'],
  [],
  ['quality', 'quality'],
  ['fees', 'fees', 'promise'],
  ['quality'],
  ['delivery-delay', 'delivery-delay', 'quality'],
  ['delivery-delay', 'fees'],
  ['quality', 'quality', 'attitude'],
  ['area'],
  ['quality', 'delivery-delay'],
  ['quality', 'quality', 'fees'],
  ['quality', 'quality', 'delivery-delay', 'attitude'],
];
const PEOPLE = ['王先生', '李女士', '赵先生', '钱女士', '孙先生', '周女士', '吴先生', '郑女士'];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'csbot-chart-example-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    const { db } = database;
    await migrateToLatest(db);
    let now = DateTime.fromISO(`${DAY}T09:00:00`, { zone: ZONE }).minus({ days: DAYS.length });
    await seedDemoTeam(db, 'zh-CN', now.toJSDate());
    const clock = { now: () => now };
    const logger = createLogger({ level: 'silent' });
    const service = createCommandService({ platform: 'sandbox', db, clock, logger, holidays: chineseHolidayData(), defaultLang: 'zh-CN', bootstrapAdmins: new Set() });
    let n = 0;
    for (const [i, categories] of DAYS.entries()) {
      now = DateTime.fromISO(`${DAY}T09:30:00`, { zone: ZONE }).minus({ days: DAYS.length - 1 - i });
      for (const category of categories) {
        now = now.plus({ minutes: 47 });
        const who = PEOPLE[n++ % PEOPLE.length]!;
        await service.handle({ userId: n % 2 ? 'alice' : 'bob', channelId: DEMO_CHANNEL, text: `complaint ${who} ${category} 示例投诉` });
      }
    }
    now = DateTime.fromISO(`${DAY}T18:00:00`, { zone: ZONE });
    const team = (await teamRepository.findByChannel(db, 'sandbox', DEMO_CHANNEL))!;
    const digest = (await buildDigests(db, [{ team, day: DAY }], now)).get(team.id)!;
    const start = DateTime.fromISO(DAY, { zone: ZONE }).startOf('day');
    const complaints = await reportRepository.complaintsReceivedByTeam(db, [team.id], start.minus({ days: 13 }), start.plus({ days: 1 }));
    const spec = withoutPhones(dailyComplaintsChart(digest, complaintDays(complaints.get(team.id) ?? [], DAY, ZONE, now), team.name, team.lang));
    const { png, width, height } = await drawChart(spec);
    writeFileSync(OUT, png);
    console.log(`${OUT}: ${width}×${height}, ${Math.round(png.length / 1024)} KB, ${digest.newToday.total} complaints on ${DAY}`);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
