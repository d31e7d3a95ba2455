import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REGISTRATION_CONSENT } from '../../server/src/modules/auth/consent.ts';
import { PASSWORD_LIMITS, REGISTRATION_LIMIT } from '../../server/src/modules/auth/throttle.ts';
import {
  buildTestApp,
  isRussian,
  login,
  me,
  registerUser,
  registrationBody,
  sessionCookie,
  sessionToken,
  setCookieLine,
  signIn,
  uniqueEmail,
  uniqueIp,
  DEFAULT_PASSWORD,
  SESSION_COOKIE,
  type App,
} from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let app: App;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

const countRows = async (table: 'users' | 'consents' | 'sessions') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('registration', () => {
  test('creates the account, answers 201 with the user and signs in with an HttpOnly, SameSite=Lax cookie', async () => {
    const email = uniqueEmail('reg');
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: registrationBody({ email, lastName: ' Иванова ' }),
    });
    expect(res.statusCode).toBe(201);
    const { user } = res.json();
    expect(user).toMatchObject({
      email,
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Сергеевна',
      fullName: 'Иванова Мария Сергеевна',
      roles: ['applicant'],
    });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);

    const line = setCookieLine(res);
    expect(line).toBeDefined();
    const attributes = line!
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).not.toContain('secure');
    expect(attributes).toContain(`max-age=${30 * 24 * 60 * 60}`);

    const row = await t.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.email).toBe(email);
    expect(row.roles).toEqual(['applicant']);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('очень-надёжный');
  });

  test('stores the e-mail lower-cased', async () => {
    const email = uniqueEmail('Mixed').replace('mixed', 'MiXeD').toUpperCase();
    const { user } = await registerUser(app, { email });
    expect(user.email).toBe(email.toLowerCase());
  });

  test('an e-mail with spaces around it (as a phone keyboard leaves it) is accepted, stored trimmed and signs in', async () => {
    const email = uniqueEmail('spaces');
    const { user, password } = await registerUser(app, { email: `  ${email} ` });
    expect(user.email).toBe(email);
    const res = await login(app, ` ${email}  `, password, { ip: uniqueIp() });
    expect(res.statusCode).toBe(200);
  });

  test('stores the consent with its version, the exact text shown and the user', async () => {
    const { user } = await registerUser(app, {}, { ip: '10.20.30.40' });
    const consents = await t.db.selectFrom('consents').selectAll().where('user_id', '=', user.id).execute();
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      user_id: user.id,
      purpose: 'registration',
      text_version: REGISTRATION_CONSENT.version,
      text: REGISTRATION_CONSENT.text,
      ip: '10.20.30.40',
    });
    expect(consents[0].given_at).toBeInstanceOf(Date);
    expect(Math.abs(consents[0].given_at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  test('the consent text the API shows is the one that is stored', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/consent-text' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(REGISTRATION_CONSENT);
    expect(REGISTRATION_CONSENT.text).toContain('152-ФЗ');
  });

  test('a second registration with the same e-mail in other letter case is refused with 409 and fields.email', async () => {
    const email = uniqueEmail('dup');
    await registerUser(app, { email });
    const users = await countRows('users');
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: registrationBody({ email: email.toUpperCase() }),
    });
    expect(res.statusCode).toBe(409);
    const { error } = res.json();
    expect(error.code).toBe('email_taken');
    expect(isRussian(error.message)).toBe(true);
    expect(isRussian(error.fields.email)).toBe(true);
    expect(setCookieLine(res)).toBeUndefined();
    expect(await countRows('users')).toBe(users);
  });

  describe('validation', () => {
    const cases: Array<{ name: string; body: Record<string, unknown>; field: string; mentions: string }> = [
      {
        name: 'missing e-mail',
        body: registrationBody({ email: undefined }),
        field: 'email',
        mentions: 'Электронная почта',
      },
      {
        name: 'empty e-mail is asked for, not called malformed',
        body: registrationBody({ email: '' }),
        field: 'email',
        mentions: 'Заполните поле «Электронная почта»',
      },
      {
        name: 'malformed e-mail',
        body: registrationBody({ email: 'ivanova-mail.ru' }),
        field: 'email',
        mentions: 'Электронная почта',
      },
      {
        name: 'password shorter than 12 characters',
        body: registrationBody({ password: 'пароль-11зн' }),
        field: 'password',
        mentions: 'не меньше 12 символов',
      },
      {
        name: 'missing last name',
        body: registrationBody({ lastName: undefined }),
        field: 'lastName',
        mentions: 'Фамилия',
      },
      { name: 'empty last name', body: registrationBody({ lastName: '' }), field: 'lastName', mentions: 'Фамилия' },
      { name: 'blank last name', body: registrationBody({ lastName: '   ' }), field: 'lastName', mentions: 'Фамилия' },
      {
        name: 'missing first name',
        body: registrationBody({ firstName: undefined }),
        field: 'firstName',
        mentions: 'Имя',
      },
      { name: 'consent not given', body: registrationBody({ consent: false }), field: 'consent', mentions: 'Согласие' },
      {
        name: 'consent missing',
        body: registrationBody({ consent: undefined }),
        field: 'consent',
        mentions: 'Согласие',
      },
    ];

    test.each(cases)(
      '$name → 400 with a Russian message for $field, and nothing is created',
      async ({ body, field, mentions }) => {
        const before = {
          users: await countRows('users'),
          consents: await countRows('consents'),
          sessions: await countRows('sessions'),
        };
        const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
        expect(res.statusCode).toBe(400);
        const { error } = res.json();
        expect(error.code).toBe('validation');
        expect(isRussian(error.message)).toBe(true);
        expect(Object.keys(error.fields)).toContain(field);
        expect(isRussian(error.fields[field])).toBe(true);
        expect(error.fields[field]).toContain(mentions);
        expect(setCookieLine(res)).toBeUndefined();
        expect({
          users: await countRows('users'),
          consents: await countRows('consents'),
          sessions: await countRows('sessions'),
        }).toEqual(before);
      },
    );

    test('every wrong field is reported at once', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: {
          firstName: 'Мария',
          lastName: '',
          email: 'нет',
          password: 'short',
          consent: false,
          consentVersion: REGISTRATION_CONSENT.version,
        },
      });
      expect(res.statusCode).toBe(400);
      const { fields } = res.json().error;
      expect(Object.keys(fields).sort()).toEqual(['consent', 'email', 'lastName', 'password']);
      expect(fields.password).toContain('12');
      for (const message of Object.values(fields)) expect(isRussian(message)).toBe(true);
    });

    test('an outdated consent version → 400 with fields.consent, and nothing is created', async () => {
      const users = await countRows('users');
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: registrationBody({ consentVersion: '2020-01-01' }),
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('validation');
      expect(isRussian(error.fields.consent)).toBe(true);
      expect(await countRows('users')).toBe(users);
    });
  });

  test('registrations from one address are limited in the database, with a Russian 429; another address still registers', async () => {
    const ip = '203.0.113.41';
    for (let i = 0; i < REGISTRATION_LIMIT.max; i++) await registerUser(app, {}, { ip });
    const refused = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: registrationBody(),
      remoteAddress: ip,
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_registrations');
    expect(refused.json().error.message).toMatch(
      /^С этого адреса зарегистрировано слишком много учётных записей подряд\. Повторите через \d+ мин\.$/,
    );
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another process on the same database refuses too: the count is not in a process's memory.
    const second = await buildTestApp(t.db);
    try {
      expect(
        (
          await second.inject({
            method: 'POST',
            url: '/api/auth/register',
            payload: registrationBody(),
            remoteAddress: ip,
          })
        ).statusCode,
      ).toBe(429);
    } finally {
      await second.close();
    }
    await registerUser(app, {}, { ip: '203.0.113.42' });
  });
});

describe('sessions', () => {
  test('GET /api/auth/me returns the user with the cookie and {user:null} without it', async () => {
    const { cookie, user } = await registerUser(app);
    expect(await me(app, cookie)).toEqual(user);
    const anonymous = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ user: null });
  });

  test('login with the right password opens a new session', async () => {
    const { email, password, user } = await registerUser(app);
    const res = await login(app, email.toUpperCase(), password, { ip: uniqueIp() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user });
    const cookie = sessionCookie(res);
    expect(await me(app, cookie)).toEqual(user);
  });

  test('logout ends the session: the old cookie no longer works', async () => {
    const { cookie, user, email, password } = await registerUser(app);
    const otherDevice = await signIn(app, email, password, { ip: uniqueIp() });
    const token = sessionToken(cookie);
    const res = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    // The browser is told to drop the cookie…
    const cleared = setCookieLine(res);
    expect(cleared).toBeDefined();
    expect(cleared!.startsWith(`${SESSION_COOKIE}=;`)).toBe(true);
    // …and a copy kept by someone else is worthless.
    expect(await me(app, cookie)).toBeNull();
    expect(
      await t.db.selectFrom('sessions').select('id').where('id', '=', token.split('.')[0]).executeTakeFirst(),
    ).toBeUndefined();
    // The user's session on another device is not touched by this logout.
    expect(await me(app, otherDevice)).toEqual(user);
  });

  test('a token with the right session id but a wrong secret is rejected and the cookie is cleared', async () => {
    const { cookie } = await registerUser(app);
    const [id, secret] = sessionToken(cookie).split('.');
    const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    const res = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `${SESSION_COOKIE}=${forged}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null });
    expect(setCookieLine(res)?.startsWith(`${SESSION_COOKIE}=;`)).toBe(true);
    for (const bad of [id, `${id}.`, `${id}.${secret}.x`, `.${secret}`, `${id}.${randomBytes(20).toString('hex')}`]) {
      expect(await me(app, `${SESSION_COOKIE}=${bad}`)).toBeNull();
    }
    // The genuine token still works: a forged attempt does not end the real session.
    expect(await me(app, cookie)).not.toBeNull();
  });

  test('the sessions table holds only a hash of the token secret, never the secret itself', async () => {
    const { cookie } = await registerUser(app);
    const [id, secret] = sessionToken(cookie).split('.');
    const row = await t.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const everything = JSON.stringify(await t.db.selectFrom('sessions').selectAll().execute());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(`${id}.${secret}`);
    expect(row.expires_at.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 60 * 60 * 1000);
  });

  test('the session cookie gets Secure when PUBLIC_URL is https', async () => {
    const secureApp = await buildTestApp(t.db, { env: { PUBLIC_URL: 'https://konkurs.example.ru' } });
    try {
      const res = await secureApp.inject({ method: 'POST', url: '/api/auth/register', payload: registrationBody() });
      expect(res.statusCode).toBe(201);
      const attributes = setCookieLine(res)!
        .split(';')
        .slice(1)
        .map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('secure');
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      const login = await secureApp.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: res.json().user.email, password: DEFAULT_PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      expect(setCookieLine(login)!.toLowerCase()).toMatch(/;\s*secure(;|$)/);
    } finally {
      await secureApp.close();
    }
  });
});

describe('sign-in failures', () => {
  test('a wrong password → 401 in the error shape with a Russian message, and no session', async () => {
    const { email } = await registerUser(app);
    const sessions = await countRows('sessions');
    const res = await login(app, email, 'неправильный-пароль', { ip: uniqueIp() });
    expect(res.statusCode).toBe(401);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'fields', 'message']);
    expect(body.error.code).toBe('invalid_credentials');
    expect(body.error.message).toBe('Неверный адрес электронной почты или пароль.');
    expect(isRussian(body.error.fields.password)).toBe(true);
    expect(setCookieLine(res)).toBeUndefined();
    expect(await countRows('sessions')).toBe(sessions);
  });

  test('an unknown e-mail gets the very same answer as a wrong password', async () => {
    const res = await login(app, uniqueEmail('nobody'), 'какой-то-пароль', { ip: uniqueIp() });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({
      code: 'invalid_credentials',
      message: 'Неверный адрес электронной почты или пароль.',
      fields: { password: 'Неверный адрес электронной почты или пароль.' },
    });
  });

  test('per account and address: after 5 failures the owner is slowed down by seconds, not locked out', async () => {
    const { email, password } = await registerUser(app);
    const ip = uniqueIp();
    for (let i = 0; i < PASSWORD_LIMITS.pair.max; i++) {
      const res = await login(app, email, `неверный-пароль-${i}`, { ip });
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const res = await login(app, email, password, { ip });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('too_many_attempts');
    expect(res.json().error.message).toMatch(
      /^Слишком много неудачных попыток входа\. Подождите \d+ с и попробуйте снова\.$/,
    );
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(PASSWORD_LIMITS.pair.capSeconds);
    expect(setCookieLine(res)).toBeUndefined();
    // The same account from another address is not slowed by these failures.
    expect((await login(app, email, password, { ip: uniqueIp() })).statusCode).toBe(200);
    // After the wait the owner signs in from the same address.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
    expect((await login(app, email, password, { ip })).statusCode).toBe(200);
  });

  test('failures from many other addresses never keep the owner out of an address they signed in from', async () => {
    const { email, password } = await registerUser(app);
    const home = uniqueIp();
    expect((await login(app, email, password, { ip: home })).statusCode).toBe(200);
    for (let i = 0; i < PASSWORD_LIMITS.account.max; i++) {
      expect(
        (await login(app, email, 'неверный-пароль', { ip: `198.51.100.${i + 1}` })).statusCode,
        `attempt ${i + 1}`,
      ).toBe(401);
    }
    // Guessing the account from a new address is slowed: at most about a try a minute across all addresses.
    const guess = await login(app, email, 'неверный-пароль', { ip: '198.51.100.200' });
    expect(guess.statusCode).toBe(429);
    expect(Number(guess.headers['retry-after'])).toBeLessThanOrEqual(PASSWORD_LIMITS.account.capSeconds);
    // The owner at home signs in at once.
    expect((await login(app, email, password, { ip: home })).statusCode).toBe(200);
  });

  test('per account: a successful sign-in clears the count of earlier failures', async () => {
    const { email, password } = await registerUser(app);
    const ip = uniqueIp();
    for (let i = 0; i < 4; i++) expect((await login(app, email, 'неверный-пароль', { ip })).statusCode).toBe(401);
    expect((await login(app, email, password, { ip })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(app, email, 'неверный-пароль', { ip })).statusCode).toBe(401);
    expect((await login(app, email, password, { ip })).statusCode).toBe(200);
  });

  test('per address: many failures across e-mails from one address slow that address down, by seconds; another address is not affected', async () => {
    const victim = await registerUser(app);
    const ip = '192.0.2.77';
    for (let i = 0; i < PASSWORD_LIMITS.address.max; i++) {
      const res = await login(app, uniqueEmail(`guess${i}`), 'неверный-пароль', { ip });
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const slowed = await login(app, victim.email, victim.password, { ip });
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json().error.code).toBe('too_many_attempts');
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(PASSWORD_LIMITS.address.capSeconds);
    // The same person from another address is not affected.
    expect((await login(app, victim.email, victim.password, { ip: '192.0.2.78' })).statusCode).toBe(200);
    // The slowdown is a pause: after it the address signs in again.
    await new Promise((r) => setTimeout(r, Number(slowed.headers['retry-after']) * 1000 + 200));
    expect((await login(app, victim.email, victim.password, { ip })).statusCode).toBe(200);
  });

  test('the limits live in the database: another server process on it sees the same count', async () => {
    const { email, password } = await registerUser(app);
    const ip = uniqueIp();
    const second = await buildTestApp(t.db);
    // Built before the failures: the first wait is only 1 s.
    for (let i = 0; i < PASSWORD_LIMITS.pair.max; i++)
      expect((await login(app, email, 'неверный-пароль', { ip })).statusCode).toBe(401);
    try {
      expect((await login(second, email, password, { ip })).statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });
});
