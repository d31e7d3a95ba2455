import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inTransaction, sql } from '@konkurs/db';
import { createTestDb, type TestDb } from '../helpers/db.ts';

// inTransaction (db/src/transaction.ts) runs a transaction again when PostgreSQL ended it with a serialization
// failure (40001) or a deadlock (40P01).

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  await sql`create table tx_probe (n int not null)`.execute(t.db);
});

afterAll(async () => {
  await t?.close();
});

/** A gate two transactions pass only together: each waits at it until the other has come. */
function meeting(parties: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return opened;
  };
}

describe('one transaction helper that retries serialization failures', () => {
  test('two serializable transactions that conflict both end committed', async () => {
    await sql`truncate tx_probe`.execute(t.db);
    // Each counts the rows and adds one row holding that count: run side by side under serializable, the two read
    // before either writes (a write skew), and PostgreSQL can commit only one of them as they were.
    // PGlite has one connection and runs them one after the other: there they never meet, so nobody waits.
    const gate = t.kind === 'postgres' ? meeting(2) : null;
    let runs = 0;
    const add = () =>
      inTransaction(
        t.db,
        async (trx) => {
          runs += 1;
          const first = runs <= 2;
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from tx_probe`.execute(trx);
          if (gate && first) await gate();
          await sql`insert into tx_probe (n) values (${rows[0].n})`.execute(trx);
        },
        { isolation: 'serializable' },
      );
    await Promise.all([add(), add()]);
    const { rows } = await sql<{ n: number }>`select n from tx_probe order by n`.execute(t.db);
    // The loser ran again and saw the winner's row: the two rows are as if one had run after the other.
    expect(rows.map((r) => r.n)).toEqual([0, 1]);
    if (t.kind === 'postgres') expect(runs).toBe(3);
  });

  test('another error is not retried', async () => {
    let runs = 0;
    const failing = inTransaction(t.db, async () => {
      runs += 1;
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    });
    await expect(failing).rejects.toThrow('duplicate key');
    expect(runs).toBe(1);
  });

  test('a serialization failure that does not go away is passed on after the last try', async () => {
    let runs = 0;
    const failing = inTransaction(
      t.db,
      async () => {
        runs += 1;
        throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      },
      { tries: 3 },
    );
    await expect(failing).rejects.toThrow('could not serialize access');
    expect(runs).toBe(3);
  });
});
