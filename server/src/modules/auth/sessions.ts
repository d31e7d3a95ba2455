import { hash, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db, Role } from '@konkurs/db';

/**
 * Sessions after Lucia's design (lucia-auth.com): the token is `<id>.<secret>`; only a SHA-256 of the
 * secret is stored, so a leaked sessions table opens no session. Expiry slides: a session used in its
 * second half is extended.
 */
export const SESSION_COOKIE = 'konkurs_session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
const EXTEND_WHEN_LEFT_MS = 15 * DAY_MS;

export interface SessionUser {
  id: string;
  email: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  roles: Role[];
  /** The address is shown to be the person's (a link mailed there was opened). */
  emailVerified: boolean;
}

export interface ValidSession {
  id: string;
  expiresAt: Date;
  user: SessionUser;
  /** True when the expiry moved, so the cookie must be sent again. */
  extended: boolean;
}

function randomString(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export async function createSession(db: Db, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const id = randomString();
  const secret = randomString();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await db
    .insertInto('sessions')
    .values({ id, secret_hash: hashSecret(secret), user_id: userId, expires_at: expiresAt })
    .execute();
  return { token: `${id}.${secret}`, expiresAt };
}

export async function validateSessionToken(db: Db, token: string): Promise<ValidSession | null> {
  const [id, secret, extra] = token.split('.');
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.secret_hash',
      'sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.last_name',
      'users.first_name',
      'users.middle_name',
      'users.roles',
      'users.email_verified_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(row.secret_hash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;

  const now = Date.now();
  if (row.expires_at.getTime() <= now) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  let expiresAt = row.expires_at;
  let extended = false;
  if (expiresAt.getTime() - now < EXTEND_WHEN_LEFT_MS) {
    expiresAt = new Date(now + SESSION_LIFETIME_MS);
    extended = true;
    await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
  }
  return {
    id: row.id,
    expiresAt,
    extended,
    user: {
      id: row.user_id,
      email: row.email,
      lastName: row.last_name,
      firstName: row.first_name,
      middleName: row.middle_name,
      roles: row.roles,
      emailVerified: row.email_verified_at !== null,
    },
  };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of the person but the one kept (after a new password: a thief's session ends too). */
export async function invalidateOtherSessions(db: Db, userId: string, keepSessionId: string | null): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '<>', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
