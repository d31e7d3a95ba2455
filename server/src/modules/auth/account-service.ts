import { sql, type Db } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { moscowDateTime } from '../../lib/moscow.ts';
import { recordAudit } from '../audit/service.ts';
import { letterText, type Addressee } from '../mail/letter.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { passwordProblem } from './password-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { isMailable } from './present.ts';
import { createSession, invalidateOtherSessions, type SessionUser } from './sessions.ts';
import { enforce, forgetPasswordFailures, isKnownAddress, passwordLimits, recordHit, tooMany } from './throttle.ts';
import { claimToken, findToken, HOUR_MS, isLive, issueAccountToken, tokensSentSince } from './tokens.ts';

/** Password recovery and change, and the confirmation of an address (issue #13, items 1 and 3). */
export interface AccountCtx {
  db: Db;
  now: Date;
  deliverMail: boolean;
  publicUrl: string;
  ip: string;
}

/** The answer to every request for a reset link, whether or not the address has an account (ASVS 2.5.x, 3.x). */
export const RESET_REQUESTED =
  'Если этот адрес зарегистрирован, на него отправлено письмо со ссылкой для нового пароля. Ссылка действует 1 час. ' +
  'Если письма нет, проверьте папку «Спам» и правильность адреса.';

/**
 * Every request for a reset link is answered after at least this long. Queuing a letter takes some milliseconds
 * (measured: 10 ms for a registered address against 2 ms for an unknown one), and that difference alone would tell
 * which addresses have accounts.
 */
export const RESET_ANSWER_MS = 250;

/** More reset letters than this in an hour are not sent (the answer stays the same): nobody floods a mailbox. */
export const MAX_RESET_LETTERS_PER_HOUR = 3;
/** A confirmation letter is sent again at most once in this long, and at most five times an hour. */
const RESEND_PAUSE_MS = 2 * 60 * 1000;
const MAX_CONFIRMATION_LETTERS_PER_HOUR = 5;

const accountColumns = ['id', 'email', 'last_name', 'first_name', 'middle_name', 'roles', 'email_verified_at'] as const;

const addressee = (u: { first_name: string; middle_name: string | null }): Addressee => ({
  firstName: u.first_name,
  middleName: u.middle_name,
});

/** The SessionUser of an account row. */
function sessionUser(u: {
  id: string;
  email: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  roles: SessionUser['roles'];
  email_verified_at: Date | null;
}): SessionUser {
  return {
    id: u.id,
    email: u.email,
    lastName: u.last_name,
    firstName: u.first_name,
    middleName: u.middle_name,
    roles: u.roles,
    emailVerified: u.email_verified_at !== null,
  };
}

function passwordRefused(field: string, problem: string): AppError {
  return new AppError('validation', `Проверьте введённые данные. ${problem}`, { [field]: problem });
}

const resetLinkInvalid = () =>
  new AppError(
    'link_invalid',
    'Ссылка для нового пароля не действует: она устарела (ссылка работает 1 час) или уже использована. Запросите новую на странице «Забыли пароль?».',
  );

/** After a password is set: the person learns of it from a letter, so a change they did not make does not go unseen. */
async function mailPasswordChanged(
  trx: Db,
  ctx: AccountCtx,
  user: { email: string; first_name: string; middle_name: string | null },
): Promise<void> {
  await enqueueMail(
    trx,
    {
      to: user.email,
      subject: 'Пароль изменён',
      text: letterText(addressee(user), [
        `Пароль для входа на платформу Konkurs изменён ${moscowDateTime(ctx.now)} (МСК). Все остальные входы в вашу учётную запись завершены.`,
        `Если пароль меняли не вы, задайте новый на странице «Забыли пароль?»: ${ctx.publicUrl}/forgot-password — и сообщите организатору.`,
      ]),
    },
    { deliver: ctx.deliverMail },
  );
}

/**
 * Sends a reset link when the address has an account that can receive mail; does nothing otherwise. The caller
 * answers the same either way. Returns whether a letter was queued (for the caller to wake the mailer).
 */
export async function requestPasswordReset(ctx: AccountCtx, email: string): Promise<boolean> {
  const found = await ctx.db.selectFrom('users').select(accountColumns).where('email', '=', email).executeTakeFirst();
  if (!found || !isMailable(found.email)) return false;
  return ctx.db.transaction().execute(async (trx) => {
    // The row lock makes two requests at once count each other.
    await trx.selectFrom('users').select('id').where('id', '=', found.id).forUpdate().execute();
    if (
      (await tokensSentSince(trx, 'password_reset', found.id, new Date(ctx.now.getTime() - HOUR_MS))) >=
      MAX_RESET_LETTERS_PER_HOUR
    )
      return false;
    const { token } = await issueAccountToken(trx, 'password_reset', found, ctx.now);
    await recordAudit(trx, {
      actorId: null,
      action: 'user.password.reset_request',
      entity: 'user',
      entityId: found.id,
      ip: ctx.ip,
    });
    await enqueueMail(
      trx,
      {
        to: found.email,
        subject: 'Новый пароль для входа в Konkurs',
        text: letterText(addressee(found), [
          'Для вашей учётной записи на платформе Konkurs попросили задать новый пароль.',
          `Чтобы задать его, откройте ссылку — она действует 1 час и срабатывает один раз:\n${ctx.publicUrl}/reset-password/${token}`,
          'Если вы не просили новый пароль, ничего не делайте: прежний пароль остаётся в силе.',
        ]),
      },
      { deliver: ctx.deliverMail, sensitive: true },
    );
    return true;
  });
}

/** Whether a reset link still works (the page asks before it shows the form). */
export async function checkResetLink(db: Db, token: string, now: Date): Promise<{ expiresAt: string }> {
  const found = await findToken(db, 'password_reset', token);
  if (!found || !isLive(found, now)) throw resetLinkInvalid();
  return { expiresAt: found.expiresAt.toISOString() };
}

/**
 * Sets the password a reset link was sent for and signs this browser in. Every other session of the account ends
 * (whoever knew the old password is out), every other reset link stops working, and the address counts as confirmed:
 * the link reached it.
 */
export async function resetPassword(
  ctx: AccountCtx,
  token: string,
  password: string,
): Promise<{ user: SessionUser; session: { token: string } }> {
  const found = await findToken(ctx.db, 'password_reset', token);
  if (!found || !isLive(found, ctx.now)) throw resetLinkInvalid();
  const problem = passwordProblem(password, { email: found.email });
  if (problem) throw passwordRefused('password', problem);
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await claimToken(trx, found.id, ctx.now))) throw resetLinkInvalid();
    const user = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, email_verified_at: sql<Date>`coalesce(email_verified_at, ${ctx.now})` })
      .where('id', '=', found.userId)
      .returning(accountColumns)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('account_tokens')
      .set({ used_at: ctx.now })
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'password_reset')
      .where('used_at', 'is', null)
      .execute();
    const sessionsEnded = await invalidateOtherSessions(trx, user.id, null);
    await forgetPasswordFailures(trx, user.email);
    await recordAudit(trx, {
      actorId: user.id,
      action: 'user.password.reset',
      entity: 'user',
      entityId: user.id,
      before: { emailVerified: found.accountVerified },
      after: { emailVerified: true, sessionsEnded },
      ip: ctx.ip,
    });
    await mailPasswordChanged(trx, ctx, user);
    const session = await createSession(trx, user.id);
    return { user: sessionUser(user), session };
  });
}

/** Changes the password of the signed-in person, who must give the current one; their other sessions end. */
export async function changePassword(
  ctx: AccountCtx,
  user: SessionUser,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  // Guessing the current password from a session left open is throttled like signing in.
  const knownAddress = await isKnownAddress(ctx.db, user.email, ctx.ip);
  await enforce(ctx.db, passwordLimits(user.email, ctx.ip, { knownAddress }), (seconds) =>
    tooMany(
      'too_many_attempts',
      (wait) => `Слишком много неудачных попыток ввести пароль. Подождите ${wait} и попробуйте снова.`,
      seconds,
    ),
  );
  const row = await ctx.db
    .selectFrom('users')
    .select(['password_hash', 'first_name', 'middle_name', 'email'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  if (!row.password_hash) {
    throw new AppError('no_password', 'У этой учётной записи нет пароля: в неё входят по коду доступа.');
  }
  if (!(await verifyPassword(row.password_hash, currentPassword))) {
    await recordHit(ctx.db, passwordLimits(user.email, ctx.ip, { knownAddress: false }));
    const message = 'Текущий пароль указан неверно.';
    throw new AppError('wrong_password', message, { currentPassword: message });
  }
  const problem = passwordProblem(newPassword, { email: user.email });
  if (problem) throw passwordRefused('newPassword', problem);
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    const sessionsEnded = await invalidateOtherSessions(trx, user.id, sessionId);
    // A reset link sent before the change was for the old password.
    await trx
      .updateTable('account_tokens')
      .set({ used_at: ctx.now })
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'password_reset')
      .where('used_at', 'is', null)
      .execute();
    await forgetPasswordFailures(trx, user.email);
    await recordAudit(trx, {
      actorId: user.id,
      action: 'user.password.change',
      entity: 'user',
      entityId: user.id,
      after: { sessionsEnded },
      ip: ctx.ip,
    });
    await mailPasswordChanged(trx, ctx, row);
  });
}

/** Queues the letter with a link that confirms the address. Call it with the transaction that made the account. */
export async function mailEmailConfirmation(
  trx: Db,
  ctx: Omit<AccountCtx, 'ip'>,
  user: { id: string; email: string; first_name: string; middle_name: string | null },
): Promise<void> {
  const { token } = await issueAccountToken(trx, 'email_verification', user, ctx.now);
  await enqueueMail(
    trx,
    {
      to: user.email,
      subject: 'Подтвердите адрес электронной почты',
      text: letterText(addressee(user), [
        'Вы зарегистрировались на платформе Konkurs с этим адресом. Чтобы подтвердить, что адрес ваш, откройте ссылку (она действует 7 дней):\n' +
          `${ctx.publicUrl}/confirm-email/${token}`,
        'Подавать заявки можно и без подтверждения, а войти в жюри конкурса — только с подтверждённым адресом.',
        'Если вы не регистрировались, ничего не делайте.',
      ]),
    },
    { deliver: ctx.deliverMail, sensitive: true },
  );
}

/** Sends the confirmation letter again, at the person's request. Returns what to tell them. */
export async function resendEmailConfirmation(
  ctx: AccountCtx,
  user: SessionUser,
): Promise<{ message: string; queued: boolean }> {
  if (!isMailable(user.email))
    throw new AppError('unmailable', 'На адрес этой учётной записи письма не доставляются: подтверждать нечего.');
  if (user.emailVerified) return { message: `Адрес ${user.email} уже подтверждён.`, queued: false };
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('users')
      .select(accountColumns)
      .where('id', '=', user.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.email_verified_at) return { message: `Адрес ${user.email} уже подтверждён.`, queued: false };
    const now = ctx.now.getTime();
    const tooSoon = (await tokensSentSince(trx, 'email_verification', user.id, new Date(now - RESEND_PAUSE_MS))) > 0;
    if (
      tooSoon ||
      (await tokensSentSince(trx, 'email_verification', user.id, new Date(now - HOUR_MS))) >=
        MAX_CONFIRMATION_LETTERS_PER_HOUR
    ) {
      throw new AppError(
        'too_many_letters',
        tooSoon
          ? 'Письмо со ссылкой отправлено только что. Проверьте почту, в том числе папку «Спам»; отправить ещё одно можно через 2 минуты.'
          : 'Писем со ссылкой отправлено уже много. Проверьте почту, в том числе папку «Спам», или попробуйте через час.',
      );
    }
    await mailEmailConfirmation(trx, ctx, row);
    return { message: `Письмо со ссылкой для подтверждения отправлено на адрес ${user.email}.`, queued: true };
  });
}

/** Confirms the address a link was sent to. A second opening of the same link says the address is confirmed. */
export async function confirmEmail(ctx: AccountCtx, token: string): Promise<{ email: string; message: string }> {
  const found = await findToken(ctx.db, 'email_verification', token);
  const invalid = () =>
    new AppError(
      'link_invalid',
      'Ссылка для подтверждения адреса не действует: она устарела или заменена. Войдите и отправьте письмо ещё раз со страницы «Профиль».',
    );
  if (!found || found.email !== found.accountEmail) throw invalid();
  const confirmed = { email: found.email, message: `Адрес ${found.email} подтверждён.` };
  if (found.accountVerified) return confirmed;
  if (!isLive(found, ctx.now)) throw invalid();
  await ctx.db.transaction().execute(async (trx) => {
    await claimToken(trx, found.id, ctx.now);
    const updated = await trx
      .updateTable('users')
      .set({ email_verified_at: ctx.now })
      .where('id', '=', found.userId)
      .where('email', '=', found.email)
      .where('email_verified_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) {
      await recordAudit(trx, {
        actorId: found.userId,
        action: 'user.email.verify',
        entity: 'user',
        entityId: found.userId,
        after: { email: found.email },
        ip: ctx.ip,
      });
    }
  });
  return confirmed;
}
