import { sql, type Db } from '@konkurs/db';

/**
 * Sign-in throttling, kept in the database so that it holds across any number of server processes.
 * Only failures are counted; a success clears the account's count.
 */
const WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

const accountKey = (email: string) => `email:${email}`;
const addressKey = (ip: string) => `ip:${ip}`;

/** Minutes to wait before another try, or 0 when a try is allowed now. */
export async function signInWaitMinutes(db: Db, email: string, ip: string): Promise<number> {
  const rows = await db
    .selectFrom('auth_failures')
    .select(['key', sql<number>`count(*)::int`.as('failures'), sql<Date>`min(at)`.as('first_at')])
    .where('key', 'in', [accountKey(email), addressKey(ip)])
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${WINDOW_MINUTES})`)
    .groupBy('key')
    .execute();
  let wait = 0;
  for (const row of rows) {
    const limit = row.key === accountKey(email) ? MAX_FAILURES_PER_ACCOUNT : MAX_FAILURES_PER_ADDRESS;
    if (row.failures >= limit) {
      const freeAt = new Date(row.first_at).getTime() + WINDOW_MINUTES * 60_000;
      wait = Math.max(wait, Math.ceil((freeAt - Date.now()) / 60_000), 1);
    }
  }
  return wait;
}

export async function recordSignInFailure(db: Db, email: string, ip: string): Promise<void> {
  await db.insertInto('auth_failures').values([{ key: accountKey(email) }, { key: addressKey(ip) }]).execute();
  // Old rows count for nothing; dropping them here keeps the table small without a scheduler.
  await db.deleteFrom('auth_failures').where('at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('auth_failures').where('key', '=', accountKey(email)).execute();
}
