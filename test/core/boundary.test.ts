import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '../../src/core');
const FORBIDDEN = [
  /from ['"]@slack\//,
  /from ['"]kysely['"]/,
  /from ['"]pg['"]/,
  /from ['"]node-cron['"]/,
  /from ['"]@electric-sql\//,
  /from ['"](\.\.\/)+(db|handlers|schedules)\//,
  /from ['"](\.\.\/)+(app|chat|runtime)\//,
  /process\.env/,
  /Date\.now\(/,
  /DateTime\.(now|local)\(/,
  /new Date\(\)/,
];

describe('the core', () => {
  const files = readdirSync(CORE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s reaches for no platform, database, cron, environment or wall clock', (file) => {
    const text = readFileSync(join(CORE, file), 'utf8');
    const hits = FORBIDDEN.filter((re) => re.test(text)).map(String);
    expect(hits).toEqual([]);
  });
});
