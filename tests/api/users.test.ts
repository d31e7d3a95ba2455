import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildTestApp,
  createUserInDb,
  isRussian,
  me,
  registerUser,
  signIn,
  uniqueIp,
  type App,
  type Registered,
  type UserJson,
} from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let app: App;
let organizer: { id: string; email: string; cookie: string };
let applicant: Registered;
let elkina: Registered;
let petrov: Registered;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
  // The first organizer cannot be appointed through the API: it is put into the database directly.
  const seeded = await createUserInDb(t.db, {
    email: 'Organizer@Konkurs.Test',
    lastName: 'Ковалёва',
    firstName: 'Ирина',
    roles: ['organizer'],
  });
  organizer = {
    id: seeded.id,
    email: seeded.email,
    cookie: await signIn(app, seeded.email, seeded.password, { ip: uniqueIp() }),
  };
  applicant = await registerUser(app, { lastName: 'Смирнова', firstName: 'Ольга', email: 'smirnova.olga@mail.test' });
  elkina = await registerUser(app, {
    lastName: 'Ёлкина',
    firstName: 'Анна',
    middleName: 'Юрьевна',
    email: 'anna.e@yandex.test',
  });
  petrov = await registerUser(app, {
    lastName: 'Петров',
    firstName: 'Никита',
    middleName: undefined,
    email: 'NIKITA.P@example.test',
  });
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function listUsers(cookie: string | undefined, query: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: '/api/users', query, headers: cookie ? { cookie } : {} });
}

async function search(q: string): Promise<{ emails: string[]; total: number }> {
  const res = await listUsers(organizer.cookie, { q });
  expect(res.statusCode).toBe(200);
  const body = res.json() as { users: UserJson[]; total: number };
  return { emails: body.users.map((u) => u.email).sort(), total: body.total };
}

async function setRoles(cookie: string | undefined, id: string, roles: unknown) {
  return app.inject({
    method: 'PUT',
    url: `/api/users/${id}/roles`,
    payload: { roles },
    headers: cookie ? { cookie } : {},
  });
}

describe('GET /api/users', () => {
  test('an organizer sees every user, sorted by last name, with the total', async () => {
    const res = await listUsers(organizer.cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { users: UserJson[]; total: number };
    expect(body.total).toBe(4);
    expect(body.users.map((u) => u.lastName)).toEqual(
      ['Ёлкина', 'Ковалёва', 'Петров', 'Смирнова'].sort((a, b) => (a < b ? -1 : 1)),
    );
    expect(body.users.find((u) => u.id === elkina.user.id)).toEqual({
      id: elkina.user.id,
      email: 'anna.e@yandex.test',
      lastName: 'Ёлкина',
      firstName: 'Анна',
      middleName: 'Юрьевна',
      fullName: 'Ёлкина Анна Юрьевна',
      roles: ['applicant'],
    });
    // Nothing secret leaves the server.
    expect(res.body).not.toContain('argon2');
    expect(res.body).not.toContain('password');
  });

  test('search by name is case-insensitive for Cyrillic, ё included', async () => {
    expect(await search('ёлкина')).toEqual({ emails: ['anna.e@yandex.test'], total: 1 });
    expect(await search('ЁЛКИНА')).toEqual({ emails: ['anna.e@yandex.test'], total: 1 });
    expect(await search('  пЕтРоВ НиК ')).toEqual({ emails: ['nikita.p@example.test'], total: 1 });
    // "петров" is also in the organizer's patronymic, Петровна.
    expect(await search('петров')).toEqual({ emails: ['nikita.p@example.test', 'organizer@konkurs.test'], total: 2 });
    // Part of the full name, across last and first name.
    expect(await search('ёлкина ан')).toEqual({ emails: ['anna.e@yandex.test'], total: 1 });
    expect(await search('юрьевна')).toEqual({ emails: ['anna.e@yandex.test'], total: 1 });
    // "ова" is in Ковалёва and Смирнова.
    expect(await search('ова')).toEqual({ emails: ['organizer@konkurs.test', 'smirnova.olga@mail.test'], total: 2 });
    expect(await search('Сидоров')).toEqual({ emails: [], total: 0 });
  });

  test('search by e-mail, in any letter case', async () => {
    expect(await search('yandex')).toEqual({ emails: ['anna.e@yandex.test'], total: 1 });
    expect(await search('NIKITA.P@')).toEqual({ emails: ['nikita.p@example.test'], total: 1 });
    expect(await search('Organizer@konkurs')).toEqual({ emails: ['organizer@konkurs.test'], total: 1 });
  });

  test('LIKE wildcards in the search are taken literally', async () => {
    expect(await search('%')).toEqual({ emails: [], total: 0 });
    expect(await search('_')).toEqual({ emails: [], total: 0 });
    expect(await search('a%e')).toEqual({ emails: [], total: 0 });
  });

  test('pages with limit and offset; total counts every match', async () => {
    const first = (await listUsers(organizer.cookie, { limit: '2', offset: '0' })).json();
    const second = (await listUsers(organizer.cookie, { limit: '2', offset: '2' })).json();
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect(first.users).toHaveLength(2);
    expect(second.users).toHaveLength(2);
    const ids = [...first.users, ...second.users].map((u: UserJson) => u.id);
    expect(new Set(ids).size).toBe(4);
    const bad = await listUsers(organizer.cookie, { limit: '0' });
    expect(bad.statusCode).toBe(400);
    expect(isRussian(bad.json().error.message)).toBe(true);
  });

  test('an applicant gets 403, an anonymous visitor 401', async () => {
    const forbidden = await listUsers(applicant.cookie);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    expect(isRussian(forbidden.json().error.message)).toBe(true);
    const anonymous = await listUsers(undefined);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    expect(isRussian(anonymous.json().error.message)).toBe(true);
  });
});

describe('PUT /api/users/:id/roles', () => {
  test('an organizer sets the roles of another user; the change is in the audit log with before, after and actor', async () => {
    const res = await setRoles(organizer.cookie, petrov.user.id, ['applicant', 'juror']);
    expect(res.statusCode).toBe(200);
    // Kept in the fixed order of roles, whatever the order sent.
    expect(res.json().user).toMatchObject({ id: petrov.user.id, email: petrov.email, roles: ['juror', 'applicant'] });
    const row = await t.db
      .selectFrom('users')
      .select('roles')
      .where('id', '=', petrov.user.id)
      .executeTakeFirstOrThrow();
    expect(row.roles).toEqual(['juror', 'applicant']);

    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'user')
      .where('entity_id', '=', petrov.user.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: organizer.id,
      action: 'user.roles.set',
      entity: 'user',
      entity_id: petrov.user.id,
      before: { roles: ['applicant'] },
      after: { roles: ['juror', 'applicant'] },
    });
    expect(audit[0].at).toBeInstanceOf(Date);
    // The user's own session sees the new roles at once.
    expect((await me(app, petrov.cookie))?.roles).toEqual(['juror', 'applicant']);
  });

  test('a new organizer can use the organizer pages at once, and loses them at once when demoted', async () => {
    expect((await listUsers(elkina.cookie)).statusCode).toBe(403);
    expect((await setRoles(organizer.cookie, elkina.user.id, ['organizer'])).statusCode).toBe(200);
    expect((await listUsers(elkina.cookie)).statusCode).toBe(200);
    expect((await setRoles(organizer.cookie, elkina.user.id, ['applicant'])).statusCode).toBe(200);
    expect((await listUsers(elkina.cookie)).statusCode).toBe(403);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity_id', '=', elkina.user.id)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { before: { roles: ['applicant'] }, after: { roles: ['organizer'] } },
      { before: { roles: ['organizer'] }, after: { roles: ['applicant'] } },
    ]);
  });

  test('an applicant gets 403 and an anonymous visitor 401; nothing changes', async () => {
    const forbidden = await setRoles(applicant.cookie, applicant.user.id, ['organizer']);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    const anonymous = await setRoles(undefined, applicant.user.id, ['organizer']);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const row = await t.db
      .selectFrom('users')
      .select('roles')
      .where('id', '=', applicant.user.id)
      .executeTakeFirstOrThrow();
    expect(row.roles).toEqual(['applicant']);
    expect(
      await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', applicant.user.id).execute(),
    ).toEqual([]);
  });

  test('an organizer cannot remove their own organizer role (400) but may add other roles to themselves', async () => {
    const res = await setRoles(organizer.cookie, organizer.id, ['juror']);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('own_organizer_role');
    expect(isRussian(error.message)).toBe(true);
    expect(isRussian(error.fields.roles)).toBe(true);
    const row = await t.db.selectFrom('users').select('roles').where('id', '=', organizer.id).executeTakeFirstOrThrow();
    expect(row.roles).toEqual(['organizer']);
    expect((await setRoles(organizer.cookie, organizer.id, [])).statusCode).toBe(400);

    const ok = await setRoles(organizer.cookie, organizer.id, ['juror', 'organizer']);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.roles).toEqual(['organizer', 'juror']);
    await setRoles(organizer.cookie, organizer.id, ['organizer']);
  });

  test('an unknown user → 404 in Russian, and no audit entry', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const res = await setRoles(organizer.cookie, id, ['juror']);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect(res.json().error.message).toBe('Пользователь не найден.');
    expect(await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', id).execute()).toEqual([]);
  });

  test('an id that is not a UUID → 400', async () => {
    const res = await setRoles(organizer.cookie, 'not-a-uuid', ['juror']);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation');
  });

  test('an unknown role → 400 with a Russian message for the roles field; nothing changes', async () => {
    const res = await setRoles(organizer.cookie, applicant.user.id, ['applicant', 'admin']);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation');
    expect(isRussian(error.message)).toBe(true);
    expect(error.fields['roles.1']).toBe('Поле «Роль»: выберите одно из допустимых значений.');
    const fields = Object.keys(error.fields);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      expect(field.startsWith('roles')).toBe(true);
      expect(isRussian(error.fields[field])).toBe(true);
    }
    for (const roles of [['juror', 'juror'], [''], null, { organizer: true }]) {
      const bad = await setRoles(organizer.cookie, applicant.user.id, roles);
      expect(bad.statusCode, JSON.stringify(roles)).toBe(400);
      expect(isRussian(bad.json().error.message)).toBe(true);
    }
    const row = await t.db
      .selectFrom('users')
      .select('roles')
      .where('id', '=', applicant.user.id)
      .executeTakeFirstOrThrow();
    expect(row.roles).toEqual(['applicant']);
  });
});
