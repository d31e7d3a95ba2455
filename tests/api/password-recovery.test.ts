import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '@konkurs/db';
import {
  createUserInDb,
  isRussian,
  login,
  me,
  registerUser,
  sessionCookie,
  signIn,
  uniqueEmail,
  uniqueIp,
  type App,
} from '../helpers/app.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import type { MailMessage } from '../../server/src/modules/mail/outbox.ts';
import { RESET_ANSWER_MS } from '../../server/src/modules/auth/account-service.ts';

/** Issue #13, item 1: «Забыли пароль?» by a one-time link, and «Сменить пароль». */

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

const LINK = /\/reset-password\/([a-z2-7]+)/;

async function letters(db: Db, to: string, subject?: string) {
  let query = db
    .selectFrom('mail_outbox')
    .select(['id', 'subject', 'body', 'status', 'sensitive'])
    .where('to_address', '=', to);
  if (subject) query = query.where('subject', '=', subject);
  return query.orderBy('id').execute();
}

async function requestReset(email: string, ip = uniqueIp()) {
  return app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email }, remoteAddress: ip });
}

/** The token of the newest reset letter to this address. */
async function resetToken(email: string): Promise<string> {
  const mail = await letters(t.db, email, 'Новый пароль для входа в Konkurs');
  const match = LINK.exec(mail.at(-1)?.body ?? '');
  if (!match) throw new Error(`no reset link mailed to ${email}`);
  return match[1];
}

function setPassword(token: string, password: string, cookie?: string) {
  return app.inject({
    method: 'POST',
    url: `/api/auth/password-reset/${token}`,
    payload: { password },
    headers: cookie ? { cookie } : {},
    remoteAddress: uniqueIp(),
  });
}

const NEW_PASSWORD = 'новый пароль для весны';

describe('«Забыли пароль?»: the request', () => {
  test('a registered and an unknown address get the same answer; only the registered one gets a letter with a link', async () => {
    const { email } = await registerUser(app);
    const unknown = uniqueEmail('nobody');
    const known = await requestReset(email);
    const stranger = await requestReset(unknown);
    expect(known.statusCode).toBe(200);
    expect(stranger.statusCode).toBe(200);
    expect(stranger.body).toBe(known.body);
    expect(isRussian(known.json().message)).toBe(true);
    expect(await letters(t.db, unknown)).toEqual([]);

    const [letter] = await letters(t.db, email, 'Новый пароль для входа в Konkurs');
    expect(letter.body).toMatch(/^Здравствуйте, Мария Сергеевна!/);
    expect(letter.body).toContain('http://localhost:3000/reset-password/');
    expect(letter.body).toContain('1 час');
    expect(letter.sensitive).toBe(true);
  });

  test('the answer takes the same time for any address: at least RESET_ANSWER_MS, so timing does not tell either', async () => {
    const { email } = await registerUser(app);
    const timed = async (address: string) => {
      const started = performance.now();
      expect((await requestReset(address)).statusCode).toBe(200);
      return performance.now() - started;
    };
    // Without the floor a registered address took about 10 ms and an unknown one 2 ms.
    expect(await timed(email)).toBeGreaterThanOrEqual(RESET_ANSWER_MS - 1);
    expect(await timed(uniqueEmail('nobody'))).toBeGreaterThanOrEqual(RESET_ANSWER_MS - 1);
  });

  test('the token is stored hashed, bound to the address, and lives one hour', async () => {
    const { email, user } = await registerUser(app);
    await requestReset(email);
    const token = await resetToken(email);
    const row = await t.db
      .selectFrom('account_tokens')
      .selectAll()
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'password_reset')
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(token);
    expect(JSON.stringify(await t.db.selectFrom('account_tokens').selectAll().execute())).not.toContain(token);
    expect(row.email).toBe(email);
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(60 * 60 * 1000);
  });

  test('the address is read as typed at sign-in: spaces and capitals do not matter', async () => {
    const { email } = await registerUser(app);
    expect((await requestReset(`  ${email.toUpperCase()} `)).statusCode).toBe(200);
    expect(await letters(t.db, email, 'Новый пароль для входа в Konkurs')).toHaveLength(1);
  });

  test('more than three requests an hour send no more letters, and the answer does not change', async () => {
    const { email } = await registerUser(app);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await requestReset(email));
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`)).size).toBe(1);
    expect(await letters(t.db, email, 'Новый пароль для входа в Konkurs')).toHaveLength(3);
    h.clock.advance(61 * 60 * 1000);
    await requestReset(email);
    expect(await letters(t.db, email, 'Новый пароль для входа в Konkurs')).toHaveLength(4);
  });

  test('a malformed address → 400 in Russian; a student’s unmailable address gets no letter', async () => {
    const bad = await requestReset('не-адрес');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.email).toContain('Электронная почта');
    const student = await createUserInDb(t.db, { email: 'student-x1@students.konkurs.invalid', roles: ['student'] });
    expect((await requestReset(student.email)).statusCode).toBe(200);
    expect(await letters(t.db, student.email)).toEqual([]);
  });
});

describe('«Забыли пароль?»: the link', () => {
  test('sets the new password, ends every other session, signs this browser in, and works once', async () => {
    const { email, password, cookie: firstDevice, user } = await registerUser(app);
    const secondDevice = await signIn(app, email, password, { ip: uniqueIp() });
    await requestReset(email);
    const token = await resetToken(email);

    expect((await app.inject({ method: 'GET', url: `/api/auth/password-reset/${token}` })).statusCode).toBe(200);
    const res = await setPassword(token, NEW_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: user.id, emailStatus: 'verified' });
    const fresh = sessionCookie(res);
    expect((await me(app, fresh))?.id).toBe(user.id);
    expect(await me(app, firstDevice)).toBeNull();
    expect(await me(app, secondDevice)).toBeNull();

    expect((await login(app, email, password, { ip: uniqueIp() })).statusCode).toBe(401);
    expect((await login(app, email, NEW_PASSWORD, { ip: uniqueIp() })).statusCode).toBe(200);

    const again = await setPassword(token, 'ещё один новый пароль');
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('link_invalid');
    expect(isRussian(again.json().error.message)).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/auth/password-reset/${token}` })).statusCode).toBe(410);

    const [notice] = await letters(t.db, email, 'Пароль изменён');
    expect(notice.body).toMatch(/^Здравствуйте, Мария Сергеевна!/);
    expect(notice.sensitive).toBe(false);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'after'])
      .where('entity_id', '=', user.id)
      .where('action', '=', 'user.password.reset')
      .execute();
    expect(audit).toEqual([
      { action: 'user.password.reset', actor_id: user.id, after: { emailVerified: true, sessionsEnded: 2 } },
    ]);
  });

  test('the link confirms the address it was sent to', async () => {
    const { email, user } = await registerUser(app);
    const before = await t.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(before.email_verified_at).toBeNull();
    await requestReset(email);
    expect((await setPassword(await resetToken(email), NEW_PASSWORD)).statusCode).toBe(200);
    const after = await t.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(after.email_verified_at).toBeInstanceOf(Date);
  });

  test('using one link ends the others sent before it', async () => {
    const { email } = await registerUser(app);
    await requestReset(email);
    const first = await resetToken(email);
    await requestReset(email);
    const second = await resetToken(email);
    expect(second).not.toBe(first);
    expect((await setPassword(second, NEW_PASSWORD)).statusCode).toBe(200);
    expect((await setPassword(first, 'пароль от старой ссылки')).statusCode).toBe(410);
  });

  test('after an hour the link no longer works and the password stays', async () => {
    const { email, password } = await registerUser(app);
    await requestReset(email);
    const token = await resetToken(email);
    h.clock.advance(60 * 60 * 1000 + 1000);
    expect((await app.inject({ method: 'GET', url: `/api/auth/password-reset/${token}` })).statusCode).toBe(410);
    const res = await setPassword(token, NEW_PASSWORD);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.message).toContain('1 час');
    expect((await login(app, email, password, { ip: uniqueIp() })).statusCode).toBe(200);
  });

  test('a short or common new password is refused at its field, and the link still works', async () => {
    const { email } = await registerUser(app);
    await requestReset(email);
    const token = await resetToken(email);
    const short = await setPassword(token, 'короткий11');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.password).toContain('не меньше 12 символов');
    const common = await setPassword(token, 'qwerty123456');
    expect(common.statusCode).toBe(400);
    expect(common.json().error.fields.password).toContain('распространён');
    expect((await setPassword(token, NEW_PASSWORD)).statusCode).toBe(200);
  });

  test('an unknown, malformed or overlong token is refused without a 500', async () => {
    for (const token of ['a'.repeat(32), 'НЕ-ТОКЕН', '..%2f..', 'x']) {
      const get = await app.inject({ method: 'GET', url: `/api/auth/password-reset/${encodeURIComponent(token)}` });
      expect(get.statusCode, token).toBe(410);
      expect((await setPassword(encodeURIComponent(token), NEW_PASSWORD)).statusCode, token).toBe(410);
    }
    // Fastify refuses a path parameter over 100 characters itself (414).
    expect((await app.inject({ method: 'GET', url: `/api/auth/password-reset/${'a'.repeat(101)}` })).statusCode).toBe(
      414,
    );
  });

  test('a confirmation link does not reset a password', async () => {
    const { email } = await registerUser(app);
    const [confirmation] = await letters(t.db, email, 'Подтвердите адрес электронной почты');
    const token = /\/confirm-email\/([a-z2-7]+)/.exec(confirmation.body)![1];
    expect((await setPassword(token, NEW_PASSWORD)).statusCode).toBe(410);
  });
});

describe('«Сменить пароль»', () => {
  function change(cookie: string | undefined, currentPassword: string, newPassword: string, ip = uniqueIp()) {
    return app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      payload: { currentPassword, newPassword },
      headers: cookie ? { cookie } : {},
      remoteAddress: ip,
    });
  }

  test('needs the current password; ends the other sessions and keeps this one', async () => {
    const { email, password, cookie, user } = await registerUser(app);
    const otherDevice = await signIn(app, email, password, { ip: uniqueIp() });

    const wrong = await change(cookie, 'не тот пароль совсем', NEW_PASSWORD);
    expect(wrong.statusCode).toBe(400);
    expect(Object.keys(wrong.json().error.fields)).toEqual(['currentPassword']);
    expect(isRussian(wrong.json().error.fields.currentPassword)).toBe(true);

    const res = await change(cookie, password, NEW_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(isRussian(res.json().message)).toBe(true);
    expect((await me(app, cookie))?.id).toBe(user.id);
    expect(await me(app, otherDevice)).toBeNull();
    expect((await login(app, email, password, { ip: uniqueIp() })).statusCode).toBe(401);
    expect((await login(app, email, NEW_PASSWORD, { ip: uniqueIp() })).statusCode).toBe(200);
    expect(await letters(t.db, email, 'Пароль изменён')).toHaveLength(1);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('entity_id', '=', user.id)
      .where('action', '=', 'user.password.change')
      .execute();
    expect(audit).toEqual([{ after: { sessionsEnded: 1 } }]);
  });

  test('a new password shorter than 12 characters or a common one is refused at its field; nothing changes', async () => {
    const { email, password, cookie } = await registerUser(app);
    const short = await change(cookie, password, 'коротенький');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.newPassword).toBe('Поле «Новый пароль» должно содержать не меньше 12 символов.');
    const common = await change(cookie, password, '1q2w3e4r5t6y');
    expect(common.statusCode).toBe(400);
    expect(common.json().error.fields.newPassword).toContain('распространён');
    expect((await login(app, email, password, { ip: uniqueIp() })).statusCode).toBe(200);
  });

  test('signed out → 401', async () => {
    const res = await change(undefined, 'что угодно', NEW_PASSWORD);
    expect(res.statusCode).toBe(401);
  });

  test('guessing the current password from an open session is throttled like signing in', async () => {
    const { password, cookie } = await registerUser(app);
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++)
      expect((await change(cookie, `неверный пароль ${i}`, NEW_PASSWORD, ip)).statusCode).toBe(400);
    const blocked = await change(cookie, password, NEW_PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });
});

describe('letters with a one-time link, when a mail server is set', () => {
  let mailed: ApplicationsTestApp;
  let t2: TestDb;
  const sent: MailMessage[] = [];
  beforeAll(async () => {
    t2 = await createTestDb();
    mailed = await buildApplicationsApp(t2.db, { mailTransport: async (m) => void sent.push(m) });
  });
  afterAll(async () => {
    await mailed?.cleanup();
    await t2?.close();
  });

  test('go to the addressee with the link; the outbox page and the table keep no link', async () => {
    const { email } = await registerUser(mailed.app);
    const organizer = await createUserInDb(t2.db, { roles: ['organizer'] });
    const organizerCookie = await signIn(mailed.app, organizer.email, organizer.password, { ip: uniqueIp() });
    await mailed.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email },
      remoteAddress: uniqueIp(),
    });
    // Delivery starts at once, in the background: wait until both letters have left «pending».
    for (let i = 0; i < 100 && (await letters(t2.db, email)).some((m) => m.status === 'pending'); i++)
      await new Promise((r) => setTimeout(r, 50));
    const toThem = sent.filter((m) => m.to === email);
    expect(toThem.map((m) => m.subject).sort()).toEqual([
      'Новый пароль для входа в Konkurs',
      'Подтвердите адрес электронной почты',
    ]);
    for (const m of toThem) expect(m.text).toMatch(/\/(reset-password|confirm-email)\/[a-z2-7]{20,}/);

    const stored = await letters(t2.db, email);
    expect(stored.map((m) => m.status)).toEqual(['sent', 'sent']);
    for (const m of stored) expect(m.body).not.toMatch(/reset-password|confirm-email/);
    const outbox = await mailed.app.inject({
      method: 'GET',
      url: `/api/mail/outbox?to=${encodeURIComponent(email)}`,
      headers: { cookie: organizerCookie },
    });
    for (const m of outbox.json().messages) expect(m.body).toContain('одноразовая ссылка');
  });
});
