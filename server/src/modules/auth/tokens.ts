import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { AccountTokenPurpose, Db } from '@konkurs/db';
import { hashSecret } from './sessions.ts';

/**
 * One-time links sent by mail (a password reset, an address confirmation, an invitation): 160 random bits in
 * base32, as session secrets are. Only the SHA-256 is stored, so the table opens nothing if it leaks.
 */
export function newToken(): { token: string; hash: string } {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  return { token, hash: hashSecret(token) };
}

export const HOUR_MS = 60 * 60 * 1000;
/** A reset link works for an hour (ASVS 2.5: short-lived); a confirmation link for a week. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  password_reset: HOUR_MS,
  email_verification: 7 * 24 * HOUR_MS,
};

/** Stores a new link for this person and address; returns the token to put in the letter. */
export async function issueAccountToken(
  db: Db,
  purpose: AccountTokenPurpose,
  user: { id: string; email: string },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]);
  await db
    .insertInto('account_tokens')
    .values({ user_id: user.id, purpose, token_hash: hash, email: user.email, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** How many links of this kind the person was sent since `since` (to keep anyone from flooding a mailbox). */
export async function tokensSentSince(
  db: Db,
  purpose: AccountTokenPurpose,
  userId: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('account_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface FoundToken {
  id: string;
  userId: string;
  /** The address the link was sent to. */
  email: string;
  expiresAt: Date;
  usedAt: Date | null;
  /** The account's address now, and whether it is confirmed. */
  accountEmail: string;
  accountVerified: boolean;
}

/** The link's row in whatever state it is, or null for a token nobody was sent. */
export async function findToken(db: Db, purpose: AccountTokenPurpose, token: string): Promise<FoundToken | null> {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
  const row = await db
    .selectFrom('account_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.user_id',
      't.email',
      't.expires_at',
      't.used_at',
      'u.email as account_email',
      'u.email_verified_at',
    ])
    .where('t.token_hash', '=', hashSecret(token))
    .where('t.purpose', '=', purpose)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    accountEmail: row.account_email,
    accountVerified: row.email_verified_at !== null,
  };
}

/** Whether the link still works: unused, not expired, and sent to the address the account has now. */
export function isLive(found: FoundToken, now: Date): boolean {
  return !found.usedAt && found.expiresAt.getTime() > now.getTime() && found.email === found.accountEmail;
}

/**
 * Marks the link used, once: of two requests with the same link only one gets true. Pass the transaction that
 * makes the change the link was for.
 */
export async function claimToken(trx: Db, tokenId: string, now: Date): Promise<boolean> {
  const claimed = await trx
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}
