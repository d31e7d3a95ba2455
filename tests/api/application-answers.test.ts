import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  multipart,
  organizerCookie,
  PNG_1PX,
  validAnswers,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';

// Issue #13, item 12: what an applicant types wrongly is refused at its field and not stored.
let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let contest: { id: string; nominations: Array<{ id: string }> };

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  // 10:00 in Moscow: the day is the same there and in UTC.
  h.clock.set(new Date('2026-12-01T07:00:00Z'));
  contest = await createContestWithForm(app, await organizerCookie(app, t.db), h.clock.now());
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

async function draft() {
  const { cookie } = await registerUser(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/applications',
    headers: { cookie },
    payload: { nominationId: contest.nominations[0].id },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { cookie, id: res.json().application.id as string };
}

const put = (cookie: string, id: string, answers: Record<string, unknown>) =>
  app.inject({ method: 'PUT', url: `/api/applications/${id}/answers`, headers: { cookie }, payload: { answers } });
const stored = async (id: string) =>
  (await t.db.selectFrom('applications').select('answers').where('id', '=', id).executeTakeFirstOrThrow()).answers;

describe('a wrong answer is refused at its field, nothing of it stored', () => {
  test('«около тысячи» in a number field: refused naming the field in Russian; the other answers are saved', async () => {
    const { cookie, id } = await draft();
    const res = await put(cookie, id, { org: 'ТОС «Родник»', members: 'около тысячи' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().refused).toEqual({ members: 'Поле «Число жителей»: введите число, например 12 или 3,5.' });
    expect(await stored(id)).toEqual({ org: 'ТОС «Родник»' });
    expect(res.json().application.answers).toEqual({ org: 'ТОС «Родник»' });
  });

  test('a refused answer leaves the one saved before in place', async () => {
    const { cookie, id } = await draft();
    expect((await put(cookie, id, { members: '840' })).json().refused).toEqual({});
    const res = await put(cookie, id, { members: 'около тысячи' });
    expect(Object.keys(res.json().refused)).toEqual(['members']);
    expect(await stored(id)).toEqual({ members: '840' });
  });

  test('a founding date in the future is refused at its field; today and earlier are taken', async () => {
    const { cookie, id } = await draft();
    const tomorrow = await put(cookie, id, { founded: '2026-12-02' });
    expect(tomorrow.json().refused).toEqual({
      founded: 'Поле «Дата создания ТОС»: дата не может быть позже сегодняшней.',
    });
    expect(await stored(id)).toEqual({});
    expect((await put(cookie, id, { founded: '2026-12-01' })).json().refused).toEqual({});
    expect(await stored(id)).toEqual({ founded: '2026-12-01' });
  });

  test('submission refuses a future date stored before the rule (an older page), naming the field', async () => {
    const { cookie, id } = await draft();
    await put(cookie, id, validAnswers());
    const body = multipart('фото.png', PNG_1PX);
    const file = await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/files?field=photos`,
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });
    expect(file.statusCode, file.body).toBe(201);
    await t.db
      .updateTable('applications')
      .set({ answers: JSON.stringify({ ...(await stored(id)), founded: '2027-03-01' }) })
      .where('id', '=', id)
      .execute();
    const res = await app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields).toEqual({
      founded: 'Поле «Дата создания ТОС»: дата не может быть позже сегодняшней.',
    });
  });
});
