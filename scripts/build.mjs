// Compiles the bot to dist/ with esbuild: one entry, its platforms in chunks loaded only when
// used, packages left to node_modules. Skips the work when dist/ is newer than every source
// file (so `npm start` starts at once), unless given --force.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not .pathname: a checkout under a path with spaces or Chinese characters is percent-encoded in a URL.
const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist');
const stamp = join(out, 'main.js');
const SOURCES = ['src', 'db', 'handlers', 'schedules', 'package.json', 'package-lock.json', 'scripts/build.mjs'].filter((s) => existsSync(join(root, s)));

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...SOURCES.map((s) => newest(join(root, s))))) process.exit(0);

// A fresh folder: chunks of an older build never linger.
rmSync(out, { recursive: true, force: true });
// esbuild is loaded only when there is something to build: the check above is all most starts need.
const { build } = await import('esbuild');
await build({
  entryPoints: [join(root, 'src/main.ts')],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
