import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // PGlite's first start (initdb in WebAssembly) takes seconds on these machines.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
