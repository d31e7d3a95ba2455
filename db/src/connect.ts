import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { markConnectionError } from './connection-errors.ts';
import { withPreparedStatements } from './prepared.ts';
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

/** How long opening a connection (or waiting for a free one in the pool) may take before the request fails. */
export const CONNECT_TIMEOUT_MS = 10_000;

export function createDb(options: DbOptions): DbHandle {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // A server that does not answer (a dropped network, not a refused port) fails the request instead of holding it.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Finds a connection whose peer vanished without closing it.
      keepAlive: true,
    });
    // A connection that dies (PostgreSQL restarting terminates every backend with 57P01) makes its pg Client emit
    // 'error'. The pool listens only while a client is idle, and an unheard 'error' event ends the process; so every
    // client gets a listener of its own for its whole life, which marks the error as the connection's. The statement
    // in flight on it, if any, fails with that error (the API answers 503), the pool drops the dead client when it is
    // released and opens a new connection on the next checkout: once PostgreSQL is back, the next request is served.
    pool.on('connect', (client) => client.on('error', markConnectionError));
    pool.on('error', () => {});
    const connect = () =>
      pool.connect().then(withPreparedStatements, (error: unknown) => Promise.reject(markConnectionError(error)));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: { connect, end: () => pool.end() } }),
    });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dir = options.embeddedDir ?? './data/db';
  if (dir !== 'memory') mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir === 'memory' ? undefined : dir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'embedded', close: () => db.destroy() };
}
