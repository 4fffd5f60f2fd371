import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../db/connect';
import { ensureDataDir, ensureTemplate } from '../../db/pglite-init';
import { runEntryPoint } from '../helpers/entry';

describe('a new embedded database folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'csbot-datadir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is a copy of the install’s empty database, usable at once, with nothing left beside it', async () => {
    await ensureTemplate();
    const dir = join(root, 'nested', 'data');
    await ensureDataDir(dir);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(join(root, 'nested'))).toEqual(['data']);
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await migrateToLatest(database.db);
      const teams = await database.db.selectFrom('teams').select('id').execute();
      expect(teams).toEqual([]);
    } finally {
      await database.close();
    }
  }, 60_000);

  it('is made once when two starts ask for it together, and an existing database is left alone', async () => {
    const dir = join(root, 'twice');
    await Promise.all([ensureDataDir(dir), ensureDataDir(dir)]);
    writeFileSync(join(dir, 'marker'), 'kept');
    await ensureDataDir(join(root, 'twice'));
    expect(readdirSync(dir)).toContain('marker');
  }, 60_000);

  it('fills an existing empty folder in place (a volume’s mount point cannot be replaced), and finishes a copy a crash cut short', async () => {
    const dir = join(root, 'volume');
    mkdirSync(join(dir, 'lost+found'), { recursive: true });
    const inode = statSync(dir).ino;
    await ensureDataDir(dir);
    expect(statSync(dir).ino).toBe(inode);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dir, '.cs-bot-copying'))).toBe(false);
    // A crash in the middle of such a copy: the marker is there, PG_VERSION is not.
    const cut = join(root, 'cut');
    mkdirSync(join(cut, 'base'), { recursive: true });
    writeFileSync(join(cut, '.cs-bot-copying'), '');
    writeFileSync(join(cut, 'base', 'half'), 'x');
    await ensureDataDir(cut);
    expect(existsSync(join(cut, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(cut, 'base', 'half'))).toBe(false);
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await migrateToLatest(database.db);
      expect(await database.db.selectFrom('teams').select('id').execute()).toEqual([]);
    } finally {
      await database.close();
    }
  }, 60_000);

  it('is refused, with what to do, when DATA_DIR points at a folder of other files', async () => {
    const dir = join(root, 'documents');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(ensureDataDir(dir)).rejects.toThrow(/DATA_DIR .*documents is not empty but holds no database/);
    const { code, stderr } = await runEntryPoint('', { DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Start-up failed: DATA_DIR .* is not empty but holds no database; point DATA_DIR at an empty or new folder\./);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  }, 60_000);
});
