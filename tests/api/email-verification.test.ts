import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createUserInDb,
  isRussian,
  me,
  registerUser,
  registrationBody,
  signIn,
  uniqueIp,
  type App,
} from '../helpers/app.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  organizerCookie,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

/** Issue #13, item 3: the address is confirmed by a link mailed at registration; an unconfirmed account can still apply. */

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

const SUBJECT = 'Подтвердите адрес электронной почты';

async function confirmationLetters(email: string) {
  return t.db
    .selectFrom('mail_outbox')
    .select(['body', 'sensitive'])
    .where('to_address', '=', email)
    .where('subject', '=', SUBJECT)
    .orderBy('id')
    .execute();
}

async function confirmationToken(email: string): Promise<string> {
  const letters = await confirmationLetters(email);
  const match = /\/confirm-email\/([a-z2-7]+)/.exec(letters.at(-1)?.body ?? '');
  if (!match) throw new Error(`no confirmation link mailed to ${email}`);
  return match[1];
}

const confirm = (token: string) =>
  app.inject({ method: 'POST', url: `/api/auth/email-verification/${token}`, remoteAddress: uniqueIp() });
const resend = (cookie?: string) =>
  app.inject({ method: 'POST', url: '/api/auth/email-verification', headers: cookie ? { cookie } : {} });

describe('confirmation of the address', () => {
  test('registration mails a confirmation link; until it is opened the account is unconfirmed', async () => {
    const { email, cookie, response } = await registerUser(app);
    expect(response.json().user.emailStatus).toBe('unverified');
    expect((await me(app, cookie))?.emailStatus).toBe('unverified');
    const [letter] = await confirmationLetters(email);
    expect(letter.body).toMatch(/^Здравствуйте, Мария Сергеевна!/);
    expect(letter.body).toContain('http://localhost:3000/confirm-email/');
    expect(letter.body).toContain('жюри');
    expect(letter.sensitive).toBe(true);
  });

  test('opening the link confirms the address, is audited, and a second opening says it is confirmed', async () => {
    const { email, cookie, user } = await registerUser(app);
    const token = await confirmationToken(email);
    const res = await confirm(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ email, message: `Адрес ${email} подтверждён.` });
    expect((await me(app, cookie))?.emailStatus).toBe('verified');
    const again = await confirm(token);
    expect(again.statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', user.id)
      .where('action', '=', 'user.email.verify')
      .execute();
    expect(audit).toEqual([{ action: 'user.email.verify', actor_id: user.id }]);
  });

  test('a link older than a week, or an unknown one, does not confirm', async () => {
    const { email, cookie } = await registerUser(app);
    const token = await confirmationToken(email);
    h.clock.advance(7 * 24 * 60 * 60 * 1000 + 1000);
    const late = await confirm(token);
    expect(late.statusCode).toBe(410);
    expect(isRussian(late.json().error.message)).toBe(true);
    expect((await me(app, cookie))?.emailStatus).toBe('unverified');
    expect((await confirm('a'.repeat(32))).statusCode).toBe(410);
    expect((await confirm('не-токен')).statusCode).toBe(410);
  });

  test('«send again»: not twice within two minutes; then a new link; nothing for a confirmed address; signed out → 401', async () => {
    const { email, cookie } = await registerUser(app);
    const soon = await resend(cookie);
    expect(soon.statusCode).toBe(429);
    expect(soon.json().error.message).toContain('Спам');
    h.clock.advance(2 * 60 * 1000 + 1000);
    const later = await resend(cookie);
    expect(later.statusCode).toBe(200);
    expect(later.json().message).toContain(email);
    expect(await confirmationLetters(email)).toHaveLength(2);

    expect((await confirm(await confirmationToken(email))).statusCode).toBe(200);
    h.clock.advance(2 * 60 * 1000 + 1000);
    const done = await resend(cookie);
    expect(done.statusCode).toBe(200);
    expect(done.json().message).toContain('уже подтверждён');
    expect(await confirmationLetters(email)).toHaveLength(2);
    expect((await resend()).statusCode).toBe(401);
  });

  test('accounts made by an administrator count as confirmed', async () => {
    const seeded = await createUserInDb(t.db);
    const cookie = await signIn(app, seeded.email, seeded.password, { ip: uniqueIp() });
    expect((await me(app, cookie))?.emailStatus).toBe('verified');
  });

  test('an unconfirmed account can still apply', async () => {
    const organizer = await organizerCookie(app, t.db);
    const contest = await createContestWithForm(app, organizer, h.clock.now());
    const { cookie } = await registerUser(app);
    expect((await me(app, cookie))?.emailStatus).toBe('unverified');
    const created = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie },
      payload: { nominationId: contest.nominations[0].id },
    });
    expect(created.statusCode).toBe(201);
  });
});

describe('registration passwords (ASVS L2)', () => {
  test('12 characters at least, and a common password is refused at its field; nothing is created', async () => {
    const users = async () =>
      Number(
        (
          await t.db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await users();
    const short = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...registrationBody(), password: 'ровно11букв' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.password).toBe('Поле «Пароль» должно содержать не меньше 12 символов.');
    const common = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...registrationBody(), password: 'password1234' },
    });
    expect(common.statusCode).toBe(400);
    expect(common.json().error.fields.password).toContain('распространён');
    expect(await users()).toBe(before);
    // No character classes: twelve lower-case letters and a space will do.
    const plain = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...registrationBody(), password: 'тихий вечер у реки' },
    });
    expect(plain.statusCode).toBe(201);
  });
});
