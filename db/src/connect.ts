import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** A PostgreSQL connection string. When absent, the embedded PostgreSQL (PGlite) is used. */
  databaseUrl?: string;
  /** Folder of the embedded database's files; 'memory' keeps it in memory (tests). */
  embeddedDir?: string;
  /** Pool size for a real PostgreSQL server. */
  poolSize?: number;
}

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

export function createDb(options: DbOptions): DbHandle {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dir = options.embeddedDir ?? './data/db';
  if (dir !== 'memory') mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir === 'memory' ? undefined : dir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'embedded', close: () => db.destroy() };
}
