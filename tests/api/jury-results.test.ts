import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, seedDemo, TOS_RUBRIC } from '@konkurs/db';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';
import { readTable } from '../../server/src/lib/spreadsheet.ts';
import { signIn, type App } from '../helpers/app.ts';
import { buildApplicationsApp, type ApplicationsTestApp } from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { pdfText } from '../helpers/pdf.ts';
import { pointsWord } from '../../server/src/lib/ru-number.ts';
import { agreementText, overrideWarnings } from '../../server/src/modules/jury/results/results-service.ts';

const REGION_SLUG = 'luchshiy-rukovoditel-tos-smolenskoy-oblasti';

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let contestId: string;
const cookies: Record<string, string> = {};
/** Application id by TOS name; user id by e-mail prefix. */
const entry: Record<string, string> = {};
const user: Record<string, string> = {};

interface Row {
  applicationId: string;
  title: string | null;
  applicant: string;
  municipality: string | null;
  score: number | null;
  rank: number | null;
  computedPlace: number | null;
  finalPlace: number | null;
  decidedBy: string | null;
  disagreement: boolean;
  sharedRank: boolean;
  jurorTotals: Record<string, number>;
  jurorCount: number;
  spread: { range: number } | null;
  override: { place: number | null; reason: string } | null;
  criterionMeans: Record<string, number>;
}
interface Table {
  nominations: {
    title: string;
    entries: Row[];
    jurors: { id: string; name: string; leniency: number; leniencyText: string }[];
    agreement: { text: string };
    warnings: { message: string }[];
    progress: { submitted: number; expected: number };
  }[];
  progress: { submitted: number; expected: number };
  canPublish: boolean;
  publishProblem: string | null;
  viewer: string;
}

const account = (label: string) => DEMO_ACCOUNTS.find((a) => a.label.startsWith(label))!;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  expect(await seedDemo(t.db, { hashPassword })).toBe(true);
  contestId = (await t.db.selectFrom('contests').select('id').where('slug', '=', REGION_SLUG).executeTakeFirstOrThrow())
    .id;
  const apps = await t.db
    .selectFrom('applications')
    .select(['id', 'answers'])
    .where('contest_id', '=', contestId)
    .execute();
  for (const a of apps) entry[String(a.answers.tos_name)] = a.id;
  for (const u of await t.db.selectFrom('users').select(['id', 'email']).execute())
    user[u.email.split(/[.@]/)[0]] = u.id;
  for (const label of ['организатор', 'член жюри', 'председатель жюри', 'заявитель'])
    cookies[label] = await signIn(app, account(label).email, account(label).password);
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

async function table(cookie = cookies['организатор']): Promise<Table> {
  const res = await app.inject({ method: 'GET', url: `/api/contests/${contestId}/results`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const first = (tab: Table) => tab.nominations[0];
const row = (tab: Table, name: string) => first(tab).entries.find((e) => e.title === `ТОС «${name}»`)!;
const setMethod = (method: 'mean' | 'median' | 'trimmed_mean' | 'standardized') =>
  t.db.updateTable('contests').set({ jury_method: method }).where('id', '=', contestId).execute();

describe('the results table', () => {
  test('regional nomination 1 on the demo seed: places, tie-breaker, disagreement, jurors, progress', async () => {
    const tab = await table();
    expect(first(tab).title).toMatch(/^Лучший председатель совета/);
    const order = first(tab).entries.map((e) => [e.title, e.score, e.rank, e.finalPlace]);
    expect(order).toEqual([
      ['ТОС «Рассвет»', 44, 1, 1],
      ['ТОС «Сосновый бор»', 40, 2, 2],
      ['ТОС «Заречье»', 40, 3, 3],
      ['ТОС «Молодёжный»', 37, 4, null],
      ['ТОС «Луч»', 36, 5, null],
      ['ТОС «Дружба»', 30, 6, null],
    ]);
    expect(row(tab, 'Заречье').decidedBy).toBe('Работа с жителями');
    expect(row(tab, 'Сосновый бор').decidedBy).toBe('Работа с жителями');
    expect(row(tab, 'Луч').disagreement).toBe(true);
    expect(row(tab, 'Луч').spread!.range).toBe(24);
    expect(
      first(tab)
        .entries.filter((e) => e.disagreement)
        .map((e) => e.title),
    ).toEqual(['ТОС «Луч»']);
    const rassvet = row(tab, 'Рассвет');
    expect(rassvet.applicant).toBe('Иванова Мария Сергеевна');
    expect(rassvet.municipality).toBe('Вяземский');
    expect(rassvet.jurorTotals[user.chair]).toBe(45);
    expect(rassvet.criterionMeans.residents).toBe(10);
    expect(first(tab).jurors.map((j) => j.name)).toEqual([
      'Белова Елена Николаевна',
      'Демидов Олег Сергеевич',
      'Орлова Светлана Юрьевна',
      'Тихонов Михаил Андреевич',
    ]);
    // Демидов gave «Луч» 20 where the others gave about 40: he is the strict one.
    const demidov = first(tab).jurors.find((j) => j.name.startsWith('Демидов'))!;
    expect(demidov.leniency).toBeLessThan(0);
    expect(demidov.leniencyText).toMatch(/^строже коллег/);
    expect(first(tab).agreement.text).toMatch(/ICC\(1,1\) = .*ICC\(1,k\) = /);
    // Places 2 and 3 score the same: the table warns, in proper Russian.
    expect(first(tab).warnings.map((w) => w.message)).toEqual([
      'Места 2 и 3 разделяет 0 баллов — меньше, чем расхождение оценок жюри (±0,91).',
    ]);
    // The demo juror has «Рассвет» and «Молодёжный» still to score.
    expect(first(tab).progress).toEqual({ submitted: 22, expected: 24 });
    expect(tab.progress).toEqual({ submitted: 24, expected: 26 });
    expect(tab.canPublish).toBe(true);
    expect(tab.publishProblem).toMatch(/24 из 26/);
    expect(tab.viewer).toBe('organizer');
  });

  test('a conflicted juror’s submitted sheet is left out', async () => {
    await t.db
      .insertInto('jury_conflicts')
      .values({
        application_id: entry['ТОС «Луч»'],
        juror_id: user.demidov,
        contest_id: contestId,
        reason: 'Родственник председателя ТОС',
        declared_by: user.demidov,
      })
      .execute();
    const luch = row(await table(), 'Луч');
    expect(luch.jurorTotals[user.demidov]).toBeUndefined();
    expect(luch.score).toBeCloseTo((44 + 41 + 39) / 3, 6);
    expect(luch.disagreement).toBe(false);
    expect(luch.rank).toBe(2);
    await t.db.deleteFrom('jury_conflicts').where('application_id', '=', entry['ТОС «Луч»']).execute();
    expect(row(await table(), 'Луч').score).toBe(36);
  });

  test('a draft sheet is left out, and the chair sees the table only after sending all of their own sheets', async () => {
    expect((await table(cookies['председатель жюри'])).viewer).toBe('chair');
    const reopen = (status: 'draft' | 'submitted') =>
      t.db
        .updateTable('score_sheets')
        .set({ status, submitted_at: status === 'draft' ? null : new Date() })
        .where('application_id', '=', entry['ТОС «Луч»'])
        .where('juror_id', '=', user.chair)
        .execute();
    await reopen('draft');
    const luch = row(await table(), 'Луч');
    expect(luch.jurorTotals[user.chair]).toBeUndefined();
    expect(luch.score).toBeCloseTo((20 + 41 + 39) / 3, 6);
    for (const url of [
      `/api/contests/${contestId}/results`,
      `/api/contests/${contestId}/protocol.pdf`,
      `/api/contests/${contestId}/results.xlsx`,
    ]) {
      const refused = await app.inject({ method: 'GET', url, headers: { cookie: cookies['председатель жюри'] } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('chair_sheets_pending');
      expect(refused.json().error.message).toMatch(/Осталось отправить: 1/);
    }
    const access = (label: string) =>
      app
        .inject({
          method: 'GET',
          url: `/api/contests/${contestId}/results/access`,
          headers: { cookie: cookies[label] },
        })
        .then((r) => r.json());
    expect(await access('председатель жюри')).toEqual({
      viewer: null,
      message: expect.stringMatching(/Осталось отправить: 1/),
    });
    await reopen('submitted');
    expect((await table(cookies['председатель жюри'])).viewer).toBe('chair');
    expect(await access('председатель жюри')).toEqual({ viewer: 'chair', message: null });
    expect(await access('член жюри')).toEqual({ viewer: null, message: null });
    expect(await access('организатор')).toEqual({ viewer: 'organizer', message: null });
  });

  test('in blind mode the chair sees codes only until publication; names stay in the organizer’s table (issue #11, item 2)', async () => {
    const get = (url: string, label: string) =>
      app.inject({ method: 'GET', url: `/api/contests/${contestId}${url}`, headers: { cookie: cookies[label] } });
    const chairView = (await get('/results', 'председатель жюри')).json();
    expect(chairView.contest.namesHidden).toBe(true);
    const rows = chairView.nominations.flatMap((n: { entries: Row[] }) => n.entries);
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      expect(r).toMatchObject({ title: null, applicant: null, municipality: null });
      expect(r.registrationNumber).toMatch(/^РТОС-\d{4}-\d{3}$/);
    }
    expect(rows.some((r: Row) => r.score !== null)).toBe(true);
    expect(chairView.nominations[0].jurors.length).toBeGreaterThan(0);
    const json = JSON.stringify(chairView);
    for (const name of ['Рассвет', 'Иванова Мария', 'Вяземский']) expect(json).not.toContain(name);
    const protocol = pdfText((await get('/protocol.pdf', 'председатель жюри')).rawPayload);
    expect(protocol).not.toContain('Рассвет');
    expect(protocol).toContain('скрыт до публикации итогов');
    const sheet = (await readTable((await get('/results.xlsx', 'председатель жюри')).rawPayload, 'x.xlsx')).flat();
    expect(sheet.join(' ')).not.toContain('Рассвет');

    const organizerView = (await get('/results', 'организатор')).json();
    expect(organizerView.contest.namesHidden).toBe(false);
    expect(JSON.stringify(organizerView)).toContain('ТОС «Рассвет»');
    // In open review the chair sees the names too.
    await t.db.updateTable('contests').set({ jury_blind: false }).where('id', '=', contestId).execute();
    try {
      const open = (await get('/results', 'председатель жюри')).json();
      expect(open.contest.namesHidden).toBe(false);
      expect(JSON.stringify(open)).toContain('ТОС «Рассвет»');
    } finally {
      await t.db.updateTable('contests').set({ jury_blind: true }).where('id', '=', contestId).execute();
    }
  });

  test('the chair cannot reopen their own sent sheet; an organizer can, and the reason is in the table and the protocol', async () => {
    const sheet = await t.db
      .selectFrom('score_sheets')
      .select(['id', 'points'])
      .where('application_id', '=', entry['ТОС «Луч»'])
      .where('juror_id', '=', user.chair)
      .executeTakeFirstOrThrow();
    const reopen = (label: string, reason: string) =>
      app.inject({
        method: 'POST',
        url: `/api/contests/${contestId}/sheets/${sheet.id}/reopen`,
        headers: { cookie: cookies[label] },
        payload: { reason },
      });
    const own = await reopen('председатель жюри', 'Хочу поднять балл');
    expect(own.statusCode).toBe(403);
    expect(own.json().error).toMatchObject({
      code: 'own_sheet',
      message: expect.stringContaining('Свою отправленную оценку председатель не возвращает себе сам'),
    });
    const state = await t.db
      .selectFrom('score_sheets')
      .select('status')
      .where('id', '=', sheet.id)
      .executeTakeFirstOrThrow();
    expect(state.status).toBe('submitted');

    const reason = 'Председатель просит уточнить балл за публичность';
    expect((await reopen('организатор', reason)).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'after'])
      .where('action', '=', 'jury.sheet.reopen')
      .where('entity_id', '=', sheet.id)
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ reason, by: 'organizer' });
    // The chair sends it again (as is), and the return stays on record.
    await t.db
      .updateTable('score_sheets')
      .set({ status: 'submitted', submitted_at: new Date() })
      .where('id', '=', sheet.id)
      .execute();
    const tab = await table();
    const reopened = tab.nominations.flatMap((n) => (n as unknown as { reopened: object[] }).reopened);
    expect(reopened).toEqual([
      expect.objectContaining({
        applicationId: entry['ТОС «Луч»'],
        juror: 'Белова Елена Николаевна',
        by: expect.stringMatching(/\(организатор\)$/),
        reason,
      }),
    ]);
    const protocol = pdfText(
      (
        await app.inject({
          method: 'GET',
          url: `/api/contests/${contestId}/protocol.pdf`,
          headers: { cookie: cookies['организатор'] },
        })
      ).rawPayload,
    ).replace(/\s+/g, ' ');
    expect(protocol).toContain('Оценки, возвращённые на доработку:');
    expect(protocol).toContain(`оценка: Белова Елена Николаевна. Вернул`);
    expect(protocol).toContain(`Причина: ${reason}`);
  });

  test('plain jurors, applicants and strangers may not read the table', async () => {
    for (const label of ['член жюри', 'заявитель']) {
      for (const url of [
        `/api/contests/${contestId}/results`,
        `/api/contests/${contestId}/protocol.pdf`,
        `/api/contests/${contestId}/results.xlsx`,
      ]) {
        const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[label] } });
        expect(res.statusCode, `${label} ${url}`).toBe(403);
      }
    }
    expect((await app.inject({ method: 'GET', url: `/api/contests/${contestId}/results` })).statusCode).toBe(401);
    const chairWrites = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/publish`,
      headers: { cookie: cookies['председатель жюри'] },
      payload: { confirmIncomplete: true },
    });
    expect(chairWrites.statusCode).toBe(403);
  });

  test('trimmed mean with five jurors drops the highest and the lowest total (method changed in the settings)', async () => {
    const sosnovy = entry['ТОС «Сосновый бор»'];
    const rubricId = (
      await t.db.selectFrom('rubrics').select('id').where('contest_id', '=', contestId).executeTakeFirstOrThrow()
    ).id;
    await t.db
      .insertInto('jury_assignments')
      .values({ application_id: sosnovy, juror_id: user.juror, contest_id: contestId })
      .execute();
    await t.db
      .insertInto('score_sheets')
      .values({
        application_id: sosnovy,
        juror_id: user.juror,
        contest_id: contestId,
        rubric_id: rubricId,
        status: 'submitted',
        submitted_at: new Date(),
        points: JSON.stringify(Object.fromEntries(TOS_RUBRIC.map((c) => [c.key, c.max]))),
      })
      .execute();
    await setMethod('trimmed_mean');
    let tab = await table();
    // Totals 40, 38, 42, 40 and 50: without 38 and 50 the mean is 40.67; with four jurors «Рассвет» keeps its plain mean.
    expect(row(tab, 'Сосновый бор').jurorCount).toBe(5);
    expect(row(tab, 'Сосновый бор').score).toBeCloseTo(122 / 3, 6);
    expect(row(tab, 'Рассвет').score).toBe(44);
    await setMethod('mean');
    tab = await table();
    expect(row(tab, 'Сосновый бор').score).toBe(42);
    await t.db
      .deleteFrom('score_sheets')
      .where('application_id', '=', sosnovy)
      .where('juror_id', '=', user.juror)
      .execute();
    await t.db
      .deleteFrom('jury_assignments')
      .where('application_id', '=', sosnovy)
      .where('juror_id', '=', user.juror)
      .execute();
  });

  test('standardized scores rank by each juror’s own scale', async () => {
    await setMethod('standardized');
    const tab = await table();
    const scores = first(tab).entries.map((e) => e.score!);
    for (const s of scores) expect(Math.abs(s)).toBeLessThan(3);
    expect(first(tab).entries[0].title).toBe('ТОС «Рассвет»');
    expect(first(tab).entries.at(-1)!.title).toBe('ТОС «Дружба»');
    expect(first(tab).entries.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    await setMethod('mean');
  });
});

describe('overrides, publication and what people see after it', () => {
  const url = (name: string) => `/api/contests/${contestId}/results/overrides/${entry[`ТОС «${name}»`]}`;
  const REASON = 'Решение жюри на заседании: работа отмечена за наставничество молодёжи.';

  test('an override needs a reason and a place within the awarded ones; it is audited and changes the place', async () => {
    const organizer = cookies['организатор'];
    const short = await app.inject({
      method: 'PUT',
      url: url('Молодёжный'),
      headers: { cookie: organizer },
      payload: { place: 3, reason: '  коротко  ' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.reason).toMatch(/Основание/);
    const tooFar = await app.inject({
      method: 'PUT',
      url: url('Молодёжный'),
      headers: { cookie: organizer },
      payload: { place: 4, reason: REASON },
    });
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json().error.fields.place).toMatch(/от 1 до 3/);
    const byChair = await app.inject({
      method: 'PUT',
      url: url('Молодёжный'),
      headers: { cookie: cookies['председатель жюри'] },
      payload: { place: 3, reason: REASON },
    });
    expect(byChair.statusCode).toBe(403);
    expect(await t.db.selectFrom('result_overrides').selectAll().execute()).toHaveLength(0);

    const set = await app.inject({
      method: 'PUT',
      url: url('Молодёжный'),
      headers: { cookie: organizer },
      payload: { place: 3, reason: `  ${REASON} ` },
    });
    expect(set.statusCode, set.body).toBe(200);
    const m = set.json().nominations[0].entries.find((e: Row) => e.title === 'ТОС «Молодёжный»');
    expect(m).toMatchObject({ computedPlace: null, finalPlace: 3, override: { place: 3, reason: REASON } });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after', 'actor_id'])
      .where('entity_id', '=', entry['ТОС «Молодёжный»'])
      .where('action', 'like', 'jury.result_override%')
      .execute();
    expect(audit).toEqual([
      {
        action: 'jury.result_override.set',
        before: null,
        after: { place: 3, reason: REASON },
        actor_id: user.organizer,
      },
    ]);

    // Removing it gives the computed place back (audited too); then it is set again for the publication below.
    const removed = await app.inject({ method: 'DELETE', url: url('Молодёжный'), headers: { cookie: organizer } });
    expect(
      removed.json().nominations[0].entries.find((e: Row) => e.title === 'ТОС «Молодёжный»').finalPlace,
    ).toBeNull();
    expect(
      await t.db.selectFrom('audit_log').select('action').where('action', '=', 'jury.result_override.remove').execute(),
    ).toHaveLength(1);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: url('Молодёжный'),
          headers: { cookie: organizer },
          payload: { place: 3, reason: REASON },
        })
      ).statusCode,
    ).toBe(200);
  });

  test('an override that gives two works one place is warned of in the table, the protocol and before publication (issue #11, item 7)', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/contests/${contestId}/results`,
      headers: { cookie: cookies['организатор'] },
    });
    const tab = res.json();
    const warning = tab.nominations[0].warnings.find((w: { kind: string }) => w.kind === 'override_duplicate_place');
    expect(warning.message).toMatch(/^3 место присуждено нескольким работам \(РТОС-\d{4}-\d{3}, РТОС-\d{4}-\d{3}\)/);
    expect(warning.applicationIds.sort()).toEqual([entry['ТОС «Заречье»'], entry['ТОС «Молодёжный»']].sort());
    expect(tab.publishWarnings).toEqual([expect.stringContaining('3 место присуждено нескольким работам')]);
    const protocol = pdfText(
      (
        await app.inject({
          method: 'GET',
          url: `/api/contests/${contestId}/protocol.pdf`,
          headers: { cookie: cookies['организатор'] },
        })
      ).rawPayload,
    ).replace(/\s+/g, ' ');
    expect(protocol).toContain('Внимание: 3 место присуждено нескольким работам');
  });

  test('before publication: no public results, the applicant learns nothing yet', async () => {
    expect((await app.inject({ method: 'GET', url: `/api/public/contests/${REGION_SLUG}/results` })).statusCode).toBe(
      404,
    );
    const mine = await app.inject({
      method: 'GET',
      url: `/api/applications/${entry['ТОС «Рассвет»']}/result`,
      headers: { cookie: cookies['заявитель'] },
    });
    expect(mine.json()).toEqual({ published: false });
  });

  test('publishing is refused while sheets are missing, then done with confirmation: snapshot, date, mail, audit', async () => {
    const organizer = cookies['организатор'];
    const refused = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/publish`,
      headers: { cookie: organizer },
      payload: {},
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('sheets_incomplete');
    expect(await t.db.selectFrom('contest_results').selectAll().execute()).toHaveLength(0);

    const done = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/publish`,
      headers: { cookie: organizer },
      payload: { confirmIncomplete: true },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ entries: 7, mailed: 7 });
    const snapshot = await t.db
      .selectFrom('contest_results')
      .select(['application_id', 'place', 'rank', 'score'])
      .where('contest_id', '=', contestId)
      .execute();
    const at = (name: string) => snapshot.find((s) => s.application_id === entry[name]);
    expect(snapshot).toHaveLength(7);
    expect(at('ТОС «Рассвет»')).toMatchObject({ place: 1, rank: 1, score: 44 });
    expect(at('ТОС «Заречье»')).toMatchObject({ place: 3, rank: 3, score: 40 });
    expect(at('ТОС «Молодёжный»')).toMatchObject({ place: 3, rank: 4, score: 37 });
    expect(at('ТОС «Луч»')).toMatchObject({ place: null, rank: 5, score: 36 });
    expect(at('Дом 12 по ул. Ленина')).toMatchObject({ place: 1, rank: 1 });
    const contest = await t.db
      .selectFrom('contests')
      .select('results_published_at')
      .where('id', '=', contestId)
      .executeTakeFirstOrThrow();
    expect(contest.results_published_at).toBeInstanceOf(Date);
    const mail = await t.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject', 'body'])
      .where('subject', 'like', 'Итоги конкурса%')
      .execute();
    expect(mail).toHaveLength(7);
    const mine = mail.find((m) => m.to_address === account('заявитель').email)!;
    expect(mine.body).toContain(`/applications/${entry['ТОС «Рассвет»']}`);
    // The one greeting of every letter, by first name and patronymic (this one greeted by the full ФИО).
    expect(mine.body).toMatch(/^Здравствуйте, Мария Сергеевна!\n\n/);
    expect(
      await t.db.selectFrom('audit_log').select('action').where('action', '=', 'jury.results.publish').execute(),
    ).toHaveLength(1);

    const again = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/publish`,
      headers: { cookie: organizer },
      payload: { confirmIncomplete: true },
    });
    expect(again.statusCode).toBe(409);
    const lateOverride = await app.inject({
      method: 'PUT',
      url: url('Луч'),
      headers: { cookie: organizer },
      payload: { place: 2, reason: REASON },
    });
    expect(lateOverride.statusCode).toBe(409);
    expect(
      await t.db.selectFrom('mail_outbox').select('id').where('subject', 'like', 'Итоги конкурса%').execute(),
    ).toHaveLength(7);
  });

  test('the public results list places and names, participants alphabetically, and no scores', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/public/contests/${REGION_SLUG}/results` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const n1 = body.nominations[0];
    expect(n1.winners.map((w: { place: number }) => w.place)).toEqual([1, 2, 3, 3]);
    expect(n1.winners.slice(0, 2).map((w: { title: string }) => w.title)).toEqual([
      'ТОС «Рассвет»',
      'ТОС «Сосновый бор»',
    ]);
    expect(
      n1.winners
        .slice(2)
        .map((w: { title: string }) => w.title)
        .sort(),
    ).toEqual(['ТОС «Заречье»', 'ТОС «Молодёжный»']);
    expect(n1.winners[0]).toEqual({
      place: 1,
      applicant: 'Иванова Мария Сергеевна',
      title: 'ТОС «Рассвет»',
      municipality: 'Вяземский',
    });
    const participants = n1.participants.map((p: { applicant: string }) => p.applicant);
    expect(participants).toHaveLength(2);
    expect(participants).toEqual([...participants].sort((a, b) => a.localeCompare(b, 'ru')));
    expect(body.nominations[1].winners.map((w: { title: string }) => w.title)).toEqual(['Дом 12 по ул. Ленина']);
    expect(res.body).not.toMatch(/score|jurorTotals|phone|\+7900|@/);
    expect(JSON.stringify(body.nominations)).not.toMatch(/\b44\b|36[.,]5/);
  });

  test('the applicant sees their own result (with the summary only when the contest shows scores), not another’s', async () => {
    const applicant = cookies['заявитель'];
    const mine = await app.inject({
      method: 'GET',
      url: `/api/applications/${entry['ТОС «Рассвет»']}/result`,
      headers: { cookie: applicant },
    });
    expect(mine.json()).toMatchObject({ published: true, ranked: true, place: 1, summary: null });
    const other = await app.inject({
      method: 'GET',
      url: `/api/applications/${entry['ТОС «Луч»']}/result`,
      headers: { cookie: applicant },
    });
    expect(other.statusCode).toBe(404);

    await t.db.updateTable('contests').set({ jury_show_scores: true }).where('id', '=', contestId).execute();
    const withScores = await app.inject({
      method: 'GET',
      url: `/api/applications/${entry['ТОС «Рассвет»']}/result`,
      headers: { cookie: applicant },
    });
    const summary = withScores.json().summary;
    expect(summary.score).toBe(44);
    expect(summary.maxTotal).toBe(50);
    expect(summary.criteria[0]).toEqual({ title: 'Работа с жителями', max: 10, mean: 10 });
    expect(summary.criteria.find((c: { title: string }) => c.title === 'Проекты и гранты').mean).toBeCloseTo(22 / 3, 2);
    expect(summary.comments).toHaveLength(3);
    expect(withScores.body).not.toMatch(/Белова|Демидов|Тихонов|jurorId/);
    // The organizer reads it too.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/applications/${entry['ТОС «Луч»']}/result`,
          headers: { cookie: cookies['организатор'] },
        })
      ).json().place,
    ).toBeNull();
  });

  test('the protocol names the jury, the places and the override with its reason; the XLSX reads back', async () => {
    for (const cookie of [cookies['организатор'], cookies['председатель жюри']]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/contests/${contestId}/protocol.pdf`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
      expect(text).toMatch(/ПРОТОКОЛ/);
      for (const name of [
        'Белова Елена Николаевна',
        'Демидов Олег Сергеевич',
        'Орлова Светлана Юрьевна',
        'Тихонов Михаил Андреевич',
        'председатель жюри',
      ])
        expect(text).toContain(name);
      expect(text).toContain('ТОС «Рассвет»');
      expect(text).toContain('Основание: Решение жюри на заседании');
      expect(text).toMatch(/Председатель жюри _+ Белова/);
    }
    const xlsx = await app.inject({
      method: 'GET',
      url: `/api/contests/${contestId}/results.xlsx`,
      headers: { cookie: cookies['организатор'] },
    });
    expect(xlsx.statusCode).toBe(200);
    const rows = await readTable(xlsx.rawPayload, 'itogi.xlsx');
    expect(rows[0].slice(0, 3)).toEqual(['Номинация', 'Итоговое место', 'Расчётное место']);
    expect(rows[0]).toContain('Белова Елена Николаевна');
    const rassvet = rows.find((r) => r.includes('ТОС «Рассвет»'))!;
    expect(rassvet[1]).toBe('1');
    expect(rassvet[rows[0].indexOf('Оценка')]).toBe('44');
    expect(rows).toHaveLength(8);
  });

  test('unpublishing hides the results (audited); publishing again replaces the snapshot', async () => {
    const organizer = cookies['организатор'];
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/contests/${contestId}/results/unpublish`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/public/contests/${REGION_SLUG}/results` })).statusCode).toBe(
      404,
    );
    expect(await t.db.selectFrom('contest_results').selectAll().execute()).toHaveLength(0);
    expect(
      await t.db.selectFrom('audit_log').select('action').where('action', '=', 'jury.results.unpublish').execute(),
    ).toHaveLength(1);
    await app.inject({
      method: 'DELETE',
      url: `/api/contests/${contestId}/results/overrides/${entry['ТОС «Молодёжный»']}`,
      headers: { cookie: organizer },
    });
    const again = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/publish`,
      headers: { cookie: organizer },
      payload: { confirmIncomplete: true },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ entries: 7, mailed: 1, unchanged: 6 });
    const molodezhny = await t.db
      .selectFrom('contest_results')
      .select('place')
      .where('application_id', '=', entry['ТОС «Молодёжный»'])
      .executeTakeFirstOrThrow();
    expect(molodezhny.place).toBeNull();
  });

  test('publishing again mails only the applicants whose place or total changed (issue #11, item 11)', async () => {
    const organizer = cookies['организатор'];
    const letters = async () =>
      (await t.db.selectFrom('mail_outbox').select(['to_address', 'subject']).orderBy('id').execute()).filter((m) =>
        m.subject.startsWith('Итоги конкурса'),
      );
    const emailOf = async (name: string) =>
      (
        await t.db
          .selectFrom('applications as a')
          .innerJoin('users as u', 'u.id', 'a.applicant_id')
          .select('u.email')
          .where('a.id', '=', entry[name])
          .executeTakeFirstOrThrow()
      ).email;
    const republish = async () => {
      const un = await app.inject({
        method: 'POST',
        url: `/api/contests/${contestId}/results/unpublish`,
        headers: { cookie: organizer },
      });
      expect(un.statusCode).toBe(200);
      const before = (await letters()).length;
      const res = await app.inject({
        method: 'POST',
        url: `/api/contests/${contestId}/results/publish`,
        headers: { cookie: organizer },
        payload: { confirmIncomplete: true },
      });
      expect(res.statusCode, res.body).toBe(200);
      return { body: res.json(), sent: (await letters()).slice(before).map((m) => m.to_address) };
    };

    // The previous test took the override off «Молодёжный» (3rd place → none): only its applicant was told.
    // Nothing changed since: no one is mailed the same news again.
    const same = await republish();
    expect(same.body).toMatchObject({ entries: 7, mailed: 0, unchanged: 7 });
    expect(same.sent).toEqual([]);

    // A different total without a different place: «Дружба» (6th, no place) gets one more point from one juror.
    const sheet = await t.db
      .selectFrom('score_sheets')
      .select(['id', 'points'])
      .where('application_id', '=', entry['ТОС «Дружба»'])
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    const [key, value] = Object.entries(sheet.points).find(([, v]) => v < 10)!;
    await t.db
      .updateTable('score_sheets')
      .set({ points: JSON.stringify({ ...sheet.points, [key]: value + 1 }) })
      .where('id', '=', sheet.id)
      .execute();
    const score = await republish();
    expect(score.body).toMatchObject({ entries: 7, mailed: 1, unchanged: 6 });
    expect(score.sent).toEqual([await emailOf('ТОС «Дружба»')]);
    const druzhba = await t.db
      .selectFrom('contest_results')
      .select(['place', 'score'])
      .where('application_id', '=', entry['ТОС «Дружба»'])
      .executeTakeFirstOrThrow();
    expect(druzhba.place).toBeNull();
    expect(druzhba.score).not.toBe(30);
  });
});

describe('bad requests and empty contests', () => {
  test('wrong input is refused with a Russian message and changes nothing; nothing answers 500', async () => {
    const organizer = cookies['организатор'];
    const city = (
      await t.db.selectFrom('contests').select('id').where('slug', '!=', REGION_SLUG).executeTakeFirstOrThrow()
    ).id;
    const cityApp = (
      await t.db.selectFrom('applications').select('id').where('contest_id', '=', city).executeTakeFirstOrThrow()
    ).id;
    const before = await t.db.selectFrom('result_overrides').selectAll().execute();
    const requests: { method: 'GET' | 'PUT' | 'POST' | 'DELETE'; url: string; payload?: unknown; status: number }[] = [
      { method: 'GET', url: '/api/contests/not-a-uuid/results', status: 400 },
      { method: 'GET', url: '/api/contests/00000000-0000-4000-8000-000000000000/results', status: 404 },
      {
        method: 'PUT',
        url: `/api/contests/${contestId}/results/overrides/${entry['ТОС «Луч»']}`,
        payload: { place: 'первое', reason: 'Достаточно длинное основание' },
        status: 400,
      },
      {
        method: 'PUT',
        url: `/api/contests/${contestId}/results/overrides/${entry['ТОС «Луч»']}`,
        payload: { place: 1 },
        status: 400,
      },
      {
        method: 'PUT',
        url: `/api/contests/${contestId}/results/overrides/00000000-0000-4000-8000-000000000000`,
        payload: { place: 1, reason: 'Достаточно длинное основание' },
        status: 404,
      },
      {
        method: 'PUT',
        url: `/api/contests/${contestId}/results/overrides/${cityApp}`,
        payload: { place: 1, reason: 'Достаточно длинное основание' },
        status: 404,
      },
      { method: 'DELETE', url: `/api/contests/${contestId}/results/overrides/${entry['ТОС «Луч»']}`, status: 404 },
      {
        method: 'POST',
        url: `/api/contests/${contestId}/results/publish`,
        payload: { confirmIncomplete: 'да' },
        status: 400,
      },
      { method: 'GET', url: '/api/public/contests/net-takogo-konkursa/results', status: 404 },
      { method: 'GET', url: '/api/applications/00000000-0000-4000-8000-000000000000/result', status: 404 },
    ];
    for (const r of requests) {
      const res = await app.inject({
        method: r.method,
        url: r.url,
        payload: r.payload as object,
        headers: { cookie: organizer },
      });
      expect(res.statusCode, `${r.method} ${r.url} ${res.body}`).toBe(r.status);
      expect(res.json().error.message).toMatch(/[а-яё]/i);
    }
    expect(await t.db.selectFrom('result_overrides').selectAll().execute()).toEqual(before);
  });

  test('a contest without accepted entries: an empty table, a protocol, and publication refused', async () => {
    const organizer = cookies['организатор'];
    const city = (
      await t.db.selectFrom('contests').select('id').where('slug', '!=', REGION_SLUG).executeTakeFirstOrThrow()
    ).id;
    const res = await app.inject({
      method: 'GET',
      url: `/api/contests/${city}/results`,
      headers: { cookie: organizer },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().nominations.every((n: { entries: unknown[] }) => n.entries.length === 0)).toBe(true);
    expect(res.json().canPublish).toBe(false);
    const publish = await app.inject({
      method: 'POST',
      url: `/api/contests/${city}/results/publish`,
      headers: { cookie: organizer },
      payload: { confirmIncomplete: true },
    });
    expect(publish.statusCode).toBe(409);
    expect(publish.json().error.code).toBe('no_entries');
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/contests/${city}/protocol.pdf`,
      headers: { cookie: organizer },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdfText(pdf.rawPayload)).toMatch(/ПРОТОКОЛ/);
  });
});

describe('warnings about overrides', () => {
  const row = (code: string, rank: number | null, finalPlace: number | null, override = false) => ({
    applicationId: code,
    registrationNumber: code,
    rank,
    finalPlace,
    override: override ? {} : null,
  });
  test('an entry ranked lower placed above one ranked higher is named; no override, no warning', () => {
    expect(overrideWarnings([row('A', 1, 1), row('B', 2, 2), row('C', 3, 3)])).toEqual([]);
    expect(overrideWarnings([row('A', 1, 1), row('B', 2, 3, true), row('C', 3, 2, true)])).toEqual([
      {
        kind: 'override_order',
        message: 'Порядок мест расходится с оценками: C (ранг 3) — 2 место, а B (ранг 2) — 3 место.',
        applicationIds: ['C', 'B'],
      },
    ]);
    const dropped = overrideWarnings([row('A', 1, null, true), row('B', 2, 1)]);
    expect(dropped.map((w) => w.message)).toEqual([
      'Порядок мест расходится с оценками: B (ранг 2) — 1 место, а A (ранг 1) — без места.',
    ]);
    // Shared ranks may share a place either way round.
    expect(overrideWarnings([row('A', 1, 2, true), row('B', 1, 1)])).toEqual([]);
  });
});

describe('the words of the table', () => {
  test('points take the right Russian plural, and agreement reads in plain Russian', () => {
    expect([0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 0.5, 1.5].map((n) => `${n} ${pointsWord(n)}`)).toEqual([
      '0 баллов',
      '1 балл',
      '2 балла',
      '4 балла',
      '5 баллов',
      '11 баллов',
      '12 баллов',
      '21 балл',
      '22 балла',
      '25 баллов',
      '101 балл',
      '0.5 балла',
      '1.5 балла',
    ]);
    expect(agreementText(0.82, 0.8, 0.94)).toBe(
      'W Кендалла = 0,82: согласованность высокая. ICC(1,1) = 0,8 (согласие оценок отдельных членов жюри, ' +
        'однофакторная модель со случайными эффектами): оценки членов жюри хорошо согласуются. ' +
        'ICC(1,k) = 0,94 (надёжность среднего балла жюри): очень высокая.',
    );
    expect(agreementText(0.55, 0.3)).toMatch(/согласованность средняя.*согласованность оценок низкая/);
    expect(agreementText(null, null)).toMatch(/не рассчитан/);
  });
});
