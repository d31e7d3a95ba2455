import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, migrateToLatest, type Db } from '@konkurs/db';

export interface TestDb {
  db: Db;
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

export interface TestDbOptions {
  /** Apply the migrations before returning (default true). The migration tests want an empty database. */
  migrate?: boolean;
}

/** The PostgreSQL server the tests may use, e.g. postgres://postgres@127.0.0.1:5432/test; unset means PGlite. */
export function testServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database on TEST_DATABASE_URL's server and returns its connection string and a way to drop it.
 * For tests that start a separate server process (DATABASE_URL=url). Throws when TEST_DATABASE_URL is unset.
 */
export async function createTestDatabaseUrl(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const server = testServerUrl();
  if (!server)
    throw new Error('createTestDatabaseUrl needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const name = `konkurs_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `create database ${quoteIdent(name)}`);
  let dropped = false;
  return {
    url: withDatabase(server, name),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(server, `drop database if exists ${quoteIdent(name)} with (force)`);
    },
  };
}

/**
 * A fresh, migrated database for one test file: a new database on TEST_DATABASE_URL's server when that is set,
 * otherwise PGlite in memory. Call it once per file (beforeAll): PGlite serves one query at a time.
 */
export async function createTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  const migrate = options.migrate ?? true;
  if (testServerUrl()) {
    const database = await createTestDatabaseUrl();
    const handle = createDb({ databaseUrl: database.url, poolSize: 5 });
    try {
      if (migrate) await migrateToLatest(handle.db);
    } catch (error) {
      await handle.close();
      await database.drop();
      throw error;
    }
    return {
      db: handle.db,
      kind: handle.kind,
      async close() {
        await handle.close();
        await database.drop();
      },
    };
  }
  const handle = createDb({ embeddedDir: 'memory' });
  if (migrate) await migrateToLatest(handle.db);
  return handle;
}
