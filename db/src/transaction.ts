import type { IsolationLevel, Kysely, Transaction } from 'kysely';

/**
 * SQLSTATEs after which the whole transaction may simply be run again: 40001 serialization_failure (a serializable or
 * repeatable-read transaction lost to a concurrent one) and 40P01 deadlock_detected (PostgreSQL ended one of two
 * transactions that waited for each other's locks). Nothing of the failed try was kept, so a second try is safe.
 */
const RETRYABLE = new Set(['40001', '40P01']);

/** Whether the error is a serialization failure or a deadlock, which another try of the transaction may not meet. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

export interface TransactionOptions {
  /** PostgreSQL's isolation level; by default the database's own (read committed). */
  isolation?: IsolationLevel;
  /** Tries in all before the error is passed on (default 5). */
  tries?: number;
}

/** The pause before try n + 1: 10, 20, 40 … ms, each somewhere between half and all of it, so two losers part. */
export function retryPauseMs(tries: number): number {
  const ceiling = 10 * 2 ** (tries - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Runs `fn` in a transaction, and again (after a short jittered pause) when PostgreSQL ended it with a serialization
 * failure or a deadlock, a few times. `fn` may therefore run more than once: it must do nothing outside the database
 * that a second run would repeat. The embedded database (PGlite) has one connection and runs transactions one after
 * another, so it never meets either error; the helper is the same there.
 */
export async function inTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const tries = options.tries ?? 5;
  for (let n = 1; ; n++) {
    try {
      const builder = options.isolation ? db.transaction().setIsolationLevel(options.isolation) : db.transaction();
      return await builder.execute(fn);
    } catch (error) {
      if (n >= tries || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryPauseMs(n)));
    }
  }
}
