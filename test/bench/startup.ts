import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateDir } from '../../db/pglite-init';
import { startFakeDingTalk } from '../helpers/fake-dingtalk';
import { benchDatabaseUrl, median, runBench } from './harness';

/**
 * Start-up time and resident memory, next to `node -e 0` (the floor) in the same run:
 * - the sandbox (`npm start`, no credentials): time to its first prompt and RSS at rest,
 *   on a new data folder (its database copied from the empty one `npm install` makes),
 *   warm (the same folder again), and on a machine where that empty database is missing
 *   (initdb runs at start);
 * - the bot on PostgreSQL (DingTalk credentials aimed at a fake on loopback): RSS at rest.
 * RSS is read from /proc after the process has idled for a few seconds.
 */

const ROOT = join(import.meta.dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DINGTALK_|DATABASE_URL|npm_)/.test(k)));

/** Spawns a command, waits until its output says `ready`, lets it idle, reads its RSS, ends it. */
async function measure(cmd: string, args: string[], env: Record<string, string>, ready: (out: string) => boolean, idleMs = 3000) {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...clean, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  return await new Promise<{ readyMs: number; rssMb: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${out}`)), 60_000);
    let seen = false;
    const check = () => {
      if (seen || !ready(out)) return;
      seen = true;
      const readyMs = performance.now() - started;
      setTimeout(() => {
        // The node process itself (npm start execs it): the newest node below the spawned one, or itself.
        const pid = nodePid(child.pid!);
        const rss = rssMb(pid);
        clearTimeout(timer);
        child.stdin.end();
        child.kill('SIGTERM');
        resolve({ readyMs, rssMb: rss });
      }, idleMs);
    };
    child.stdout.on('data', (d) => ((out += String(d)), check()));
    child.stderr.on('data', (d) => ((out += String(d)), check()));
    child.on('error', reject);
  });
}

/** The node process a spawned command runs as: itself, or its only child when a launcher sits in between. */
function nodePid(pid: number): number {
  try {
    const children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
    return children.length ? nodePid(Number(children.at(-1))) : pid;
  } catch {
    return pid;
  }
}

async function floor() {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const out = execFileSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/status','utf8').match(/VmRSS:\\s+(\\d+)/)[1])"], { encoding: 'utf8' });
    times.push(performance.now() - t);
    rss = Number(out) / 1024;
  }
  return { ms: median(times), rss };
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const base = await floor();
  console.log(`floor: node -e 0  ${base.ms.toFixed(0)} ms, ${base.rss.toFixed(0)} MB resident`);

  const sandbox = (dataDir: string) => measure('npm', ['start', '--silent'], { DATA_DIR: dataDir }, (out) => out.includes('本地沙盒') || out.includes('Local sandbox'));
  const fresh: Array<{ readyMs: number; rssMb: number }> = [];
  const warm: Array<{ readyMs: number; rssMb: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'csbot-startup-'));
    try {
      fresh.push(await sandbox(dir));
      warm.push(await sandbox(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const show = (name: string, xs: Array<{ readyMs: number; rssMb: number }>) =>
    console.log(
      `${name}: to prompt median ${median(xs.map((x) => x.readyMs)).toFixed(0)} ms (${(median(xs.map((x) => x.readyMs)) / base.ms).toFixed(1)}× the floor), ` +
        `resident median ${median(xs.map((x) => x.rssMb)).toFixed(0)} MB, max ${Math.max(...xs.map((x) => x.rssMb)).toFixed(0)} MB`,
    );
  show('sandbox, new data folder (npm start)', fresh);
  show('sandbox, warm (npm start)', warm);

  // Once, without the install's empty database: what a first start costs when it is missing.
  const template = templateDir();
  const aside = `${template}.bench-aside`;
  if (existsSync(template)) renameSync(template, aside);
  const dir = mkdtempSync(join(tmpdir(), 'csbot-startup-'));
  try {
    show('sandbox, no empty database made at install (npm start, once)', [await sandbox(dir)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(template, { recursive: true, force: true });
    if (existsSync(aside)) renameSync(aside, template);
  }

  if (!benchDatabaseUrl) {
    console.log('PostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL)');
    return;
  }
  const fake = await startFakeDingTalk();
  try {
    const onPg: Array<{ readyMs: number; rssMb: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      onPg.push(
        await measure(
          process.execPath,
          ['--max-semi-space-size=8', '--liftoff-only', 'dist/main.js'],
          { DATABASE_URL: benchDatabaseUrl, DINGTALK_CLIENT_ID: fake.clientId, DINGTALK_CLIENT_SECRET: fake.clientSecret, DINGTALK_API_URL: fake.url, METRICS_PORT: '0' },
          (out) => out.includes('bot started'),
        ),
      );
    }
    show('DingTalk on PostgreSQL (node dist/main.js)', onPg);
  } finally {
    await fake.stop();
  }
}

runBench(main);
