import { describe, expect, test } from 'vitest';
import { createUserInDb, signIn, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { createOlympiad, multipartFile } from '../helpers/olympiad.ts';
import { windowText } from '../../server/src/modules/olympiad/access/access-slips.ts';
import { pdfFonts, pdfPageCount, pdfText } from '../helpers/pdf.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

const LYCEUM = 'МБОУ «Лицей № 1 им. академика Б. Н. Петрова» г. Смоленска';
const SCHOOL = 'МБОУ «Средняя школа № 33» г. Смоленска';

describe('access slips', () => {
  test("the organizer prints every participant's code, 8 slips a page, each school on pages of its own; or one school only", async () => {
    const olympiadId = await createOlympiad(t.db);
    const lines = ['ФИО;Школа;Класс'];
    for (let i = 0; i < 9; i++) lines.push(`Лицеистова${i} Анна Сергеевна;${LYCEUM};10А`);
    for (let i = 0; i < 3; i++) lines.push(`Школьников${i} Пётр Ильич;${SCHOOL};11Б`);
    const { payload, headers } = multipartFile('roster.csv', lines.join('\n'));
    const imported = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/participants/import`,
      headers: { ...headers, cookie: organizer },
      payload,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const added = imported.json().added as { fullName: string; accessCode: string; school: string }[];

    const res = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/access-slips.pdf`,
      headers: { cookie: organizer },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    // 9 lyceum slips take 2 pages, the school's 3 a third.
    expect(pdfPageCount(res.rawPayload)).toBe(3);
    const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
    for (const p of added) {
      expect(text).toContain(p.fullName);
      expect(text).toContain(p.accessCode);
    }
    expect(text).toContain('Где: http://localhost:3000/code');
    expect(text).toContain('Олимпиада по основам местного самоуправления');
    // When: the olympiad's window in Moscow time, and the time limit.
    const o = await t.db
      .selectFrom('olympiads')
      .select(['window_start_at', 'window_end_at', 'time_limit_minutes'])
      .where('id', '=', olympiadId)
      .executeTakeFirstOrThrow();
    const when = `Когда: ${windowText(o.window_start_at, o.window_end_at)} На работу: ${o.time_limit_minutes} мин с начала`;
    expect(when).toMatch(/\d\d\.\d\d\.\d{4}.*\d\d:\d\d.*\(МСК\)/);
    expect(text).toContain(when);
    // Every font is embedded, the code's too (the standard Courier-Bold was not).
    const fonts = pdfFonts(res.rawPayload);
    expect(fonts.map((f) => f.name).join(' ')).toContain('PTMono');
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);

    const one = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/access-slips.pdf?school=${encodeURIComponent(SCHOOL)}`,
      headers: { cookie: organizer },
    });
    expect(one.statusCode).toBe(200);
    expect(pdfPageCount(one.rawPayload)).toBe(1);
    const oneText = pdfText(one.rawPayload);
    expect(oneText).toContain('Школьников0');
    expect(oneText).not.toContain('Лицеистова');

    const none = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/access-slips.pdf?school=${encodeURIComponent('Нет такой')}`,
      headers: { cookie: organizer },
    });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toContain('нет участников');
  });

  test('only the organizer prints slips', async () => {
    const olympiadId = await createOlympiad(t.db);
    const juror = await createUserInDb(t.db, { roles: ['juror'] });
    const cookie = await signIn(app, juror.email, juror.password);
    expect(
      (await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/access-slips.pdf`, headers: { cookie } }))
        .statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/access-slips.pdf` })).statusCode).toBe(
      401,
    );
  });
});
