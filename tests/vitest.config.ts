import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * One config for every suite: API and database tests (tests/api, tests/db) and the browser tests (tests/browser).
 * Run from the repository root: `vitest run --config tests/vitest.config.ts`.
 * Without TEST_DATABASE_URL the tests use the embedded PostgreSQL (PGlite) in memory; with it, each test file
 * gets its own fresh database on that server (see tests/helpers/db.ts).
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The machine has two cores; argon2 hashing and PGlite are CPU-bound.
    maxWorkers: 2,
  },
});
