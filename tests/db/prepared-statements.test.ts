import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDb, preparedAs, sql } from '@konkurs/db';
import { createTestDatabaseUrl, testServerUrl } from '../helpers/db.ts';

// A statement marked with preparedAs is planned once per connection (db/src/prepared.ts); the answer save uses it.

describe.runIf(testServerUrl())('a prepared statement on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
  });
  afterAll(async () => database?.drop());

  test('is prepared on its first run, reused with new values, and prepared again on a new connection', async () => {
    // One connection, so that every statement below meets the same PostgreSQL session.
    const handle = createDb({ databaseUrl: database.url, poolSize: 1 });
    const twice = (n: number) =>
      sql<{ doubled: number }>`${preparedAs('test_twice')} select ${n}::int * 2 as doubled`.execute(handle.db);
    const prepared = async () =>
      (
        await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(
          handle.db,
        )
      ).rows;

    expect(await prepared()).toEqual([]);
    expect((await twice(4)).rows).toEqual([{ doubled: 8 }]);
    expect((await twice(21)).rows).toEqual([{ doubled: 42 }]);
    const statements = await prepared();
    expect(statements.map((s) => s.name)).toEqual(['test_twice']);
    expect(statements[0].statement).toMatch(/^\/\* prepared: test_twice \*\/ select \$1::int \* 2/);

    // Unmarked statements stay unnamed.
    await sql`select 1`.execute(handle.db);
    expect((await prepared()).map((s) => s.name)).toEqual(['test_twice']);

    // The session ends (as when PostgreSQL restarts): the pool opens a new connection, which prepares it again.
    await sql`select pg_terminate_backend(pg_backend_pid())`.execute(handle.db).catch(() => undefined);
    let result;
    for (let i = 0; i < 20 && !result; i++) result = await twice(5).catch(() => undefined);
    expect(result?.rows).toEqual([{ doubled: 10 }]);
    expect((await prepared()).map((s) => s.name)).toEqual(['test_twice']);
    await handle.close();
  });
});

test('a marked statement runs as an ordinary one on the embedded database', async () => {
  const handle = createDb({ embeddedDir: 'memory' });
  const { rows } = await sql<{ doubled: number }>`${preparedAs('test_twice')} select ${3}::int * 2 as doubled`.execute(
    handle.db,
  );
  expect(rows).toEqual([{ doubled: 6 }]);
  await handle.close();
});

test('a name that could break out of the mark is refused', () => {
  expect(() => preparedAs('x */ drop table users; /*')).toThrow();
});
