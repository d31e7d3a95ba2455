import type { Db } from '@konkurs/db';
import { mailEmailConfirmation, type AccountCtx } from './account-service.ts';
import { REGISTRATION_CONSENT } from './consent.ts';
import { hashPassword } from './passwords.ts';
import { createSession } from './sessions.ts';

/** Whether an account has this e-mail (already lower-cased). */
export async function emailRegistered(db: Db, email: string): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
}

/** What signing in needs of an account: the person, the password's hash and whether the address is confirmed. */
export function userForSignIn(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'last_name', 'first_name', 'middle_name', 'roles', 'password_hash', 'email_verified_at'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/**
 * A new applicant's account, with the consent they gave, a session, and the letter confirming the address, in one
 * transaction. Two registrations of one address at once: the unique index refuses the second (23505, for the caller).
 */
export async function createApplicant(
  ctx: AccountCtx,
  person: { email: string; lastName: string; firstName: string; middleName: string | null; password: string },
) {
  const passwordHash = await hashPassword(person.password);
  return ctx.db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({
        email: person.email,
        last_name: person.lastName,
        first_name: person.firstName,
        middle_name: person.middleName,
        password_hash: passwordHash,
        roles: ['applicant'],
      })
      .returning(['id', 'email', 'last_name', 'first_name', 'middle_name', 'roles'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('consents')
      .values({
        user_id: user.id,
        purpose: 'registration',
        text_version: REGISTRATION_CONSENT.version,
        text: REGISTRATION_CONSENT.text,
        ip: ctx.ip,
      })
      .execute();
    const session = await createSession(trx, user.id);
    // The account works at once; the letter lets the person show the address is theirs (a jury needs that).
    await mailEmailConfirmation(trx, { ...ctx, db: trx }, user);
    return { user, session };
  });
}
