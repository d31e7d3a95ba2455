import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  DAY,
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
let contest: { id: string; slug: string; nominations: Array<{ id: string; title: string }> };

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  organizer = await organizerCookie(app, t.db);
  contest = await createContestWithForm(app, organizer, h.clock.now());
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

async function start(cookie: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/applications',
    headers: { cookie },
    payload: { nominationId: contest.nominations[0].id },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().application.id as string;
}
const put = (cookie: string, id: string, answers: unknown) =>
  app.inject({ method: 'PUT', url: `/api/applications/${id}/answers`, headers: { cookie }, payload: { answers } });
async function submitted(cookie: string) {
  const id = await start(cookie);
  await put(cookie, id, validAnswers());
  const body = multipart('фото.png', PNG_1PX);
  await app.inject({
    method: 'POST',
    url: `/api/applications/${id}/files?field=photos`,
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
  const res = await app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().application as { id: string; registrationNumber: string };
}
const list = async (query = '') => {
  const res = await app.inject({
    method: 'GET',
    url: `/api/contests/${contest.id}/applications${query}`,
    headers: { cookie: organizer },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    applications: { id: string; status: string; missing: string[]; applicant: { email: string } }[];
    counts: { byStatus: Record<string, number> };
  };
};

describe("the organizer's list of applications", () => {
  let ivanova: Awaited<ReturnType<typeof registerUser>>;
  let petrov: Awaited<ReturnType<typeof registerUser>>;
  let draftId: string;
  let emptyDraftId: string;
  let filed: { id: string; registrationNumber: string };

  beforeAll(async () => {
    ivanova = await registerUser(app, { lastName: 'Иванова', firstName: 'Мария', middleName: 'Петровна' });
    petrov = await registerUser(app, { lastName: 'Петров', firstName: 'Олег', middleName: null });
    const third = await registerUser(app, { lastName: 'Сидоров', firstName: 'Иван', middleName: null });
    draftId = await start(ivanova.cookie);
    await put(ivanova.cookie, draftId, { org: 'ТОС «Родник»', phone: '8 900 123-45-67' });
    emptyDraftId = await start(third.cookie);
    filed = await submitted(petrov.cookie);
  });

  test('shows drafts with the required fields they still lack; ?status=draft agrees with the counts', async () => {
    const all = await list();
    expect(all.applications.map((a) => a.id).sort()).toEqual([draftId, emptyDraftId, filed.id].sort());
    const drafts = await list('?status=draft');
    expect(drafts.applications.map((a) => a.id).sort()).toEqual([draftId, emptyDraftId].sort());
    expect(drafts.applications).toHaveLength(all.counts.byStatus.draft);
    const draft = drafts.applications.find((a) => a.id === draftId)!;
    expect(draft.missing).toEqual([
      'Описание работы',
      'Муниципальное образование',
      'Фотографии',
      'Согласие на обработку персональных данных',
    ]);
    expect(all.applications.find((a) => a.id === filed.id)!.missing).toEqual([]);
    expect(draft.applicant.email).toBe(ivanova.email);
  });

  test('searches by a part of the name, the registration number or the e-mail, in any case', async () => {
    const ids = async (q: string) => (await list(`?q=${encodeURIComponent(q)}`)).applications.map((a) => a.id);
    expect(await ids('иванова')).toEqual([draftId]);
    expect(await ids('Мария Петровна')).toEqual([draftId]);
    expect(await ids('Иванова Мария')).toEqual([draftId]);
    expect(await ids(filed.registrationNumber.toLowerCase())).toEqual([filed.id]);
    expect(await ids(petrov.email.toUpperCase())).toEqual([filed.id]);
    expect(await ids('нет-такого')).toEqual([]);
    // % and _ are letters here, not patterns.
    expect(await ids('%')).toEqual([]);
    expect((await list(`?status=draft&q=${encodeURIComponent('олег')}`)).applications.map((a) => a.id)).toEqual([]);
  });

  test('the export still leaves drafts out unless asked for them', async () => {
    const csv = async (q: string) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/contests/${contest.id}/applications/export?format=csv${q}`,
          headers: { cookie: organizer },
        })
      ).body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
    expect(await csv('')).toHaveLength(2);
    expect(await csv('&status=draft')).toHaveLength(3);
  });

  test('the application shows the applicant its e-mail to the organizer', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/applications/${draftId}`,
      headers: { cookie: organizer },
    });
    expect(res.json().application.applicant.email).toBe(ivanova.email);
  });
});

describe('individual extensions', () => {
  const extend = (id: string, until: string | null) =>
    app.inject({
      method: 'PUT',
      url: `/api/applications/${id}/extension`,
      headers: { cookie: organizer },
      payload: { until },
    });
  const later = () => new Date(h.clock.now().getTime() + 30 * DAY).toISOString();

  test('a draft, a submitted and a returned application can be extended', async () => {
    const p = await registerUser(app);
    const id = await start(p.cookie);
    const res = await extend(id, later());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().application.extendedUntil).toBe(later());
  });

  test('accepted, rejected or withdrawn ones are refused with a Russian message, nothing changed', async () => {
    const accepted = await submitted((await registerUser(app)).cookie);
    await app.inject({
      method: 'POST',
      url: `/api/applications/${accepted.id}/decision`,
      headers: { cookie: organizer },
      payload: { action: 'accept' },
    });
    const rejected = await submitted((await registerUser(app)).cookie);
    await app.inject({
      method: 'POST',
      url: `/api/applications/${rejected.id}/decision`,
      headers: { cookie: organizer },
      payload: { action: 'reject', comment: 'Не по теме.' },
    });
    const w = await registerUser(app);
    const withdrawn = await start(w.cookie);
    await app.inject({
      method: 'POST',
      url: `/api/applications/${withdrawn}/withdraw`,
      headers: { cookie: w.cookie },
      payload: {},
    });
    for (const [id, label] of [
      [accepted.id, 'Принята'],
      [rejected.id, 'Отклонена'],
      [withdrawn, 'Отозвана'],
    ]) {
      const res = await extend(id, later());
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(`в статусе «${label}» нельзя`);
      const row = await t.db
        .selectFrom('applications')
        .select('extended_until')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.extended_until).toBeNull();
    }
  });
});
