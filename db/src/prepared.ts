import { sql, type PostgresPoolClient, type RawBuilder } from 'kysely';
import type pg from 'pg';

/** A prepared statement's name, and the mark `preparedAs` puts at the head of a statement's text. */
const NAME = '[a-z][a-z0-9_]*';
const MARK = new RegExp(`^/\\* prepared: (${NAME}) \\*/`);

/**
 * Marks a statement run often with the same text, so that PostgreSQL plans it once per connection instead of at every
 * run: `sql\`${preparedAs('save_answers')} with …\``. Worth it only for a statement on a hot path whose planning is
 * a large part of its cost (the grouped answer save: planning took 1.5 of its 3.3 ms). The text must never vary between
 * runs (values go in parameters), and each name belongs to one text. The embedded database ignores the mark.
 */
export function preparedAs(name: string): RawBuilder<unknown> {
  if (!new RegExp(`^${NAME}$`).test(name))
    throw new Error(`a prepared statement's name is lowercase letters, digits and _: ${name}`);
  return sql.raw(`/* prepared: ${name} */`);
}

/**
 * The pool client Kysely is given: a marked statement goes to PostgreSQL as a named prepared statement, which
 * node-postgres prepares on the connection's first run of it and reuses afterwards (a new connection, after
 * PostgreSQL restarted for instance, prepares it again). Everything else passes through unchanged.
 */
export function withPreparedStatements(client: pg.PoolClient): PostgresPoolClient {
  // Kysely streams through a cursor only when given a cursor class, which connect.ts does not give.
  const query = (text: string, parameters: readonly unknown[]) =>
    client.query({ name: MARK.exec(text)?.[1], text, values: [...parameters] });
  return {
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  };
}
