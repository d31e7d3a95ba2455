export * from './schema.ts';
export { createDb, type Db, type DbHandle, type DbOptions } from './connect.ts';
export { migrateToLatest, MIGRATION_NAMES } from './migrate.ts';
export { seedDemo, DEMO_ACCOUNTS, type DemoAccount } from './seed/demo.ts';
export { sql } from 'kysely';
export { SMOLENSK_MUNICIPALITIES } from './seed/municipalities.ts';
