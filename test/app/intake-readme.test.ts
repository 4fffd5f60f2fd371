import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { fakeClock } from '../helpers/clock';
import { pgliteKind, type TestDatabase } from '../helpers/db';
import { eventually } from '../helpers/intake';
import { capturingLogger } from '../helpers/service';

const run = promisify(execFile);
const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

/** The README's shell block that starts with the given line. */
function shellBlock(startsWith: string): string {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(startsWith));
  if (!block) throw new Error(`no sh block starting with ${startsWith}`);
  return block;
}

/** The sandbox with the intake on, as `INTAKE_PORT=8787 npm start` runs it (on a port of its own here), typed at like a terminal. */
describe("the README's curls for connecting a phone system, against the sandbox", () => {
  const clock = fakeClock('2026-12-07T10:00:00+08:00');
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  let tdb: TestDatabase;
  let bot: Bot;
  const exportDir = mkdtempSync(join(tmpdir(), 'csbot-intake-readme-'));
  beforeAll(async () => {
    stdout.on('data', (d) => (out += String(d)));
    tdb = await pgliteKind.open();
    const config = loadConfig({ INTAKE_PORT: '0', EXPORT_DIR: exportDir, LOG_LEVEL: 'silent' });
    bot = await startBot({ config, db: tdb.db, clock, logger: capturingLogger('silent').logger, stdin, stdout, scheduler: { every: () => {}, stop: async () => {} } });
  });
  afterAll(async () => {
    stdin.end();
    await bot.stop();
    await tdb.close();
    rmSync(exportDir, { recursive: true, force: true });
  });
  const type = async (line: string, until: string) => {
    stdin.write(`${line}\n`);
    await eventually(() => out.includes(until), until);
  };

  it('shows alice the missed call as a DM, closes it with the call-back, and takes the signed event', async () => {
    expect(bot.intakePort).toBeGreaterThan(0);
    // The sandbox reads lines once its banner is out.
    await eventually(() => out.includes('本地沙盒'), 'the banner');
    await type('/as dave', '你现在是 dave');
    await type('/cs team intake on', '签名密钥');
    await type('/cs team phone @alice 8001', '已登记：8001');
    await type('/as alice', '你现在是 alice');
    const cti = /http:\/\/127\.0\.0\.1:\d+\/intake\/\S+\/cti/.exec(out)![0];
    const events = /http:\/\/127\.0\.0\.1:\d+\/intake\/\S+\/events/.exec(out)![0];
    const secret = /whsec_\S+/.exec(out)![0];
    const script = shellBlock("CTI='")
      .replace("CTI='http://127.0.0.1:8787/intake/<id>/cti'", `CTI='${cti}'`)
      .replace("EVENTS='http://127.0.0.1:8787/intake/<id>/events'", `EVENTS='${events}'`)
      .replace("SECRET='whsec_…'", `SECRET='${secret}'`)
      // Each answer on a line of its own, and the moments between the events.
      .replaceAll('curl -X POST', 'sleep 0.2; curl -s -w "\\n" -X POST');
    const { stdout: answers } = await run('bash', ['-e', '-c', script]);
    expect(answers.trim().split('\n')).toEqual(['{}', '{}', '{}', '{}', '{}', '{"contactId":1002}']);
    await eventually(() => out.includes('[DM alice] 🔗API'), 'the DM of the signed event').catch((e) => {
      console.log(out);
      throw e;
    });
    expect(out).toContain('[DM alice] 📞PBX 为你的客户 来电客户 138****5678 登记了 #1001（未接来电），首次响应时限 2026-12-07 10:15。');
    expect(out).toContain('[DM alice] 🔗API 为你的客户 张先生 138****5678 登记了 #1002（微信），首次响应时限 2026-12-07 10:30。');
    await type('/cs show 1001', '记录');
    await eventually(() => out.includes('备注：已回电（通话'), 'the call-back in the history');
    expect(out).toContain('#1001 · 未接来电 · 处理中');
    expect(out).toContain('@alice 首次回复（待响应 → 处理中）：已回电');
  });
});
