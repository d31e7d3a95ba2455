import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { registerUser, type App } from '../helpers/app.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  multipart,
  organizerCookie,
  PNG_1PX,
  validAnswers,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

/**
 * Issue #13, items 9 and 10: the organizer's export opens cleanly in Excel. Reproduced before: a long answer with line
 * breaks split one application into three CSV rows, «=HYPERLINK(…)» became a live formula, «+79001234567» a number;
 * in XLSX numbers and dates were text cells ('840', '22.11.2026 09:41') and attachments had no links.
 */

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let organizer: string;
let contestId: string;
let applicationId: string;
let fileId: string;
let submittedAt: Date;

// Line breaks only: a semicolon or a quote would have made csv-stringify quote the cell anyway.
const ABOUT = 'Первая строка\nвторая строка\nтретья строка';
const FORMULA = '=HYPERLINK("http://evil.example","Нажмите")';

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  organizer = await organizerCookie(app, t.db);
  const contest = await createContestWithForm(app, organizer, h.clock.now());
  contestId = contest.id;
  const { cookie } = await registerUser(app);
  const created = await app.inject({
    method: 'POST',
    url: '/api/applications',
    headers: { cookie },
    payload: { nominationId: contest.nominations[0].id },
  });
  applicationId = created.json().application.id;
  const answers = { ...validAnswers(), org: FORMULA, about: ABOUT, members: '840', founded: '2015-04-21' };
  const saved = await app.inject({
    method: 'PUT',
    url: `/api/applications/${applicationId}/answers`,
    headers: { cookie },
    payload: { answers },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const body = multipart('фото.png', PNG_1PX);
  const uploaded = await app.inject({
    method: 'POST',
    url: `/api/applications/${applicationId}/files?field=photos`,
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  fileId = uploaded.json().file.id;
  const submitted = await app.inject({
    method: 'POST',
    url: `/api/applications/${applicationId}/submit`,
    headers: { cookie },
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  submittedAt = (
    await t.db
      .selectFrom('applications')
      .select('submitted_at')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow()
  ).submitted_at!;
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

const exportAs = (format: 'csv' | 'xlsx') =>
  app.inject({
    method: 'GET',
    url: `/api/contests/${contestId}/applications/export?format=${format}`,
    headers: { cookie: organizer },
  });

describe('CSV export (item 9)', () => {
  test('one application is one row: a long answer with line breaks stays in its quoted cell', async () => {
    const res = await exportAs('csv');
    expect(res.statusCode).toBe(200);
    const rows = parse(res.body, { delimiter: ';', bom: true }) as string[][];
    expect(rows).toHaveLength(2);
    const cell = (header: string) => rows[1][rows[0].indexOf(header)];
    expect(cell('Описание работы')).toBe(ABOUT);
    expect(res.body).toContain(';"Первая строка\nвторая строка\nтретья строка";');
  });

  test('cells that start with = + - @ are neutralised (OWASP), so a phone stays text and a formula stays inert', async () => {
    const rows = parse((await exportAs('csv')).body, { delimiter: ';', bom: true }) as string[][];
    const cell = (header: string) => rows[1][rows[0].indexOf(header)];
    expect(cell('Название ТОС')).toBe(`'${FORMULA}`);
    expect(cell('Телефон')).toBe("'+79001234567");
    // Numbers and dates as a Russian reads them.
    expect(cell('Число жителей')).toBe('840');
    expect(cell('Дата создания ТОС')).toBe('21.04.2015');
    expect(cell('Подана (МСК)')).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
  });
});

describe('XLSX export (item 10)', () => {
  async function sheet() {
    const res = await exportAs('xlsx');
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = workbook.worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    return (header: string) => {
      const i = headers.indexOf(header);
      expect(i, header).toBeGreaterThanOrEqual(0);
      return ws.getRow(2).getCell(i + 1);
    };
  }

  test('numbers are numbers and dates are dates, in Moscow time', async () => {
    const cell = await sheet();
    expect(cell('Число жителей').value).toBe(840);
    expect(cell('Число жителей').type).toBe(ExcelJS.ValueType.Number);

    const founded = cell('Дата создания ТОС');
    expect(founded.type).toBe(ExcelJS.ValueType.Date);
    expect((founded.value as Date).toISOString()).toBe('2015-04-21T00:00:00.000Z');
    expect(founded.numFmt).toBe('dd.mm.yyyy');

    // Excel shows the clock time a date cell holds: the Moscow clock of the instant (UTC+3).
    const submitted = cell('Подана (МСК)');
    expect(submitted.type).toBe(ExcelJS.ValueType.Date);
    expect((submitted.value as Date).getTime() - Math.floor(submittedAt.getTime() / 1000) * 1000).toBe(
      3 * 60 * 60 * 1000,
    );
    expect(submitted.numFmt).toBe('dd.mm.yyyy hh:mm');
  });

  test('attachments and the registration number link to the file and the application; a typed formula stays text', async () => {
    const cell = await sheet();
    expect(cell('Фотографии').value).toEqual({
      text: 'фото.png',
      hyperlink: `http://localhost:3000/api/files/${fileId}`,
    });
    expect(cell('Рег. номер').value).toMatchObject({
      hyperlink: `http://localhost:3000/applications/${applicationId}`,
    });
    const org = cell('Название ТОС');
    expect(org.type).toBe(ExcelJS.ValueType.String);
    expect(org.value).toBe(FORMULA);
    expect(cell('Телефон').value).toBe('+79001234567');
    // The link opens the file for the organizer.
    const file = await app.inject({ method: 'GET', url: `/api/files/${fileId}`, headers: { cookie: organizer } });
    expect(file.statusCode).toBe(200);
  });
});
