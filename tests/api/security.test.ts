import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOG_REDACT } from '../../server/src/app.ts';
import {
  buildTestApp,
  isRussian,
  login,
  me,
  PUBLIC_URL,
  registerUser,
  registrationBody,
  sessionCookie,
  sessionToken,
  setCookieLine,
  uniqueIp,
  type App,
  type Registered,
} from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let app: App;
let account: Registered;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
  account = await registerUser(app);
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

const countSessions = async () =>
  Number(
    (
      await t.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('cross-site requests', () => {
  test('a login POST with a foreign Origin → 403 cross_origin, and no session is created', async () => {
    const sessions = await countSessions();
    const res = await login(app, account.email, account.password, {
      ip: uniqueIp(),
      headers: { origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    const { error } = res.json();
    expect(error.code).toBe('cross_origin');
    expect(isRussian(error.message)).toBe(true);
    expect(error.fields).toEqual({});
    expect(setCookieLine(res)).toBeUndefined();
    expect(await countSessions()).toBe(sessions);
  });

  test('a login POST with Sec-Fetch-Site: cross-site and no Origin → 403, and no session is created', async () => {
    const sessions = await countSessions();
    const res = await login(app, account.email, account.password, {
      ip: uniqueIp(),
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('cross_origin');
    expect(setCookieLine(res)).toBeUndefined();
    expect(await countSessions()).toBe(sessions);
  });

  test('a same-site (not same-origin) request is refused too', async () => {
    const res = await login(app, account.email, account.password, {
      ip: uniqueIp(),
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(res.statusCode).toBe(403);
  });

  test('a cross-site registration is refused and creates no account', async () => {
    const body = registrationBody();
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: body,
      headers: { origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(
      await t.db.selectFrom('users').select('id').where('email', '=', body.email).executeTakeFirst(),
    ).toBeUndefined();
  });

  test('a cross-site logout does not end the session', async () => {
    const cookie = sessionCookie(await login(app, account.email, account.password, { ip: uniqueIp() }));
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(await me(app, cookie)).toEqual(account.user);
  });

  test('a login POST with Origin equal to PUBLIC_URL works', async () => {
    const res = await login(app, account.email, account.password, {
      ip: uniqueIp(),
      headers: { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.email).toBe(account.email);
    expect(await me(app, sessionCookie(res))).toEqual(account.user);
  });

  test('a POST without Origin and Sec-Fetch-Site (the built-in web app, curl) works', async () => {
    const res = await login(app, account.email, account.password, { ip: uniqueIp() });
    expect(res.statusCode).toBe(200);
  });

  test('GET requests from a foreign origin are answered', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', cookie: account.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.email).toBe(account.email);
    // No CORS: another site's script cannot read the answer.
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const events = await app.inject({ method: 'GET', url: '/api/events', headers: { origin: 'https://evil.example' } });
    expect(events.statusCode).toBe(200);
  });
});

describe('responses', () => {
  test('API responses carry the security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['x-frame-options']).toUpperCase()).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    // HSTS only makes sense (and is only sent) when the site is on https.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  test('an unknown API address → 404 in the error shape, in Russian', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.inject({ method, url: '/api/nope' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(body).toEqual({ error: { code: 'not_found', message: expect.any(String), fields: {} } });
      expect(isRussian(body.error.message)).toBe(true);
    }
  });

  test('an invalid JSON body → 400 invalid_json in Russian', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.ru", "password": ',
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('invalid_json');
    expect(isRussian(error.message)).toBe(true);
    expect(error.fields).toEqual({});
  });
});

describe('request logs', () => {
  test('never contain the password, the session token or the cookie', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logged = await buildTestApp(t.db, { logger: { level: 'info', redact: LOG_REDACT, stream } });
    try {
      const res = await login(logged, account.email, account.password, { ip: uniqueIp() });
      expect(res.statusCode).toBe(200);
      const cookie = sessionCookie(res);
      const token = sessionToken(cookie);
      const [, secret] = token.split('.');
      expect(await me(logged, cookie)).toEqual(account.user);
      const bearer = await logged.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie, authorization: `Bearer ${token}` },
      });
      expect(bearer.statusCode).toBe(200);
      const failed = await login(logged, account.email, 'неверный-пароль-для-лога', { ip: uniqueIp() });
      expect(failed.statusCode).toBe(401);

      const text = lines.join('');
      // The logs are there (so the check below means something)…
      expect(text).toContain('/api/auth/me');
      expect(text).toContain('/api/auth/login');
      expect(lines.length).toBeGreaterThanOrEqual(8);
      // …and hold no secret.
      expect(text).not.toContain(account.password);
      expect(text).not.toContain('неверный-пароль-для-лога');
      expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(token));
    } finally {
      await logged.close();
    }
  });

  test('LOG_REDACT cuts the cookie, the authorization header and set-cookie even when headers are logged', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    // An operator who turns on header logging to debug something must still not leak sessions.
    const serializers = {
      req: (request: { url: string; headers: Record<string, unknown> }) => ({
        url: request.url,
        headers: request.headers,
      }),
      res: (reply: { statusCode: number; getHeaders?: () => Record<string, unknown> }) => ({
        statusCode: reply.statusCode,
        headers: reply.getHeaders?.(),
      }),
    };
    const logged = await buildTestApp(t.db, { logger: { level: 'info', redact: LOG_REDACT, stream, serializers } });
    try {
      const res = await login(logged, account.email, account.password, { ip: uniqueIp() });
      expect(res.statusCode).toBe(200);
      const cookie = sessionCookie(res);
      const token = sessionToken(cookie);
      const authorized = await logged.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie, authorization: `Bearer ${token}` },
      });
      expect(authorized.json().user.email).toBe(account.email);

      const text = lines.join('');
      expect(text).toContain('"headers"');
      expect(text).toContain('[Redacted]');
      expect(text).not.toContain(token.split('.')[1]);
      expect(text).not.toContain(account.password);
    } finally {
      await logged.close();
    }
  });
});
