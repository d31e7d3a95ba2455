import { connectionErrorReason, isConnectionError, sql, type Db } from '@konkurs/db';

/** A database that takes longer than this for `select 1` is reported unavailable: a load balancer must not wait on it. */
export const HEALTH_TIMEOUT_MS = 3000;

/** Why the database is not answering (in Russian, for fields.database), or null when it answers `select 1` in time. */
export async function databaseProblem(db: Db): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`база данных не ответила за ${HEALTH_TIMEOUT_MS / 1000} с`), HEALTH_TIMEOUT_MS);
  });
  const check = sql`select 1`.execute(db).then(
    () => null,
    (error: unknown) =>
      isConnectionError(error)
        ? connectionErrorReason(error)
        : `база данных ответила ошибкой: ${error instanceof Error ? error.message : String(error)}`,
  );
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}
