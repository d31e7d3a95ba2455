import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
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
import { pdfText } from '../helpers/pdf.ts';

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

describe('a printable PDF of a submitted application', () => {
  test('answers, attachments with sizes, number, Moscow time, signature; applicant and organizer only', async () => {
    h.clock.set(new Date('2026-11-22T06:41:00Z'));
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const applicant = await registerUser(app, { lastName: 'Петрова', firstName: 'Анна', middleName: 'Ивановна' });
    const { cookie } = applicant;
    const start = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie },
      payload: { nominationId: c.nominations[0].id },
    });
    const id = start.json().application.id as string;
    const print = (who?: string) =>
      app.inject({ method: 'GET', url: `/api/applications/${id}/print.pdf`, headers: who ? { cookie: who } : {} });
    await app.inject({
      method: 'PUT',
      url: `/api/applications/${id}/answers`,
      headers: { cookie },
      payload: { answers: { ...validAnswers(), about: 'Первая строка.\nВторая строка.' } },
    });
    const body = multipart('фото-двора.png', PNG_1PX);
    await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/files?field=photos`,
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });
    // A draft is not printed yet.
    expect((await print(cookie)).statusCode).toBe(409);
    const submitted = await app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: { cookie } });
    const number = submitted.json().application.registrationNumber as string;

    const res = await print(cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, res.rawPayload);
    const text = pdfText(res.rawPayload);
    expect(text).toContain(`Заявка ${number}`);
    expect(text).toContain('Петрова Анна Ивановна');
    expect(text).toContain('22.11.2026 09:41 (МСК)');
    expect(text).toContain('ТОС «Родник»');
    expect(text).toMatch(/Первая строка\.\s*\n\s*Вторая строка\./);
    expect(text).toContain('фото-двора.png — 1 КБ');
    expect(text).toContain('Вяземский');
    expect(text).toContain('подпись');

    expect((await print(organizer)).statusCode).toBe(200);
    expect((await print()).statusCode).toBe(401);
    const other = await registerUser(app);
    expect((await print(other.cookie)).statusCode).toBe(404);
  });
});
