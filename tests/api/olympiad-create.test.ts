import { describe, expect, test } from 'vitest';
import type { TestDb } from '../helpers/db.ts';
import { createUserInDb, signIn, uniqueIp, type App } from '../helpers/app.ts';
import { createOlympiad, enrolStudents, importTasks } from '../helpers/olympiad.ts';
import { withOrganizer } from '../helpers/suite.ts';

let t: TestDb;
let app: App;
let organizer: string;
let organizerId: string;

withOrganizer((s) => ({ t, app, organizer, organizerId } = s));

const HOUR = 60 * 60 * 1000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

function body(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Олимпиада по праву',
    description: 'Для старшеклассников.',
    grades: [10, 11],
    windowStartAt: inHours(24),
    windowEndAt: inHours(30),
    timeLimitMinutes: 120,
    ...overrides,
  };
}

const create = (payload: object, cookie = organizer) =>
  app.inject({ method: 'POST', url: '/api/olympiads', headers: { cookie }, payload });
const update = (id: string, payload: object, cookie = organizer) =>
  app.inject({ method: 'PUT', url: `/api/olympiads/${id}`, headers: { cookie }, payload });
const detail = async (id: string) =>
  (await app.inject({ method: 'GET', url: `/api/olympiads/${id}`, headers: { cookie: organizer } })).json().olympiad;

describe('who may create and edit', () => {
  test('anonymous 401, an applicant 403, and nothing is created', async () => {
    const anonymous = await app.inject({ method: 'POST', url: '/api/olympiads', payload: body() });
    expect(anonymous.statusCode).toBe(401);
    const applicant = await createUserInDb(t.db, { roles: ['applicant'] });
    const cookie = await signIn(app, applicant.email, applicant.password, { ip: uniqueIp() });
    expect((await create(body(), cookie)).statusCode).toBe(403);
    const id = await createOlympiad(t.db);
    expect((await update(id, body({ title: 'Чужая правка' }), cookie)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/olympiads/${id}`, headers: { cookie } })).statusCode).toBe(
      403,
    );
    expect(await t.db.selectFrom('olympiads').select('id').where('title', '=', 'Чужая правка').execute()).toEqual([]);
  });
});

describe('POST /api/olympiads', () => {
  test('creates the olympiad (201), which GET /api/events lists with its dates, and audits it', async () => {
    const sent = body({ title: 'Олимпиада по обществознанию', grades: [11, 9, 10], description: undefined });
    const res = await create(sent);
    expect(res.statusCode).toBe(201);
    const { olympiad } = res.json();
    expect(olympiad).toMatchObject({
      title: 'Олимпиада по обществознанию',
      slug: 'olimpiada-po-obshchestvoznaniyu',
      description: '',
      grades: [9, 10, 11],
      windowStartAt: sent.windowStartAt,
      windowEndAt: sent.windowEndAt,
      timeLimitMinutes: 120,
      resultsPublishedAt: null,
      attemptsStarted: false,
    });

    const events = (await app.inject({ method: 'GET', url: '/api/events' })).json();
    const listed = events.olympiads.find((o: { id: string }) => o.id === olympiad.id);
    expect(listed).toMatchObject({
      title: 'Олимпиада по обществознанию',
      phase: 'upcoming',
      windowStartAt: sent.windowStartAt,
      windowEndAt: sent.windowEndAt,
      timeLimitMinutes: 120,
      grades: [9, 10, 11],
    });

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'after'])
      .where('entity_id', '=', olympiad.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'olympiad.create',
        actor_id: organizerId,
        after: expect.objectContaining({ title: 'Олимпиада по обществознанию' }),
      },
    ]);
  });

  test('two olympiads with one title get different slugs', async () => {
    const first = (await create(body({ title: 'Олимпиада «Юный юрист»' }))).json().olympiad;
    const second = (await create(body({ title: 'Олимпиада «Юный юрист»' }))).json().olympiad;
    const third = (await create(body({ title: 'Олимпиада «Юный юрист»' }))).json().olympiad;
    expect(first.slug).toBe('olimpiada-yunyy-yurist');
    expect(second.slug).toBe('olimpiada-yunyy-yurist-2');
    expect(third.slug).toBe('olimpiada-yunyy-yurist-3');
  });

  test('the window must end after it starts', async () => {
    const res = await create(body({ windowStartAt: inHours(30), windowEndAt: inHours(24) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.windowEndAt).toMatch(/^Окончание олимпиады должно быть позже/);
    expect(res.json().error.message).toContain('Окончание олимпиады');
  });

  test('an olympiad cannot start in the past (a minute of grace for the form)', async () => {
    const res = await create(body({ windowStartAt: inHours(-1) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.windowStartAt).toMatch(/в прошлом/);
    expect((await create(body({ windowStartAt: new Date(Date.now() - 20_000).toISOString() }))).statusCode).toBe(201);
  });

  test('an empty title is named by its Russian title', async () => {
    const res = await create(body({ title: '' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.title).toBe('Заполните поле «Название олимпиады».');
  });

  test('grades must be 1..11, at least one, each once; the time limit 5..600', async () => {
    for (const grades of [[12], [0, 10], [], [10, 10]]) {
      const res = await create(body({ grades }));
      expect(res.statusCode, JSON.stringify(grades)).toBe(400);
      expect(Object.keys(res.json().error.fields).join(), JSON.stringify(grades)).toMatch(/^grades/);
      expect(res.json().error.message).toContain('«Классы»');
    }
    const limit = await create(body({ timeLimitMinutes: 601 }));
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.fields.timeLimitMinutes).toMatch(/не больше 600/);
  });
});

describe('PUT /api/olympiads/:olympiadId', () => {
  test('before anyone starts, everything can change; audited with before and after', async () => {
    const { olympiad } = (await create(body())).json();
    const res = await update(
      olympiad.id,
      body({
        title: 'Олимпиада по праву (муниципальный этап)',
        grades: [9],
        windowStartAt: inHours(48),
        windowEndAt: inHours(50),
        timeLimitMinutes: 60,
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().olympiad).toMatchObject({
      title: 'Олимпиада по праву (муниципальный этап)',
      slug: olympiad.slug,
      grades: [9],
      timeLimitMinutes: 60,
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity_id', '=', olympiad.id)
      .where('action', '=', 'olympiad.update')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ title: 'Олимпиада по праву', timeLimitMinutes: 120 });
    expect(audit.after).toMatchObject({ title: 'Олимпиада по праву (муниципальный этап)', timeLimitMinutes: 60 });
  });

  test('404 for an unknown olympiad; the same rules as on creation', async () => {
    expect((await update('00000000-0000-4000-8000-000000000000', body())).statusCode).toBe(404);
    const { olympiad } = (await create(body())).json();
    const res = await update(olympiad.id, body({ windowEndAt: olympiad.windowStartAt }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.windowEndAt).toMatch(/^Окончание олимпиады/);
  });

  test('once an attempt has started: title yes; time limit, grades and start 409; the end only later', async () => {
    const id = await createOlympiad(t.db);
    await importTasks(app, organizer, id);
    const [student] = await enrolStudents(app, organizer, id, 1);
    expect(
      (await app.inject({ method: 'POST', url: `/api/olympiads/${id}/attempt`, headers: { cookie: student.cookie } }))
        .statusCode,
    ).toBe(200);
    const current = await detail(id);
    expect(current.attemptsStarted).toBe(true);
    const same = {
      title: current.title,
      description: current.description,
      grades: current.grades,
      windowStartAt: current.windowStartAt,
      windowEndAt: current.windowEndAt,
      timeLimitMinutes: current.timeLimitMinutes,
    };

    const renamed = await update(id, { ...same, title: 'Новое название', description: 'Новое описание' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().olympiad).toMatchObject({ title: 'Новое название', description: 'Новое описание' });

    const limit = await update(id, { ...same, timeLimitMinutes: current.timeLimitMinutes + 30 });
    expect(limit.statusCode).toBe(409);
    expect(Object.keys(limit.json().error.fields)).toEqual(['timeLimitMinutes']);

    const grades = await update(id, { ...same, grades: [9, 10, 11] });
    expect(grades.statusCode).toBe(409);
    expect(Object.keys(grades.json().error.fields)).toEqual(['grades']);

    const start = await update(id, { ...same, windowStartAt: inHours(-2) });
    expect(start.statusCode).toBe(409);
    expect(Object.keys(start.json().error.fields)).toEqual(['windowStartAt']);

    const earlier = await update(id, { ...same, windowEndAt: inHours(12) });
    expect(earlier.statusCode).toBe(409);
    expect(earlier.json().error.fields.windowEndAt).toMatch(/позднее/);

    const later = await update(id, { ...same, windowEndAt: inHours(48) });
    expect(later.statusCode).toBe(200);
    expect(new Date(later.json().olympiad.windowEndAt).getTime()).toBeGreaterThan(
      new Date(current.windowEndAt).getTime(),
    );
    expect((await detail(id)).timeLimitMinutes).toBe(current.timeLimitMinutes);
  });

  test('after publication the window cannot change at all, the title can', async () => {
    const id = await createOlympiad(t.db, {
      windowStartAt: new Date(Date.now() - 3 * HOUR),
      windowEndAt: new Date(Date.now() - HOUR),
    });
    await t.db.updateTable('olympiads').set({ results_published_at: new Date() }).where('id', '=', id).execute();
    const current = await detail(id);
    const same = {
      title: current.title,
      grades: current.grades,
      windowStartAt: current.windowStartAt,
      windowEndAt: current.windowEndAt,
      timeLimitMinutes: current.timeLimitMinutes,
    };
    const later = await update(id, { ...same, windowEndAt: inHours(1) });
    expect(later.statusCode).toBe(409);
    expect(later.json().error.fields.windowEndAt).toMatch(/опубликованы/);
    expect((await update(id, { ...same, title: 'Итоги подведены' })).statusCode).toBe(200);
  });
});
