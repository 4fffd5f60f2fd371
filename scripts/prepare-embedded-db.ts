// Run by `npm install`: makes this install's empty embedded database, so that the sandbox's
// first start copies it instead of waiting for initdb. Never fails the install: without it
// the first start makes its database itself.
import { ensureTemplate } from '../db/pglite-init';

const started = Date.now();
try {
  const dir = await ensureTemplate();
  process.stdout.write(`Embedded database template ready in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
} catch (error) {
  process.stdout.write(`Embedded database template not made (${error instanceof Error ? error.message : String(error)}); the first start makes its database instead.\n`);
}
