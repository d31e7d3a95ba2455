import { randomBytes } from 'node:crypto';
import { buildApp, type App } from '@konkurs/server';
import type { Db, Role } from '@konkurs/db';
import { readConfig } from '../../server/src/config.ts';
import { REGISTRATION_CONSENT } from '../../server/src/modules/auth/consent.ts';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';

export type { App };
export type InjectResponse = Awaited<ReturnType<App['inject']>>;
export type AppLogger = Parameters<typeof buildApp>[0]['logger'];

export const PUBLIC_URL = 'http://localhost:3000';
export const SESSION_COOKIE = 'konkurs_session';

/** The server's config as it would be read from these environment variables (PUBLIC_URL defaults to http://localhost:3000). */
export function testConfig(env: Record<string, string> = {}) {
  return readConfig({ PUBLIC_URL, LOG_LEVEL: 'silent', ...env });
}

export interface TestAppOptions {
  /** Extra environment variables for readConfig, e.g. { PUBLIC_URL: 'https://konkurs.example' }. */
  env?: Record<string, string>;
  /** Fastify's logger option; default false (no logs). */
  logger?: AppLogger;
}

/** The whole API on the given database, ready for app.inject. Close it in afterAll. */
export async function buildTestApp(db: Db, options: TestAppOptions = {}): Promise<App> {
  const app = await buildApp({ db, config: testConfig(options.env), logger: options.logger ?? false });
  await app.ready();
  return app;
}

function setCookieLines(res: InjectResponse): string[] {
  const raw = res.headers['set-cookie'];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [String(raw)];
}

/** The Set-Cookie line of one cookie, or undefined. */
export function setCookieLine(res: InjectResponse, name = SESSION_COOKIE): string | undefined {
  return setCookieLines(res).find((line) => line.startsWith(`${name}=`));
}

function isClearing(line: string): boolean {
  const [pair] = line.split(';');
  const value = pair.slice(pair.indexOf('=') + 1);
  if (value === '') return true;
  if (/;\s*max-age=0(?:;|$)/i.test(line)) return true;
  const expires = /;\s*expires=([^;]+)/i.exec(line);
  return expires !== null && new Date(expires[1]).getTime() <= Date.now();
}

/** Turns the Set-Cookie lines of a response into the value of a Cookie request header (cleared cookies left out). */
export function cookieHeader(res: InjectResponse): string {
  return setCookieLines(res)
    .filter((line) => !isClearing(line))
    .map((line) => line.split(';')[0].trim())
    .join('; ');
}

/** The session cookie a response set, as a Cookie header value ("konkurs_session=<token>"); throws when none. */
export function sessionCookie(res: InjectResponse): string {
  const line = setCookieLine(res);
  if (!line || isClearing(line))
    throw new Error(`No session cookie in the response (status ${res.statusCode}): ${res.body}`);
  return line.split(';')[0].trim();
}

/** The session token (`<id>.<secret>`) inside a Cookie header value. */
export function sessionToken(cookie: string): string {
  const pair = cookie
    .split(';')
    .map((p) => p.trim())
    .find((p) => p.startsWith(`${SESSION_COOKIE}=`));
  if (!pair) throw new Error(`No ${SESSION_COOKIE} in "${cookie}"`);
  return decodeURIComponent(pair.slice(SESSION_COOKIE.length + 1));
}

/** An address nobody else in the suite uses. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.ru`;
}

/** A distinct client address per test, so that the per-address sign-in limit of one test does not touch another. */
let ipCounter = 0;
export function uniqueIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${process.pid & 255}.${(ipCounter % 250) + 1}`;
}

export const DEFAULT_PASSWORD = 'очень-надёжный-пароль-1';

export function registrationBody(overrides: Record<string, unknown> = {}) {
  return {
    lastName: 'Иванова',
    firstName: 'Мария',
    middleName: 'Сергеевна',
    email: uniqueEmail(),
    password: DEFAULT_PASSWORD,
    consent: true,
    consentVersion: REGISTRATION_CONSENT.version,
    ...overrides,
  };
}

export interface UserJson {
  id: string;
  email: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  fullName: string;
  roles: Role[];
  emailStatus?: 'verified' | 'unverified' | 'unmailable';
}

export interface Registered {
  response: InjectResponse;
  cookie: string;
  user: UserJson;
  email: string;
  password: string;
}

/** Registers through the API and returns the session cookie header value; fails unless the API answers 201. */
export async function registerUser(
  app: App,
  overrides: Record<string, unknown> = {},
  options: { ip?: string } = {},
): Promise<Registered> {
  const body = registrationBody(overrides);
  // Each from an address of its own unless told: registrations are limited per address.
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: body,
    remoteAddress: options.ip ?? uniqueIp(),
  });
  if (response.statusCode !== 201) throw new Error(`register answered ${response.statusCode}: ${response.body}`);
  return {
    response,
    cookie: sessionCookie(response),
    user: response.json().user,
    email: String(body.email).toLowerCase(),
    password: String(body.password),
  };
}

export async function login(
  app: App,
  email: string,
  password: string,
  options: { ip?: string; headers?: Record<string, string> } = {},
) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: options.ip,
    headers: options.headers,
  });
}

/** Signs in through the API and returns the session cookie header value; fails unless the API answers 200. */
export async function signIn(
  app: App,
  email: string,
  password: string,
  options: { ip?: string } = {},
): Promise<string> {
  const response = await login(app, email, password, options);
  if (response.statusCode !== 200) throw new Error(`login answered ${response.statusCode}: ${response.body}`);
  return sessionCookie(response);
}

/** Opens the newest confirmation link mailed to this address (from the outbox), as its owner would; fails unless it works. */
export async function confirmEmailByLetter(app: App, db: Db, email: string): Promise<void> {
  const letter = await db
    .selectFrom('mail_outbox')
    .select('body')
    .where('to_address', '=', email.toLowerCase())
    .where('subject', '=', 'Подтвердите адрес электронной почты')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const token = /\/confirm-email\/([a-z2-7]+)/.exec(letter?.body ?? '')?.[1];
  if (!token) throw new Error(`no confirmation link mailed to ${email}`);
  const response = await app.inject({ method: 'POST', url: `/api/auth/email-verification/${token}` });
  if (response.statusCode !== 200) throw new Error(`confirmation answered ${response.statusCode}: ${response.body}`);
}

export async function me(app: App, cookie?: string): Promise<UserJson | null> {
  const response = await app.inject({ method: 'GET', url: '/api/auth/me', headers: cookie ? { cookie } : {} });
  if (response.statusCode !== 200) throw new Error(`me answered ${response.statusCode}: ${response.body}`);
  return response.json().user;
}

/** Creates an account directly in the database (e.g. the first organizer, whom nobody could appoint through the API). */
export async function createUserInDb(
  db: Db,
  fields: {
    email?: string;
    password?: string;
    lastName?: string;
    firstName?: string;
    middleName?: string | null;
    roles?: Role[];
    verified?: boolean;
  } = {},
): Promise<{ id: string; email: string; password: string }> {
  const email = (fields.email ?? uniqueEmail('seeded')).toLowerCase();
  const password = fields.password ?? DEFAULT_PASSWORD;
  const row = await db
    .insertInto('users')
    .values({
      email,
      last_name: fields.lastName ?? 'Ковалёва',
      first_name: fields.firstName ?? 'Ирина',
      middle_name: fields.middleName === undefined ? 'Петровна' : fields.middleName,
      password_hash: await hashPassword(password),
      roles: fields.roles ?? ['applicant'],
      // Accounts made by an administrator count as confirmed, as the demo's do; `verified: false` makes one that is not.
      email_verified_at: fields.verified === false ? null : new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email, password };
}

export function isRussian(text: unknown): boolean {
  return typeof text === 'string' && /[а-яё]/i.test(text);
}
