/**
 * Telling "the database cannot be reached right now" from every other failure. Such an error says nothing about the
 * request: the same statement may succeed a second later (PostgreSQL restarting, a failover, a network blip), so the
 * API answers 503 and asks to try again, and writers whose statements are safe to repeat repeat them.
 * The embedded PostgreSQL (PGlite) runs in this process and never loses a connection, so none of its errors is one.
 */

/**
 * SQLSTATEs of a server that cannot serve this connection: class 08 (connection exception), 57P01 admin_shutdown
 * (`pg_ctl restart -m fast`), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down),
 * 53300 too_many_connections.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and its pool say, without a code, when a connection died or could not be made in time. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /is not queryable/,
  /timeout exceeded when trying to connect/i,
  /^Postgres connection has been discarded/,
];

/**
 * Set by connect.ts on what opening a connection failed with and on what a connection died of. Those are plain
 * socket errors (ECONNREFUSED, ECONNRESET …) that look the same from any other server (S3, SMTP); the mark says
 * they came from PostgreSQL's.
 */
const FROM_CONNECTION = Symbol('konkurs.databaseConnection');

export function markConnectionError<E>(error: E): E {
  if (error !== null && typeof error === 'object' && !(FROM_CONNECTION in error))
    Object.defineProperty(error, FROM_CONNECTION, { value: true });
  return error;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error itself, then what it wraps (AggregateError of several addresses, `cause`), a few levels deep. */
function* chain(error: unknown, depth = 0): Generator<unknown> {
  if (error === null || error === undefined || depth > 3) return;
  yield error;
  if (error instanceof AggregateError) for (const e of error.errors) yield* chain(e, depth + 1);
  if (error instanceof Error && error.cause !== undefined) yield* chain(error.cause, depth + 1);
}

function isOwnConnectionError(error: unknown): boolean {
  if (error !== null && typeof error === 'object' && FROM_CONNECTION in error) return true;
  const code = codeOf(error);
  if (code && (SERVER_CODES.has(code) || (code.length === 5 && code.startsWith('08')))) return true;
  const message = error instanceof Error ? error.message : '';
  return DRIVER_MESSAGES.some((m) => m.test(message));
}

/** Whether the error means the database could not be reached or dropped the connection (rather than refused the statement). */
export function isConnectionError(error: unknown): boolean {
  for (const e of chain(error)) if (isOwnConnectionError(e)) return true;
  return false;
}

/** A short Russian reason for a connection error, with its technical code, for /api/health and the logs. */
export function connectionErrorReason(error: unknown): string {
  const all = [...chain(error)];
  const code = all.map(codeOf).find((c) => c !== undefined);
  const message = all.map((e) => (e instanceof Error ? e.message : '')).join(' ');
  const reason =
    code === 'ECONNREFUSED'
      ? 'сервер PostgreSQL не принимает соединения'
      : code === '57P01' || code === '57P02'
        ? 'сервер PostgreSQL закрыл соединения: он перезапускается или остановлен'
        : code === '57P03'
          ? 'сервер PostgreSQL запускается или останавливается'
          : code === '53300'
            ? 'у сервера PostgreSQL нет свободных соединений'
            : code === 'ETIMEDOUT' || /timeout/i.test(message)
              ? 'сервер PostgreSQL не ответил вовремя'
              : /Connection terminated|not queryable/.test(message)
                ? 'соединение с сервером PostgreSQL прервано'
                : 'нет соединения с сервером PostgreSQL';
  return code ? `${reason} (${code})` : reason;
}

/** Whether PostgreSQL refused the statement for breaking a unique constraint (23505: a taken address, slug, number). */
export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === '23505';
}
