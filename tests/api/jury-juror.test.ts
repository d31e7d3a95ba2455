import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, seedDemo } from '@konkurs/db';
import { localDiskStorage } from '../../server/src/modules/files/storage.ts';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';
import { createUserInDb, signIn, type InjectResponse } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from '../helpers/contest.ts';

let t: TestDb;
let h: ApplicationsTestApp;
const cookies: Record<string, string> = {};
let regionId: string;
let cityId: string;
/** Entry ids of the regional contest by TOS name. */
const entry: Record<string, string> = {};

const account = (label: string) => DEMO_ACCOUNTS.find((a) => a.label.startsWith(label))!;
const LOCKED = 'Оценка отправлена; изменить её может только председатель жюри, вернув её на доработку.';
const FULL = { residents: 9, improvement: 8, cooperation: 8, projects: 7, publicity: 4.5 };

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  const storage = localDiskStorage(join(h.filesDir, 'files'));
  expect(await seedDemo(t.db, { hashPassword, storeFile: (bytes) => storage.put(Readable.from([bytes])) })).toBe(true);
  for (const [key, label] of [
    ['juror', 'член жюри'],
    ['chair', 'председатель'],
    ['applicant', 'заявитель'],
    ['organizer', 'организатор'],
  ]) {
    cookies[key] = await signIn(h.app, account(label).email, account(label).password);
  }
  const contests = await t.db.selectFrom('contests').select(['id', 'slug']).execute();
  regionId = contests.find((c) => c.slug === 'luchshiy-rukovoditel-tos-smolenskoy-oblasti')!.id;
  cityId = contests.find((c) => c.slug === 'luchshiy-predsedatel-tos-smolensk')!.id;
  const apps = await t.db
    .selectFrom('applications')
    .select(['id', 'answers'])
    .where('contest_id', '=', regionId)
    .execute();
  for (const a of apps) entry[(a.answers as Record<string, string>).tos_name] = a.id;
  // A personal e-mail in the entry, to prove it never reaches a juror.
  const rassvet = apps.find((a) => a.id === entry['ТОС «Рассвет»'])!;
  await t.db
    .updateTable('applications')
    .set({ answers: JSON.stringify({ ...(rassvet.answers as object), contact_email: 'rassvet.secret@example.ru' }) })
    .where('id', '=', rassvet.id)
    .execute();
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

const call = (who: string | undefined, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: who ? { cookie: cookies[who] } : {}, ...(payload ? { payload } : {}) });
const entryUrl = (name: string, tail = '') => `/api/jury/entries/${entry[name]}${tail}`;
const sheetOf = (name: string, jurorEmail: string) =>
  t.db
    .selectFrom('score_sheets as s')
    .innerJoin('users as u', 'u.id', 's.juror_id')
    .selectAll('s')
    .where('s.application_id', '=', entry[name])
    .where('u.email', '=', jurorEmail)
    .executeTakeFirst();

describe('the juror’s contests and entries', () => {
  test('the demo juror sees the regional contest with two entries to score, blind, and is not its chair', async () => {
    const res = await call('juror', 'GET', '/api/jury/contests');
    expect(res.statusCode).toBe(200);
    const region = res.json().contests.find((c: { id: string }) => c.id === regionId);
    expect(region).toMatchObject({ isChair: false, blind: true, progress: { submitted: 0, total: 2 } });
    expect(region.nominations).toHaveLength(1);
    expect(res.json().contests.find((c: { id: string }) => c.id === cityId).progress).toEqual({
      submitted: 0,
      total: 0,
    });

    const chair = (await call('chair', 'GET', '/api/jury/contests'))
      .json()
      .contests.find((c: { id: string }) => c.id === regionId);
    expect(chair).toMatchObject({ isChair: true, progress: { submitted: 7, total: 7 } });

    const list = await call('juror', 'GET', `/api/jury/contests/${regionId}/entries`);
    expect(list.statusCode).toBe(200);
    const [nomination] = list.json().nominations;
    expect(
      nomination.entries.map((e: { code: string; state: string; applicant: null }) => [e.code, e.state, e.applicant]),
    ).toEqual([
      [expect.stringMatching(/^РТОС-\d{4}-\d{3}$/), 'not_started', null],
      [expect.stringMatching(/^РТОС-\d{4}-\d{3}$/), 'not_started', null],
    ]);
    expect(nomination.entries.map((e: { id: string }) => e.id).sort()).toEqual(
      [entry['ТОС «Рассвет»'], entry['ТОС «Молодёжный»']].sort(),
    );
  });

  test('an entry shows its non-personal answers, its files under neutral names, the rubric, and no one else’s sheet', async () => {
    const res = await call('juror', 'GET', entryUrl('ТОС «Рассвет»'));
    expect(res.statusCode).toBe(200);
    const e = res.json().entry;
    expect(e.code).toMatch(/^РТОС-\d{4}-001$/);
    expect(e.applicant).toBeNull();
    expect(e.fields.map((f: { key: string }) => f.key)).toEqual([
      'tos_name',
      'municipality',
      'founded',
      'residents',
      'about',
      'areas',
      'legal_entity',
    ]);
    expect(e.fields.find((f: { key: string }) => f.key === 'founded').text).toBe('12.05.2016');
    expect(e.files.map((f: { name: string; mimeType: string }) => [f.name, f.mimeType])).toEqual([
      ['Файл 1.png', 'image/png'],
      ['Файл 2.pdf', 'application/pdf'],
    ]);
    expect(e.rubric.criteria.map((c: { key: string }) => c.key)).toEqual([
      'residents',
      'improvement',
      'cooperation',
      'projects',
      'publicity',
    ]);
    expect(e.rubric.maxTotal).toBe(50);
    // The chair and two more jurors submitted sheets for this entry; the juror sees only their own (none yet).
    expect(e.sheet).toBeNull();
    expect(e.state).toBe('not_started');

    const image = await call('juror', 'GET', e.files[0].url);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(String(image.headers['content-disposition'])).toMatch(/^inline;/);
    expect(image.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const pdf = await call('juror', 'GET', e.files[1].url);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('the juror is told the general comment reaches the applicant only when the contest shows a summary (issue #11, item 11)', async () => {
    // The demo regional contest shows applicants only their place: the comment stays with the organizers.
    expect((await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry.contest.commentShownToApplicant).toBe(
      false,
    );
    await t.db.updateTable('contests').set({ jury_show_scores: true }).where('id', '=', regionId).execute();
    try {
      const e = (await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry;
      expect(e.contest.commentShownToApplicant).toBe(true);
    } finally {
      await t.db.updateTable('contests').set({ jury_show_scores: false }).where('id', '=', regionId).execute();
    }
  });

  test('«Как видит жюри»: the organizer sees an entry as its juror will, with the fields shown and hidden (issue #11, item 3)', async () => {
    const url = `/api/contests/${regionId}/jury/preview/${entry['ТОС «Рассвет»']}`;
    const res = await call('organizer', 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    // Exactly the juror's page: the same fields, files and code.
    const asJuror = (await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry;
    expect(p.entry.fields).toEqual(asJuror.fields);
    expect(p.entry.files.map((f: { name: string }) => f.name)).toEqual(['Файл 1.png', 'Файл 2.pdf']);
    expect(p.entry.code).toBe(asJuror.code);
    expect(p.entry.applicant).toBeNull();
    // The ТОС name and the municipality are shown: a decision the organizer now sees.
    expect(p.shownFields.map((f: { key: string }) => f.key)).toEqual(
      expect.arrayContaining(['tos_name', 'municipality']),
    );
    const hidden = p.hiddenFields.map((f: { label: string; reason: string }) => `${f.label} — ${f.reason}`);
    expect(hidden).toEqual(expect.arrayContaining(['ФИО заявителя — слепая оценка']));
    expect(hidden.some((h: string) => h.endsWith('отмечено в форме как персональное'))).toBe(true);
    expect(res.body).not.toContain('+79001234567');
    expect(res.body).not.toContain('Иванова');
    // Open review: the name is shown, and no longer listed as hidden.
    await t.db.updateTable('contests').set({ jury_blind: false }).where('id', '=', regionId).execute();
    try {
      const open = (await call('organizer', 'GET', url)).json();
      expect(open.entry.applicant).toBe('Иванова Мария Сергеевна');
      expect(open.hiddenFields.map((f: { key: string }) => f.key)).not.toContain('applicant');
    } finally {
      await t.db.updateTable('contests').set({ jury_blind: true }).where('id', '=', regionId).execute();
    }
    // Organizers only; an application of another contest is not found here.
    expect((await call('juror', 'GET', url)).statusCode).toBe(403);
    expect((await call('chair', 'GET', url)).statusCode).toBe(403);
    expect((await call(undefined, 'GET', url)).statusCode).toBe(401);
    const other = await t.db
      .selectFrom('applications')
      .select('id')
      .where('contest_id', '=', cityId)
      .executeTakeFirst();
    if (other)
      expect((await call('organizer', 'GET', `/api/contests/${regionId}/jury/preview/${other.id}`)).statusCode).toBe(
        404,
      );
    expect((await call('organizer', 'GET', `/api/contests/${regionId}/jury/preview/not-a-uuid`)).statusCode).toBe(400);
  });

  test('without blind mode the juror also sees the applicant’s name and the original file names, never a personal field', async () => {
    await t.db.updateTable('contests').set({ jury_blind: false }).where('id', '=', regionId).execute();
    try {
      const e = (await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry;
      expect(e.applicant).toBe('Иванова Мария Сергеевна');
      expect(e.files.map((f: { name: string }) => f.name)).toEqual(['Фото двора.png', 'Характеристика.pdf']);
      expect(JSON.stringify(e)).not.toContain('+79001234567');
      expect(JSON.stringify(e)).not.toContain('rassvet.secret@example.ru');
      const file = await call('juror', 'GET', e.files[1].url);
      expect(decodeURIComponent(String(file.headers['content-disposition']))).toContain('Характеристика.pdf');
      const list = (await call('juror', 'GET', `/api/jury/contests/${regionId}/entries`)).json();
      expect(list.nominations[0].entries.map((x: { applicant: string }) => x.applicant)).toContain(
        'Иванова Мария Сергеевна',
      );
    } finally {
      await t.db.updateTable('contests').set({ jury_blind: true }).where('id', '=', regionId).execute();
    }
  });

  test('nobody reads an entry that is not assigned to them, and only members read a contest’s entries', async () => {
    expect((await call('juror', 'GET', entryUrl('ТОС «Сосновый бор»'))).statusCode).toBe(404);
    expect(
      (await call('juror', 'PUT', entryUrl('ТОС «Сосновый бор»', '/sheet'), { points: { residents: 5 } })).statusCode,
    ).toBe(404);
    expect((await call('juror', 'GET', '/api/jury/entries/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const files = (await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry.files;
    // A file of an entry the juror is not assigned to, asked for through an entry they are assigned to.
    const other = await t.db
      .selectFrom('application_files')
      .select('file_id')
      .where('application_id', '=', entry['ТОС «Сосновый бор»'])
      .executeTakeFirstOrThrow();
    expect((await call('juror', 'GET', `${entryUrl('ТОС «Рассвет»')}/files/${other.file_id}`)).statusCode).toBe(404);
    expect((await call('juror', 'GET', `${entryUrl('ТОС «Сосновый бор»')}/files/${other.file_id}`)).statusCode).toBe(
      404,
    );

    // The applicant owns «Рассвет», and still sees no juror route and no score.
    expect((await call('applicant', 'GET', '/api/jury/contests')).statusCode).toBe(403);
    expect((await call('applicant', 'GET', `/api/jury/contests/${regionId}/entries`)).statusCode).toBe(403);
    expect((await call('applicant', 'GET', entryUrl('ТОС «Рассвет»'))).statusCode).toBe(404);
    expect((await call('applicant', 'GET', files[0].url)).statusCode).toBe(404);
    expect((await call('applicant', 'PUT', entryUrl('ТОС «Рассвет»', '/sheet'), { points: {} })).statusCode).toBe(404);
    const chairSheet = (await sheetOf('ТОС «Рассвет»', account('председатель').email))!;
    expect(
      (
        await call('applicant', 'POST', `/api/contests/${regionId}/sheets/${chairSheet.id}/reopen`, {
          reason: 'Хочу другую оценку',
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(undefined, 'GET', '/api/jury/contests')).statusCode).toBe(401);
    expect((await call(undefined, 'GET', entryUrl('ТОС «Рассвет»'))).statusCode).toBe(401);

    // A juror of no jury of this contest.
    const outsider = await createUserInDb(t.db, { roles: ['juror'], lastName: 'Посторонний' });
    cookies.outsider = await signIn(h.app, outsider.email, outsider.password);
    expect((await call('outsider', 'GET', '/api/jury/contests')).json()).toEqual({ contests: [] });
    expect((await call('outsider', 'GET', `/api/jury/contests/${regionId}/entries`)).statusCode).toBe(403);
    expect((await call('outsider', 'GET', entryUrl('ТОС «Рассвет»'))).statusCode).toBe(404);
    // The organizer manages the jury but does not score: the juror routes are not theirs.
    expect((await call('organizer', 'GET', `/api/jury/contests/${regionId}/entries`)).statusCode).toBe(403);
  });
});

describe('the score sheet', () => {
  test('a draft refuses points out of range or off the step, and overlong comments, naming the criterion; nothing is saved', async () => {
    const cases: Array<[object, string, RegExp]> = [
      [
        { points: { residents: 11 } },
        'points.residents',
        /Критерий «Работа с жителями»: оценка должна быть от 0 до 10/,
      ],
      [{ points: { residents: -1 } }, 'points.residents', /от 0 до 10/],
      [
        { points: { improvement: 2.5 } },
        'points.improvement',
        /Критерий «Благоустройство территории»: оценка должна быть целым числом/,
      ],
      [
        { points: { publicity: 4.3 } },
        'points.publicity',
        /Критерий «Информационная открытость»: оценка должна быть кратна 0,5/,
      ],
      [
        { comments: { projects: 'я'.repeat(2001) } },
        'comments.projects',
        /Комментарий к критерию «Проекты и гранты» должен содержать не больше 2000 символов/,
      ],
      [{ points: { beauty: 3 } }, '_', /В критериях оценки нет: beauty/],
    ];
    for (const [payload, field, message] of cases) {
      const res = await call('juror', 'PUT', entryUrl('ТОС «Рассвет»', '/sheet'), payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.fields[field]).toMatch(message);
      expect(res.json().error.message).toMatch(message);
    }
    const long = await call('juror', 'PUT', entryUrl('ТОС «Рассвет»', '/sheet'), { comment: 'я'.repeat(4001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toContain('«Общий комментарий» должно содержать не больше 4000 символов');
    expect(await sheetOf('ТОС «Рассвет»', account('член жюри').email)).toBeUndefined();
  });

  test('draft → submit → locked → the chair reopens (the juror cannot) → edit → submit', async () => {
    const url = entryUrl('ТОС «Рассвет»', '/sheet');
    const draft = await call('juror', 'PUT', url, {
      points: { residents: 9, publicity: 4.5, improvement: null },
      comments: { residents: '  Много мероприятий ' },
      comment: 'Сильная заявка',
    });
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toMatchObject({
      state: 'draft',
      sheet: {
        status: 'draft',
        points: { residents: 9, publicity: 4.5 },
        comments: { residents: 'Много мероприятий' },
        total: 18,
      },
    });
    const rubric = await t.db
      .selectFrom('rubrics')
      .select('id')
      .where('contest_id', '=', regionId)
      .executeTakeFirstOrThrow();
    expect((await sheetOf('ТОС «Рассвет»', account('член жюри').email))!.rubric_id).toBe(rubric.id);

    // Each juror sees only their own sheet: the chair sees hers, not this draft, and the juror never sees hers.
    const chairView = (await call('chair', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry;
    expect(chairView.sheet).toMatchObject({
      status: 'submitted',
      points: { residents: 10, improvement: 9, cooperation: 9, projects: 8, publicity: 4 },
    });
    expect(JSON.stringify(chairView)).not.toContain('Много мероприятий');
    expect((await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry.sheet.comment).toBe('Сильная заявка');

    const incomplete = await call('juror', 'POST', `${url}/submit`);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.message).toContain('«Благоустройство территории»');
    expect(incomplete.json().error.fields['points.projects']).toBe('Поставьте оценку по критерию «Проекты и гранты».');
    expect(incomplete.json().error.fields['points.residents']).toBeUndefined();

    expect((await call('juror', 'PUT', url, { points: FULL, comment: 'Сильная заявка' })).statusCode).toBe(200);
    const submitted = await call('juror', 'POST', `${url}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ state: 'submitted', sheet: { status: 'submitted', total: 41 } });
    expect(submitted.json().sheet.submittedAt).toBeTruthy();

    for (const res of [
      await call('juror', 'PUT', url, { points: { residents: 10 } }),
      await call('juror', 'POST', `${url}/submit`),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toBe(LOCKED);
    }
    const list = (await call('juror', 'GET', `/api/jury/contests/${regionId}/entries`)).json();
    expect(list.progress).toEqual({ submitted: 1, total: 2 });

    const sheet = (await sheetOf('ТОС «Рассвет»', account('член жюри').email))!;
    const reopen = `/api/contests/${regionId}/sheets/${sheet.id}/reopen`;
    // An ordinary juror cannot reopen a sheet, not even their own.
    expect((await call('juror', 'POST', reopen, { reason: 'Хочу исправить' })).statusCode).toBe(403);
    const short = await call('chair', 'POST', reopen, { reason: 'нет' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.reason).toContain('Причина');
    // A sheet is reopened only through its own contest (the chair also chairs the city contest's jury).
    expect(
      (await call('chair', 'POST', `/api/contests/${cityId}/sheets/${sheet.id}/reopen`, { reason: 'Уточните баллы' }))
        .statusCode,
    ).toBe(404);

    const reopened = await call('chair', 'POST', reopen, { reason: 'Уточните баллы за благоустройство' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json().sheet).toMatchObject({ status: 'draft', reopenReason: 'Уточните баллы за благоустройство' });
    expect((await call('chair', 'POST', reopen, { reason: 'Ещё раз вернуть' })).statusCode).toBe(409);
    const mail = await t.db
      .selectFrom('mail_outbox')
      .select(['subject', 'body'])
      .where('to_address', '=', account('член жюри').email)
      .execute();
    expect(
      mail.some(
        (m) => m.subject.includes('возвращена на доработку') && m.body.includes('Уточните баллы за благоустройство'),
      ),
    ).toBe(true);
    // One greeting and one footer for every letter (issue #13, item 11): this one had no footer.
    const returned = mail.find((m) => m.subject.includes('возвращена на доработку'))!;
    expect(returned.body).toMatch(/^Здравствуйте, Андрей Викторович!\n\n/);
    expect(returned.body).toMatch(/\n\nЭто письмо отправлено платформой Konkurs автоматически\.$/);
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('entity_id', '=', sheet.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['jury.sheet.submit', 'jury.sheet.reopen']));

    const view = (await call('juror', 'GET', entryUrl('ТОС «Рассвет»'))).json().entry;
    expect(view.sheet).toMatchObject({
      status: 'draft',
      reopenReason: 'Уточните баллы за благоустройство',
      points: FULL,
    });
    expect(
      (await call('juror', 'PUT', url, { points: { ...FULL, improvement: 9 }, comment: 'Исправлено' })).statusCode,
    ).toBe(200);
    const again = await call('juror', 'POST', `${url}/submit`);
    expect(again.statusCode).toBe(200);
    expect(again.json().sheet).toMatchObject({ status: 'submitted', total: 42, comment: 'Исправлено' });

    // An organizer may reopen too.
    expect((await call('organizer', 'POST', reopen, { reason: 'Проверка организатором' })).statusCode).toBe(200);
    expect((await call('juror', 'POST', `${url}/submit`)).statusCode).toBe(200);
  });
});

describe('conflicts of interest', () => {
  test('a declared conflict drops the draft, closes the entry and shows in the list; not after submitting', async () => {
    const url = entryUrl('ТОС «Молодёжный»');
    expect((await call('juror', 'PUT', `${url}/sheet`, { points: { residents: 5 } })).statusCode).toBe(200);
    const short = await call('juror', 'POST', `${url}/conflict`, { reason: ' да ' });
    expect(short.statusCode).toBe(400);
    const res = await call('juror', 'POST', `${url}/conflict`, { reason: 'Председатель ТОС — мой родственник' });
    expect(res.statusCode).toBe(200);
    expect(await sheetOf('ТОС «Молодёжный»', account('член жюри').email)).toBeUndefined();
    const file = await t.db
      .selectFrom('application_files')
      .select('file_id')
      .where('application_id', '=', entry['ТОС «Молодёжный»'])
      .executeTakeFirstOrThrow();
    expect((await call('juror', 'GET', url)).statusCode).toBe(404);
    expect((await call('juror', 'GET', `${url}/files/${file.file_id}`)).statusCode).toBe(404);
    expect((await call('juror', 'PUT', `${url}/sheet`, { points: { residents: 5 } })).statusCode).toBe(404);
    expect((await call('juror', 'POST', `${url}/conflict`, { reason: 'Ещё раз заявляю' })).statusCode).toBe(404);
    const list = (await call('juror', 'GET', `/api/jury/contests/${regionId}/entries`)).json();
    expect(list.nominations[0].entries.find((e: { id: string }) => e.id === entry['ТОС «Молодёжный»']).state).toBe(
      'conflict',
    );
    expect(list.progress).toEqual({ submitted: 1, total: 1 });

    // «Рассвет» is submitted: too late to declare a conflict.
    const late = await call('juror', 'POST', `${entryUrl('ТОС «Рассвет»')}/conflict`, {
      reason: 'Вспомнил о знакомстве',
    });
    expect(late.statusCode).toBe(409);
  });

  test('the organizer records and removes a known conflict; refused once that juror submitted', async () => {
    const juror = (
      await t.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', account('член жюри').email)
        .executeTakeFirstOrThrow()
    ).id;
    const chair = (
      await t.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', account('председатель').email)
        .executeTakeFirstOrThrow()
    ).id;
    const base = `/api/contests/${regionId}/conflicts`;
    expect(
      (
        await call('chair', 'POST', base, {
          applicationId: entry['ТОС «Дружба»'],
          jurorId: chair,
          reason: 'Родственник',
        })
      ).statusCode,
    ).toBe(403);
    const submitted = await call('organizer', 'POST', base, {
      applicationId: entry['ТОС «Дружба»'],
      jurorId: chair,
      reason: 'Родственник',
    });
    expect(submitted.statusCode).toBe(409);
    const outsider = (
      await t.db.selectFrom('users').select('id').where('last_name', '=', 'Посторонний').executeTakeFirstOrThrow()
    ).id;
    const notMember = await call('organizer', 'POST', base, {
      applicationId: entry['ТОС «Дружба»'],
      jurorId: outsider,
      reason: 'Родственник',
    });
    expect(notMember.statusCode).toBe(400);
    expect(notMember.json().error.fields.jurorId).toBeTruthy();
    expect(
      (
        await call('organizer', 'POST', `/api/contests/${cityId}/conflicts`, {
          applicationId: entry['ТОС «Дружба»'],
          jurorId: chair,
          reason: 'Родственник',
        })
      ).statusCode,
    ).toBe(404);

    // The juror's own declaration on «Молодёжный» is taken back by the organizer: the entry opens again.
    const removeUrl = `${base}/${entry['ТОС «Молодёжный»']}/${juror}`;
    expect((await call('chair', 'DELETE', removeUrl)).statusCode).toBe(403);
    expect((await call('organizer', 'DELETE', removeUrl)).statusCode).toBe(200);
    expect((await call('organizer', 'DELETE', removeUrl)).statusCode).toBe(404);
    expect((await call('juror', 'GET', entryUrl('ТОС «Молодёжный»'))).statusCode).toBe(200);

    const recorded = await call('organizer', 'POST', base, {
      applicationId: entry['ТОС «Молодёжный»'],
      jurorId: juror,
      reason: 'Сосед заявителя',
    });
    expect(recorded.statusCode).toBe(201);
    expect((await call('juror', 'GET', entryUrl('ТОС «Молодёжный»'))).statusCode).toBe(404);
    expect(
      (
        await call('organizer', 'POST', base, {
          applicationId: entry['ТОС «Молодёжный»'],
          jurorId: juror,
          reason: 'Сосед заявителя',
        })
      ).statusCode,
    ).toBe(409);
    expect((await call('organizer', 'DELETE', removeUrl)).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', entry['ТОС «Молодёжный»'])
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['jury.conflict.add', 'jury.conflict.remove']));
  });
});

describe('blind mode', () => {
  test('no juror route tells the applicant’s name, a personal field or an original file name', async () => {
    const names = await t.db
      .selectFrom('applications as a')
      .innerJoin('users as u', 'u.id', 'a.applicant_id')
      .select(['u.last_name'])
      .where('a.id', 'in', [entry['ТОС «Рассвет»'], entry['ТОС «Молодёжный»']])
      .execute();
    const secrets = [
      ...names.map((n) => n.last_name),
      '+79001234567',
      'rassvet.secret@example.ru',
      'Фото двора',
      'Характеристика',
    ];
    expect(secrets).toContain('Иванова');

    const responses: Array<[string, InjectResponse]> = [];
    const collect = async (res: Promise<InjectResponse>, label: string) => {
      const r = await res;
      expect(r.statusCode, r.body).toBeLessThan(300);
      responses.push([label, r]);
      return r;
    };
    await collect(call('juror', 'GET', '/api/jury/contests'), 'contests');
    await collect(call('juror', 'GET', `/api/jury/contests/${regionId}/entries`), 'entries');
    for (const name of ['ТОС «Рассвет»', 'ТОС «Молодёжный»']) {
      const e = (await collect(call('juror', 'GET', entryUrl(name)), name)).json().entry;
      expect(e.files.length).toBeGreaterThan(0);
      for (const f of e.files) await collect(call('juror', 'GET', f.url), `${name} ${f.name}`);
    }
    await collect(call('juror', 'PUT', entryUrl('ТОС «Молодёжный»', '/sheet'), { points: FULL }), 'save');
    await collect(call('juror', 'POST', entryUrl('ТОС «Молодёжный»', '/sheet/submit')), 'submit');
    await collect(call('juror', 'GET', `/api/jury/contests/${regionId}/entries`), 'entries after');

    for (const [label, r] of responses) {
      const headers = JSON.stringify(r.headers);
      const decoded = decodeURIComponent(headers.replace(/%(?![0-9A-F]{2})/gi, '%25'));
      const body = String(r.headers['content-type']).startsWith('application/json') ? r.body : '';
      for (const secret of secrets) {
        expect(body, `${label}: body`).not.toContain(secret);
        expect(decoded, `${label}: headers`).not.toContain(secret);
      }
    }
    expect((await call('juror', 'GET', `/api/jury/contests/${regionId}/entries`)).json().progress).toEqual({
      submitted: 2,
      total: 2,
    });
  });
});

describe('after publication', () => {
  test('published results freeze the sheets: no save, no submit, no reopen, no conflict; the entry stays readable', async () => {
    const draft = (await sheetOf('ТОС «Молодёжный»', account('член жюри').email))!;
    expect(
      (
        await call('organizer', 'POST', `/api/contests/${regionId}/sheets/${draft.id}/reopen`, {
          reason: 'Проверка перед итогами',
        })
      ).statusCode,
    ).toBe(200);
    await t.db.updateTable('contests').set({ results_published_at: new Date() }).where('id', '=', regionId).execute();
    try {
      const view = await call('juror', 'GET', entryUrl('ТОС «Молодёжный»'));
      expect(view.statusCode).toBe(200);
      expect(view.json().entry.contest.resultsPublished).toBe(true);
      const refused = [
        await call('juror', 'PUT', entryUrl('ТОС «Молодёжный»', '/sheet'), { points: FULL }),
        await call('juror', 'POST', entryUrl('ТОС «Молодёжный»', '/sheet/submit')),
        await call('juror', 'POST', entryUrl('ТОС «Молодёжный»', '/conflict'), { reason: 'Поздно вспомнил' }),
      ];
      const submitted = (await sheetOf('ТОС «Рассвет»', account('член жюри').email))!;
      refused.push(
        await call('chair', 'POST', `/api/contests/${regionId}/sheets/${submitted.id}/reopen`, {
          reason: 'Уточните баллы',
        }),
      );
      for (const res of refused) {
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('results_published');
      }
      expect((await sheetOf('ТОС «Молодёжный»', account('член жюри').email))!.status).toBe('draft');
      expect((await sheetOf('ТОС «Рассвет»', account('член жюри').email))!.status).toBe('submitted');
    } finally {
      await t.db.updateTable('contests').set({ results_published_at: null }).where('id', '=', regionId).execute();
    }
  });
});
