export * from './schema.ts';
export { createDb, type Db, type DbHandle, type DbOptions } from './connect.ts';
export { migrateTo, migrateToLatest, MIGRATION_NAMES } from './migrate.ts';
export { seedDemo, DEMO_ACCOUNTS, DEMO_ACCESS_CODE, type DemoAccount } from './seed/demo.ts';
export { DEMO_JURORS, TOS_RUBRIC } from './seed/demo-jury.ts';
export { DEMO_TASKS, type DemoTask } from './seed/olympiad-tasks.ts';
export { DEMO_OLYMPIAD_STUDENTS } from './seed/demo-olympiad-grading.ts';
export { sql } from 'kysely';
export { SMOLENSK_MUNICIPALITIES } from './seed/municipalities.ts';
