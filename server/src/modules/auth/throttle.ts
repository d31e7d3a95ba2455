import { sql, type Db } from '@konkurs/db';
import { AppError, type ErrorCode } from '../../http/errors.ts';
import { escapeLike } from '../../lib/like.ts';

/**
 * Every limit of the platform, one mechanism, kept in the database so that it holds across any number of server
 * processes. A limit counts hits of one key in a sliding window and does one of two things past its maximum:
 * - 'refuse': no more tries until the window has moved on (anti-automation where a refusal locks nobody out);
 * - 'slow': each further try waits after the last hit, 1 s, 2 s, 4 s … up to `capSeconds` (a slowdown, OWASP
 *   ASVS 2.2.1: a brute force is slowed to a crawl, the owner who mistyped waits seconds, never a quarter hour).
 */
export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
  mode: 'refuse' | 'slow';
  /** 'slow' only: the longest wait between tries. */
  capSeconds?: number;
}

const MINUTE = 60;

/** The sign-in limits of one e-mail address tried from one client address. */
export const PASSWORD_LIMITS = {
  /** One person's own typos: slowed after 5 in 15 minutes, to one try a minute at most. */
  pair: { max: 5, windowSeconds: 15 * MINUTE, mode: 'slow', capSeconds: 60 },
  /**
   * One account tried from many addresses (a distributed guess): slowed after 20 in 15 minutes, to one try a minute,
   * so that no account takes more than about 100 wrong passwords an hour (ASVS 2.2.1). Addresses the account has
   * signed in from before are not held by it, so that others cannot keep the owner out.
   */
  account: { max: 20, windowSeconds: 15 * MINUTE, mode: 'slow', capSeconds: 60 },
  /** Many accounts tried from one address (credential stuffing); generous, because a school or an office shares one. */
  address: { max: 100, windowSeconds: 15 * MINUTE, mode: 'slow', capSeconds: 30 },
} as const;

/** How long an address is remembered as one the account signed in from. */
const KNOWN_ADDRESS_SECONDS = 90 * 24 * 60 * MINUTE;

export function passwordLimits(email: string, ip: string, { knownAddress }: { knownAddress: boolean }): Limit[] {
  const limits: Limit[] = [
    { key: `login:pair:${email}|${ip}`, ...PASSWORD_LIMITS.pair },
    { key: `login:address:${ip}`, ...PASSWORD_LIMITS.address },
  ];
  if (!knownAddress) limits.push({ key: `login:account:${email}`, ...PASSWORD_LIMITS.account });
  return limits;
}

const knownKey = (email: string, ip: string) => `login:known:${email}|${ip}`;

export async function isKnownAddress(db: Db, email: string, ip: string): Promise<boolean> {
  const row = await db
    .selectFrom('rate_limit_hits')
    .select('id')
    .where('key', '=', knownKey(email, ip))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row !== undefined;
}

/** After a successful sign-in: the person's own typos are forgiven, and the address is remembered for the account. */
export async function recordSignInSuccess(db: Db, email: string, ip: string): Promise<void> {
  await db
    .deleteFrom('rate_limit_hits')
    .where('key', 'in', [`login:pair:${email}|${ip}`, knownKey(email, ip)])
    .execute();
  await db
    .insertInto('rate_limit_hits')
    .values({
      key: knownKey(email, ip),
      expires_at: sql<Date>`now() + make_interval(secs => ${KNOWN_ADDRESS_SECONDS})`,
    })
    .execute();
}

/** After a password is reset or changed: the failures counted against the account are forgotten (not the addresses'). */
export async function forgetPasswordFailures(db: Db, email: string): Promise<void> {
  await db
    .deleteFrom('rate_limit_hits')
    .where((eb) =>
      eb.or([eb('key', '=', `login:account:${email}`), eb('key', 'like', `login:pair:${escapeLike(email)}|%`)]),
    )
    .execute();
}

/**
 * Access codes carry about 50 random bits, so guessing one is hopeless at any rate a limit allows: the limit per
 * address is sized for a whole school behind one address mistyping (300 in 15 minutes), and each code typed keeps
 * a small limit of its own.
 */
export const ACCESS_CODE_LIMITS = {
  address: { max: 300, windowSeconds: 15 * MINUTE, mode: 'refuse' },
  code: { max: 10, windowSeconds: 15 * MINUTE, mode: 'refuse' },
} as const;

export function accessCodeLimits(code: string, ip: string): Limit[] {
  return [
    { key: `code:address:${ip}`, ...ACCESS_CODE_LIMITS.address },
    { key: `code:typed:${code}`, ...ACCESS_CODE_LIMITS.code },
  ];
}

/**
 * Certificate checks (/verify): only codes that match nothing are counted (80-bit codes cannot be guessed; a scanned
 * QR code always matches). 200 misses in 10 minutes per address lets a prize ceremony of several hundred people on
 * one shared Wi-Fi type their codes by hand with typos.
 */
export const VERIFY_LIMIT = { max: 200, windowSeconds: 10 * MINUTE, mode: 'refuse' } as const;
export const verifyLimits = (ip: string): Limit[] => [{ key: `verify:address:${ip}`, ...VERIFY_LIMIT }];

/** Accounts made by the registration form, per address: a seminar room registering together fits. */
export const REGISTRATION_LIMIT = { max: 30, windowSeconds: 60 * MINUTE, mode: 'refuse' } as const;
export const registrationLimits = (ip: string): Limit[] => [{ key: `register:address:${ip}`, ...REGISTRATION_LIMIT }];

/** Olympiad self-registrations per address: a school's computer class signing up a whole parallel fits. */
export const SELF_REGISTRATION_LIMIT = { max: 100, windowSeconds: 60 * MINUTE, mode: 'refuse' } as const;
export const selfRegistrationLimits = (ip: string): Limit[] => [
  { key: `olympiad-register:address:${ip}`, ...SELF_REGISTRATION_LIMIT },
];

/** Seconds to wait before another try under these limits, or 0 when a try is allowed now (by the database's clock). */
export async function waitSeconds(db: Db, limits: Limit[]): Promise<number> {
  if (limits.length === 0) return 0;
  const rows = await db
    .selectFrom('rate_limit_hits')
    .select([
      'key',
      sql<number>`count(*)::int`.as('hits'),
      sql<number>`extract(epoch from now() - min(at))::float8`.as('since_first'),
      sql<number>`extract(epoch from now() - max(at))::float8`.as('since_last'),
    ])
    // Each limit counts within its own window.
    .where((eb) =>
      eb.or(
        limits.map((l) =>
          eb.and([eb('key', '=', l.key), eb('at', '>', sql<Date>`now() - make_interval(secs => ${l.windowSeconds})`)]),
        ),
      ),
    )
    .groupBy('key')
    .execute();
  let wait = 0;
  for (const limit of limits) {
    const row = rows.find((r) => r.key === limit.key);
    if (row && row.hits >= limit.max)
      wait = Math.max(wait, secondsLeft(limit, row.hits, row.since_first, row.since_last));
  }
  return wait;
}

function secondsLeft(limit: Limit, hits: number, sinceFirst: number, sinceLast: number): number {
  if (limit.mode === 'refuse') return Math.max(1, Math.ceil(limit.windowSeconds - sinceFirst));
  const delay = Math.min(2 ** (hits - limit.max), limit.capSeconds ?? 60);
  const left = Math.ceil(delay - sinceLast);
  return left > 0 ? left : 0;
}

/** Counts one hit under each limit. */
export async function recordHit(db: Db, limits: Limit[]): Promise<void> {
  if (limits.length === 0) return;
  await db
    .insertInto('rate_limit_hits')
    .values(
      limits.map((l) => ({ key: l.key, expires_at: sql<Date>`now() + make_interval(secs => ${l.windowSeconds})` })),
    )
    .execute();
  // Rows past their window count for nothing; dropping them here keeps the table small without a scheduler.
  await db
    .deleteFrom('rate_limit_hits')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
}

/** The 429 of a limit: Retry-After in seconds, and the wait in the message, in seconds or minutes. */
export function tooMany(code: ErrorCode, message: (wait: string) => string, seconds: number): AppError {
  const wait = seconds < 90 ? `${seconds} с` : `${Math.ceil(seconds / 60)} мин`;
  return new AppError(code, message(wait), {}, { 'retry-after': String(seconds) });
}

/** Throws the limit's 429 when a try is not allowed now. */
export async function enforce(db: Db, limits: Limit[], refusal: (seconds: number) => AppError): Promise<void> {
  const seconds = await waitSeconds(db, limits);
  if (seconds > 0) throw refusal(seconds);
}
