import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/**
 * Writes an export into `dir` under `name`, never over another file: two exports
 * named alike (the same period, the same second; one masked, one not) each keep
 * their own file, `name-2.csv` and so on. Resolves with the absolute path.
 */
export async function saveExport(dir: string, name: string, content: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    // The name is ours (period and time stamp), never user text: no path tricks to guard against.
    const path = join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    try {
      // Readable by the bot's own account only: an export may hold full phone numbers.
      await writeFile(path, content, { flag: 'wx', mode: 0o600 });
      return resolve(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error;
    }
  }
}
