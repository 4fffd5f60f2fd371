import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** The embedded server's settings: buffers sized for one process and a team's data. */
export const PGLITE_CONF = ['shared_buffers=8MB', 'wal_buffers=256kB', 'max_connections=2'];

const preparing = new Map<string, Promise<void>>();
const hasDatabase = (dir: string) => existsSync(join(dir, 'PG_VERSION'));
/** Left in DATA_DIR while the empty database is copied into it. */
const COPYING = '.cs-bot-copying';
/** What a new volume's root holds before anyone writes to it. */
const IGNORED = new Set(['lost+found']);

/** Empties a folder but keeps it (it may be a mount point). */
function clearFolder(dir: string): void {
  for (const name of readdirSync(dir)) if (!IGNORED.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
}

/** The PGlite package's entry and version. */
function pglitePackage(): { entry: string; version: string; dir: string } {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { entry, version, dir };
}

/**
 * Where this install keeps an empty embedded database to copy from: node_modules/.cache,
 * one per PGlite version (a database made by one version is not read by another).
 */
export function templateDir(): string {
  const { dir, version } = pglitePackage();
  const modules = dir.slice(0, dir.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
  return join(modules, '.cache', 'cs-bot', `pglite-${version}`);
}

/**
 * Runs PGlite's initdb into `dir` in a short-lived process of its own: initdb takes about
 * five seconds and 700 MB that a process does not give back; the bot's should stay small.
 */
async function initdb(dir: string): Promise<void> {
  const pglite = pathToFileURL(pglitePackage().entry).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
    const db = new PGlite(${JSON.stringify(dir)}, { postgresqlconf: ${JSON.stringify(PGLITE_CONF)} });
    await db.waitReady; await db.close();`;
  await promisify(execFile)(process.execPath, ['--liftoff-only', '--input-type=module', '-e', script], { timeout: 120_000 });
}

/**
 * Makes this install's empty database (`npm install` does it, so a first start need not),
 * unless it is there. Made aside and renamed into place: never half a template.
 */
export async function ensureTemplate(): Promise<string> {
  const template = templateDir();
  if (hasDatabase(template)) return template;
  const making = `${template}.making-${process.pid}`;
  rmSync(making, { recursive: true, force: true });
  mkdirSync(making, { recursive: true });
  try {
    await initdb(making);
    try {
      renameSync(making, template);
    } catch (error) {
      // Another process put its template in place first: use that one.
      if (!hasDatabase(template)) throw error;
    }
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
  return template;
}

/**
 * Makes sure an embedded database exists in `dataDir`. A new one is a copy of this install's
 * empty database (a tenth of a second instead of initdb's five); when there is none and it
 * cannot be made, initdb runs there. Called early at start-up, so the bot's own modules load
 * meanwhile; a second call waits for the first.
 */
export function ensureDataDir(dataDir: string): Promise<void> {
  const key = resolve(dataDir);
  let pending = preparing.get(key);
  if (!pending) {
    pending = (async () => {
      if (hasDatabase(key)) return;
      // A copy into this very folder that a crash cut short is started again.
      if (existsSync(join(key, COPYING))) clearFolder(key);
      if (existsSync(key) && readdirSync(key).some((name) => !IGNORED.has(name))) {
        throw new Error(`DATA_DIR ${dataDir} is not empty but holds no database; point DATA_DIR at an empty or new folder.`);
      }
      let template: string | null = null;
      try {
        template = await ensureTemplate();
      } catch {
        // node_modules not writable, say: make this database in place instead.
      }
      if (!template) {
        mkdirSync(key, { recursive: true });
        return initdb(key);
      }
      if (!existsSync(key)) {
        // Copied aside and renamed into place, so a crash never leaves half a database behind.
        const copying = `${key}.new-${process.pid}`;
        rmSync(copying, { recursive: true, force: true });
        cpSync(template, copying, { recursive: true });
        mkdirSync(dirname(key), { recursive: true });
        renameSync(copying, key);
        return;
      }
      // An existing empty folder (a volume's mount point, which cannot be removed or renamed
      // over) is filled in place: a marker first, the database's PG_VERSION last.
      writeFileSync(join(key, COPYING), '');
      for (const name of readdirSync(template)) if (name !== 'PG_VERSION') cpSync(join(template, name), join(key, name), { recursive: true });
      cpSync(join(template, 'PG_VERSION'), join(key, 'PG_VERSION'));
      rmSync(join(key, COPYING));
    })();
    preparing.set(key, pending);
  }
  return pending;
}
