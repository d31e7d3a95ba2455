import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, MIGRATION_NAMES, migrateToLatest, seedDemo, sql } from '@konkurs/db';
import { createTestDb, type TestDb } from '../helpers/db.ts';

// A second `pnpm start` finds the database migrated and seeded: it must learn that cheaply (bench/start.ts).
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});

afterAll(async () => {
  await t?.close();
});

const present = async (table: string) =>
  (await sql<{ present: boolean }>`select to_regclass(${table}) is not null as present`.execute(t.db)).rows[0].present;

test('migrating an up-to-date database only reads which migrations were applied', async () => {
  // The migrator would create its lock table again (and take the lock); one read of kysely_migration does not.
  await sql`drop table kysely_migration_lock`.execute(t.db);
  expect(await migrateToLatest(t.db)).toEqual([]);
  expect(await present('kysely_migration_lock')).toBe(false);
});

test('an empty database still goes through the migrator, every migration applied', async () => {
  const empty = await createTestDb({ migrate: false });
  try {
    expect(await migrateToLatest(empty.db)).toEqual(MIGRATION_NAMES);
    expect(await migrateToLatest(empty.db)).toEqual([]);
  } finally {
    await empty.close();
  }
});

test('the demo data is loaded once, and a second start hashes no password', async () => {
  let hashed = 0;
  const hashPassword = async (p: string) => (hashed++, `plain:${p}`);
  expect(await seedDemo(t.db, { hashPassword })).toBe(true);
  expect(hashed).toBe(DEMO_ACCOUNTS.length);
  expect(await seedDemo(t.db, { hashPassword })).toBe(false);
  expect(hashed).toBe(DEMO_ACCOUNTS.length);
});
