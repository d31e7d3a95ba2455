import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_applications.ts';
import * as m0003 from './migrations/0003_olympiad.ts';
import * as m0004 from './migrations/0004_certificates.ts';
import * as m0005 from './migrations/0005_jury.ts';
import * as m0006 from './migrations/0006_olympiad_grading.ts';
import * as m0007 from './migrations/0007_certificate_images.ts';
import * as m0008 from './migrations/0008_olympiad_safety.ts';
import * as m0009 from './migrations/0009_certificate_lifecycle.ts';
import * as m0010 from './migrations/0010_accounts.ts';
import * as m0011 from './migrations/0011_olympiad_day.ts';
import * as m0013a from './migrations/0013_contest_publication.ts';
import * as m0013b from './migrations/0013_registration_numbers.ts';
import * as m0014 from './migrations/0014_olympiad_tools.ts';
import * as m0015 from './migrations/0015_olympiad_results.ts';
import * as m0016 from './migrations/0016_time_extensions.ts';
import * as m0017 from './migrations/0017_jury_documents.ts';

/**
 * Migrations are listed here rather than read from a folder, so they run the same from source,
 * from a bundle and in tests. Add a numbered file and one line below.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_applications': m0002,
  '0003_olympiad': m0003,
  '0004_certificates': m0004,
  '0005_jury': m0005,
  '0006_olympiad_grading': m0006,
  '0007_certificate_images': m0007,
  '0008_olympiad_safety': m0008,
  '0009_certificate_lifecycle': m0009,
  '0010_accounts': m0010,
  '0011_olympiad_day': m0011,
  '0013_contest_publication': m0013a,
  '0013_registration_numbers': m0013b,
  '0014_olympiad_tools': m0014,
  '0015_olympiad_results': m0015,
  '0016_time_extensions': m0016,
  '0017_jury_documents': m0017,
};

/** Every migration, in the order it runs. */
export const MIGRATION_NAMES = Object.keys(migrations).sort();

const provider: MigrationProvider = { getMigrations: async () => migrations };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run on a database of any (older) shape
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Every start after the first finds them all applied: one read instead of the migrator's statements and lock.
  if (await allApplied(db)) return [];
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether every migration above is recorded as applied (and no other, which the migrator would refuse). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
async function allApplied(db: Kysely<any>): Promise<boolean> {
  const table = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(
    db,
  );
  if (!table.rows[0]?.present) return false;
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const names = new Set(applied.rows.map((r) => r.name));
  return names.size === MIGRATION_NAMES.length && MIGRATION_NAMES.every((name) => names.has(name));
}

/** Runs the migrations up or down to the named one (tests of a migration's data step start from the state before it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error)
    throw new Error(`Migration to ${name} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
}
