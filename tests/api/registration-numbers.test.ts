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

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let organizer: string;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  organizer = await organizerCookie(app, t.db);
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

/** A complete application ready to submit in the contest's first nomination. */
async function ready(nominationId: string) {
  const { cookie } = await registerUser(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/applications',
    headers: { cookie },
    payload: { nominationId },
  });
  const id = res.json().application.id as string;
  await app.inject({
    method: 'PUT',
    url: `/api/applications/${id}/answers`,
    headers: { cookie },
    payload: { answers: validAnswers() },
  });
  const body = multipart('фото.png', PNG_1PX);
  await app.inject({
    method: 'POST',
    url: `/api/applications/${id}/files?field=photos`,
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
  return { id, cookie };
}
const submit = async (a: { id: string; cookie: string }) => {
  const res = await app.inject({
    method: 'POST',
    url: `/api/applications/${a.id}/submit`,
    headers: { cookie: a.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().application.registrationNumber as string;
};

describe('registration numbers are unique in the organisation', () => {
  test('two contests with the same prefix and year share one sequence; another prefix has its own', async () => {
    const now = h.clock.now();
    const year = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'Europe/Moscow', year: 'numeric' }).format(
        new Date(now.getTime() + 10 * 86400000),
      ),
    );
    const a = await createContestWithForm(app, organizer, now, { numberPrefix: 'ОДН' });
    const b = await createContestWithForm(app, organizer, now, { numberPrefix: 'ОДН' });
    const c = await createContestWithForm(app, organizer, now, { numberPrefix: 'ДРУГ' });
    expect(await submit(await ready(a.nominations[0].id))).toBe(`ОДН-${year}-001`);
    expect(await submit(await ready(b.nominations[0].id))).toBe(`ОДН-${year}-002`);
    expect(await submit(await ready(a.nominations[1].id))).toBe(`ОДН-${year}-003`);
    expect(await submit(await ready(c.nominations[0].id))).toBe(`ДРУГ-${year}-001`);
  });

  test('submissions at the same moment across contests get distinct, consecutive numbers', async () => {
    const now = h.clock.now();
    const a = await createContestWithForm(app, organizer, now, { numberPrefix: 'ПАР' });
    const b = await createContestWithForm(app, organizer, now, { numberPrefix: 'ПАР' });
    const apps = [];
    for (let i = 0; i < 8; i++) apps.push(await ready((i % 2 ? a : b).nominations[i % 4 < 2 ? 0 : 1].id));
    const numbers = await Promise.all(apps.map(submit));
    expect(new Set(numbers).size).toBe(8);
    expect(numbers.map((n) => Number(n.split('-').at(-1))).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('the database refuses a number given twice', async () => {
    const rows = await t.db
      .selectFrom('applications')
      .select(['id', 'registration_number'])
      .where('registration_number', 'is not', null)
      .limit(2)
      .execute();
    await expect(
      t.db
        .updateTable('applications')
        .set({ registration_number: rows[0].registration_number })
        .where('id', '=', rows[1].id)
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});
