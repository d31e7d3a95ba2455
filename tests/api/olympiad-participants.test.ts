import { describe, expect, test } from 'vitest';
import { toXlsx } from '../../server/src/lib/spreadsheet.ts';
import { ACCESS_CODE_LIMITS } from '../../server/src/modules/auth/throttle.ts';
import { ROSTER_MAX_ROWS } from '../../server/src/modules/olympiad/participants/participant-service.ts';
import { me, registerUser, uniqueIp, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { createOlympiad, multipartFile } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

async function upload(olympiadId: string, filename: string, data: Buffer | string, cookie = organizer) {
  const { payload, headers } = multipartFile(filename, data);
  return app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/participants/import`,
    headers: { ...headers, cookie },
    payload,
  });
}

const CSV = [
  'ФИО;Школа;Класс',
  'Петров Никита Алексеевич;МБОУ «СШ № 1»;10А',
  'Ёлкина Анна;МБОУ «СШ № 2»;11 б',
  'Сидоров;МБОУ «СШ № 1»;10А',
  'Кузнецова Мария Ивановна;;10',
  'Орлов Илья Петрович;МБОУ «СШ № 3»;9В',
  'Смирнов Олег Олегович;МБОУ «СШ № 3»;десятый',
  'Петров Никита Алексеевич;МБОУ «СШ № 1»;10Б',
].join('\n');

describe('roster import', () => {
  test('adds the valid rows with access codes and шифры and reports each refused row with its reason', async () => {
    const olympiadId = await createOlympiad(t.db, { grades: [10, 11] });
    const res = await upload(olympiadId, 'список.csv', CSV);
    expect(res.statusCode, res.body).toBe(200);
    const { added, refused } = res.json();
    expect(added.map((p: { fullName: string }) => p.fullName).sort()).toEqual([
      'Ёлкина Анна',
      'Петров Никита Алексеевич',
    ]);
    const elkina = added.find((p: { fullName: string }) => p.fullName === 'Ёлкина Анна');
    expect(elkina).toMatchObject({ school: 'МБОУ «СШ № 2»', grade: 11, className: '11Б', attempt: 'none' });
    for (const p of added) {
      expect(p.accessCode).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
      expect(p.cipher).toMatch(/^\d{4}-[А-Я]{2}$/);
    }
    expect(new Set(added.map((p: { accessCode: string }) => p.accessCode)).size).toBe(2);
    expect(refused.map((r: { row: number }) => r.row)).toEqual([4, 5, 6, 7, 8]);
    const reason = (row: number) => refused.find((r: { row: number }) => r.row === row).reason;
    expect(reason(4)).toContain('фамилию и имя');
    expect(reason(5)).toBe('Не указана школа.');
    expect(reason(6)).toContain('для 10, 11 классов');
    expect(reason(7)).toContain('не распознан');
    expect(reason(8)).toContain('уже есть в списке');
    expect(refused[0].text).toContain('Сидоров');

    const again = await upload(olympiadId, 'список.csv', CSV);
    expect(again.json().added).toEqual([]);
    const list = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/participants`,
      headers: { cookie: organizer },
    });
    expect(list.json().participants).toHaveLength(2);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'olympiad.roster.import')
      .where('entity_id', '=', olympiadId)
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0].after).toMatchObject({ added: 2, refused: 5 });
  });

  test('reads an XLSX roster with a separate letter column', async () => {
    const olympiadId = await createOlympiad(t.db);
    type Row = [string, string, number, string];
    const rows: Row[] = [
      ['Иванов Иван Иванович', 'Гимназия № 4', 10, 'в'],
      ['Павлова Вера', 'Лицей № 1', 11, ''],
    ];
    const xlsx = await toXlsx(
      'Участники',
      [
        { header: 'ФИО', value: (r: Row) => r[0] },
        { header: 'Образовательная организация', value: (r: Row) => r[1] },
        { header: 'Класс', value: (r: Row) => r[2] },
        { header: 'Буква', value: (r: Row) => r[3] },
      ],
      rows,
    );
    const res = await upload(olympiadId, 'roster.xlsx', xlsx);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .added.map((p: { className: string }) => p.className)
        .sort(),
    ).toEqual(['10В', '11']);
    expect(res.json().refused).toEqual([]);
  });

  test('a file without the needed columns, in another encoding, empty or missing is refused in Russian and adds nobody', async () => {
    const olympiadId = await createOlympiad(t.db);
    const noColumns = await upload(olympiadId, 'x.csv', 'Имя;Возраст\nАнна;16');
    expect(noColumns.statusCode).toBe(400);
    expect(noColumns.json().error.message).toContain('«ФИО»');
    const cp1251 = await upload(olympiadId, 'x.csv', Buffer.from([0xd4, 0xc8, 0xce, 0x3b, 0x0a]));
    expect(cp1251.statusCode).toBe(400);
    expect(cp1251.json().error.fields.file).toContain('UTF-8');
    const headerOnly = await upload(olympiadId, 'x.csv', 'ФИО;Школа;Класс\n');
    expect(headerOnly.statusCode).toBe(400);
    const noFile = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/participants/import`,
      headers: { cookie: organizer, 'content-type': 'application/json' },
      payload: {},
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.fields.file).toContain('Выберите файл');
    const list = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/participants`,
      headers: { cookie: organizer },
    });
    expect(list.json().participants).toEqual([]);
  });

  test('a long roster is added whole, in parts each audited, with unique codes and шифры; loading it again adds nobody', async () => {
    const olympiadId = await createOlympiad(t.db, { grades: [10, 11] });
    const lines = [
      'ФИО;Школа;Класс',
      ...Array.from({ length: 1200 }, (_, i) => `Длинная${i} Анна;Школа № ${i % 40};${10 + (i % 2)}`),
    ];
    const res = await upload(olympiadId, 'all.csv', lines.join('\n'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().added).toHaveLength(1200);
    expect(new Set(res.json().added.map((p: { cipher: string }) => p.cipher)).size).toBe(1200);
    expect(new Set(res.json().added.map((p: { accessCode: string }) => p.accessCode)).size).toBe(1200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'olympiad.roster.import')
      .where('entity_id', '=', olympiadId)
      .orderBy('id')
      .execute();
    const parts = audit.map((a) => a.after as { part: number; parts: number });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i + 1));
    expect(parts.every((p) => p.parts === parts.length)).toBe(true);
    expect(audit.reduce((sum, a) => sum + (a.after as { added: number }).added, 0)).toBe(1200);
    const again = await upload(olympiadId, 'all.csv', lines.join('\n'));
    expect(again.json().added).toEqual([]);
    expect(again.json().refused).toHaveLength(1200);
  });

  test(`a roster longer than ${ROSTER_MAX_ROWS.toLocaleString('ru-RU')} rows is refused with a Russian message, CSV and XLSX alike`, async () => {
    const olympiadId = await createOlympiad(t.db, { grades: [10] });
    const people = Array.from({ length: ROSTER_MAX_ROWS + 1 }, (_, i) => ({
      name: `Лишняя${i} Анна`,
      school: 'Школа',
      grade: '10',
    }));
    const csv = ['ФИО;Школа;Класс', ...people.map((p) => `${p.name};${p.school};${p.grade}`)].join('\n');
    const xlsx = await toXlsx(
      'Список',
      [
        { header: 'ФИО', value: (p: (typeof people)[0]) => p.name },
        { header: 'Школа', value: (p) => p.school },
        { header: 'Класс', value: (p) => p.grade },
      ],
      people,
    );
    for (const [name, data] of [
      ['long.csv', csv],
      ['long.xlsx', xlsx],
    ] as const) {
      const res = await upload(olympiadId, name, data);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.fields.file).toMatch(
        /^В таблице больше 20\s000 строк\. Разделите её на несколько файлов и загрузите их по очереди\.$/,
      );
    }
    expect(
      await t.db.selectFrom('olympiad_participants').select('id').where('olympiad_id', '=', olympiadId).execute(),
    ).toEqual([]);
  }, 120_000);

  test('an XLSX whose later rows are wider than its header is read in full', async () => {
    const olympiadId = await createOlympiad(t.db, { grades: [10] });
    const rows = [
      { a: 'Широкая Анна', b: 'Школа № 5', c: '10', d: '' },
      { a: 'Широкий Пётр', b: 'Школа № 5', c: '10', d: 'примечание' },
    ];
    const xlsx = await toXlsx(
      'Список',
      [
        { header: 'ФИО', value: (r: (typeof rows)[0]) => r.a },
        { header: 'Школа', value: (r) => r.b },
        { header: 'Класс', value: (r) => r.c },
        { header: '', value: (r) => r.d },
      ],
      rows,
    );
    const res = await upload(olympiadId, 'wide.xlsx', xlsx);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().added).toHaveLength(2);
  });

  test('only an organizer imports or lists participants', async () => {
    const olympiadId = await createOlympiad(t.db);
    const applicant = await registerUser(app);
    expect((await upload(olympiadId, 'x.csv', CSV, applicant.cookie)).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/olympiads/${olympiadId}/participants`,
          headers: { cookie: applicant.cookie },
        })
      ).statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/participants` })).statusCode).toBe(
      401,
    );
  });
});

describe('sign-in with an access code', () => {
  test('opens a student session however the code is typed; a wrong code gets a Russian message', async () => {
    const olympiadId = await createOlympiad(t.db);
    const res = await upload(olympiadId, 'x.csv', 'ФИО;Школа;Класс\nГромова Дарья Олеговна;СШ № 7;10');
    const { accessCode } = res.json().added[0];
    const cyrillic = accessCode.toLowerCase().replace('-', ' ').replace(/a/g, 'а').replace(/e/g, 'е');
    for (const typed of [accessCode, cyrillic, accessCode.replace('-', '')]) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/access-code',
        payload: { code: `  ${typed} ` },
        remoteAddress: uniqueIp(),
      });
      expect(login.statusCode, typed).toBe(200);
      expect(login.json()).toMatchObject({
        olympiadId,
        user: { fullName: 'Громова Дарья Олеговна', roles: ['student'] },
      });
      const cookie = String(
        ([] as string[]).concat(login.headers['set-cookie'] as string[]).find((l) => l.startsWith('konkurs_session=')),
      ).split(';')[0];
      expect((await me(app, cookie))?.fullName).toBe('Громова Дарья Олеговна');
    }
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/access-code',
      payload: { code: 'ABCDE-FGHJK' },
      remoteAddress: uniqueIp(),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.fields.code).toBe('Код доступа не найден. Проверьте его по листку с кодом.');
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/auth/access-code',
      payload: { code: '123' },
      remoteAddress: uniqueIp(),
    });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json().error.fields.code).toContain('10 латинских букв и цифр');
    const empty = await app.inject({ method: 'POST', url: '/api/auth/access-code', payload: { code: '   ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.code).toBe('Заполните поле «Код доступа».');
  });

  test("a whole school's typos behind one address do not lock out its correct codes; guessing from it is stopped", async () => {
    const olympiadId = await createOlympiad(t.db);
    const added = (await upload(olympiadId, 'r.csv', 'ФИО;Школа;Класс\nШкольная Ира;СШ № 3;10')).json().added;
    const ip = uniqueIp();
    // Distinct well-formed codes that match nobody: i written in base 24 with letters.
    const typo = (i: number) =>
      `ABCDE-${[0, 1, 2].map((k) => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(i / 24 ** k) % 24]).join('')}QQ`;
    for (let i = 0; i < ACCESS_CODE_LIMITS.address.max - 1; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/access-code',
        payload: { code: typo(i) },
        remoteAddress: ip,
      });
      expect(res.statusCode, `typo ${i + 1}`).toBe(401);
    }
    const right = await app.inject({
      method: 'POST',
      url: '/api/auth/access-code',
      payload: { code: added[0].accessCode },
      remoteAddress: ip,
    });
    expect(right.statusCode, right.body).toBe(200);
    await app.inject({ method: 'POST', url: '/api/auth/access-code', payload: { code: typo(999) }, remoteAddress: ip });
    const stopped = await app.inject({
      method: 'POST',
      url: '/api/auth/access-code',
      payload: { code: added[0].accessCode },
      remoteAddress: ip,
    });
    expect(stopped.statusCode).toBe(429);
    expect(stopped.json().error.message).toMatch(
      /^Слишком много неверных кодов подряд\. Попробуйте снова через \d+ мин\.$/,
    );
    // Another address is not affected.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/access-code',
          payload: { code: added[0].accessCode },
          remoteAddress: uniqueIp(),
        })
      ).statusCode,
    ).toBe(200);
  });

  test('one code typed wrong again and again is stopped by its own small limit, whatever the address', async () => {
    let last = 0;
    for (let i = 0; i <= ACCESS_CODE_LIMITS.code.max; i++) {
      last = (
        await app.inject({
          method: 'POST',
          url: '/api/auth/access-code',
          payload: { code: 'QQQQQ-QQQQQ' },
          remoteAddress: uniqueIp(),
        })
      ).statusCode;
    }
    expect(last).toBe(429);
  });

  test('a student account has no password: e-mail sign-in never opens it', async () => {
    const olympiadId = await createOlympiad(t.db);
    await upload(olympiadId, 'x.csv', 'ФИО;Школа;Класс\nБелова Ольга;СШ № 8;11');
    const row = await t.db
      .selectFrom('users')
      .select(['email', 'password_hash'])
      .where('last_name', '=', 'Белова')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toBeNull();
    expect(row.email).toMatch(/\.invalid$/);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: row.email, password: 'что-угодно-123' },
      remoteAddress: uniqueIp(),
    });
    expect(login.statusCode).toBe(401);
  });
});
