import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const depcruise = join(ROOT, 'node_modules/.bin/depcruise');

/** The layer rules run over a tree; what they said and whether they passed. */
function cruise(cwd: string, dirs: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(depcruise, [...dirs, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd, encoding: 'utf8' }) };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the layer rules (.dependency-cruiser.cjs)', () => {
  it('hold for the bot itself', () => {
    const result = cruise(ROOT, ['src', 'handlers', 'db', 'schedules']);
    expect(result.output).toContain('no dependency violations found');
    expect(result.ok).toBe(true);
  });

  it('fail on a planted tree that breaks each of them', () => {
    const result = cruise(join(ROOT, 'test/fixtures/layers'), ['src', 'db', 'handlers']);
    expect(result.ok).toBe(false);
    const rules = ['no-circular', 'core-is-pure', 'storage-below-use-cases', 'use-cases-know-no-platform'];
    const platformRules = ['transports-know-no-listeners', 'transports-know-no-storage', 'one-platform-table', 'platforms-apart'];
    for (const rule of [...rules, ...platformRules]) expect(result.output).toContain(rule);
  });
});
