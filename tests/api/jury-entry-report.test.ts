import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { demoJury, type DemoJury } from '../helpers/jury-demo.ts';
import { pdfText } from '../helpers/pdf.ts';

// The report of one entry (issue 11, item 8): everything its result is made of, so anyone can redo it.
let demo: DemoJury;
let t: TestDb;
let app: App;
let contestId: string;
let cookies: Record<string, string>;
let entry: Record<string, string>;
let user: Record<string, string>;

beforeAll(async () => {
  demo = await demoJury(['организатор', 'председатель жюри', 'член жюри', 'заявитель']);
  ({ t, app, contestId, cookies, entry, user } = demo);
});

afterAll(async () => {
  await demo?.close();
});

interface Sheet {
  jurorId: string;
  juror: string;
  state: string;
  counted: boolean;
  total: number | null;
  comment: string;
  criteria: { key: string; points: number | null }[];
  standardized: { mean: number; sd: number; entries: number; z: number } | null;
}
interface Report {
  entry: { registrationNumber: string; title: string; applicant: string };
  criteria: { key: string; title: string; weight: number }[];
  sheets: Sheet[];
  conflicts: { jurorId: string; juror: string; declaredAt: string; declaredBy: string; reason: string }[];
  result: {
    score: number | null;
    rank: number | null;
    finalPlace: number | null;
    computedPlace: number | null;
    decidedBy: string | null;
    calculation: string[];
    tie: { text: string; entries: { registrationNumber: string; tieBreakerMeans: Record<string, number> }[] } | null;
  };
  overrides: { action: string; place: number | null; reason: string; by: string; at: string }[];
  reopened: { juror: string; by: string; at: string; reason: string }[];
}
interface Row {
  applicationId: string;
  score: number | null;
  rank: number | null;
  finalPlace: number | null;
  decidedBy: string | null;
  jurorTotals: Record<string, number>;
}

const TOS = (name: string) => entry[`ТОС «${name}»`];
const reportUrl = (applicationId: string) => `/api/contests/${contestId}/entries/${applicationId}/report`;
async function report(name: string): Promise<Report> {
  const res = await app.inject({
    method: 'GET',
    url: reportUrl(TOS(name)),
    headers: { cookie: cookies['организатор'] },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function reportPdf(name: string): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: `${reportUrl(TOS(name))}.pdf`,
    headers: { cookie: cookies['организатор'] },
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return pdfText(res.rawPayload).replace(/\s+/g, ' ');
}
async function nominationRows(): Promise<Row[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/contests/${contestId}/results`,
    headers: { cookie: cookies['организатор'] },
  });
  return res.json().nominations[0].entries;
}
const rowOf = async (name: string) => (await nominationRows()).find((r) => r.applicationId === TOS(name))!;
const setMethod = (method: 'mean' | 'standardized') =>
  t.db.updateTable('contests').set({ jury_method: method }).where('id', '=', contestId).execute();

describe('the report of one entry', () => {
  test('the sheets and the score are the results table’s; a tie says which criterion decided', async () => {
    const r = await report('Заречье');
    const row = await rowOf('Заречье');
    expect(r.entry).toMatchObject({ title: 'ТОС «Заречье»', applicant: 'Зайцева Татьяна Васильевна' });
    const sent = r.sheets.filter((s) => s.state === 'submitted');
    expect(Object.fromEntries(sent.map((s) => [s.jurorId, s.total]))).toEqual(row.jurorTotals);
    expect(sent.every((s) => s.counted)).toBe(true);
    // Each total is the weighted sum of the points shown next to it.
    for (const s of sent) {
      const sum = s.criteria.reduce(
        (acc, c) => acc + (c.points ?? 0) * r.criteria.find((x) => x.key === c.key)!.weight,
        0,
      );
      expect(s.total).toBeCloseTo(sum, 9);
    }
    expect(r.sheets[0]).toMatchObject({
      juror: 'Белова Елена Николаевна',
      comment: expect.stringContaining('фотографиями'),
    });
    expect(r.result).toMatchObject({
      score: row.score,
      rank: row.rank,
      finalPlace: row.finalPlace,
      decidedBy: 'Работа с жителями',
    });
    expect(row.decidedBy).toBe('Работа с жителями');
    expect(r.result.calculation).toEqual([
      'Среднее арифметическое итогов 4 членов жюри: (41 + 39 + 40 + 40) / 4 = 40.',
    ]);
    expect(r.result.tie!.entries.map((e) => [e.registrationNumber, e.tieBreakerMeans.residents])).toEqual([
      ['РТОС-2026-006', 9],
      ['РТОС-2026-007', 8],
    ]);
    expect(r.result.tie!.text).toContain('Порядок определил критерий «Работа с жителями»: у этой работы ранг 3.');
    expect(r.conflicts).toEqual([]);
    expect(r.overrides).toEqual([]);

    const pdf = await reportPdf('Заречье');
    for (const line of [
      'ОТЧЁТ об оценке работы членами жюри конкурса «Лучший руководитель ТОС Смоленской области»',
      'Заявка № РТОС-2026-007',
      'Итог члена жюри (сумма баллов × вес) 50 41 39 40 40',
      'Белова Елена Николаевна (председатель жюри): лист отправлен',
      '(41 + 39 + 40 + 40) / 4 = 40.',
      'Ранг в номинации: 3 из 6',
      'Итоговое место: 3 место',
      'Порядок определил критерий «Работа с жителями»',
      'Место работы вручную не изменялось.',
      'Организатор конкурса _____________________ Ковалёва Ирина Петровна',
    ])
      expect(pdf).toContain(line);
  });

  test('a sheet not yet filled in is shown as such and counts for nothing', async () => {
    const r = await report('Рассвет');
    const missing = r.sheets.find((s) => s.jurorId === user.juror || s.juror.startsWith('Соколов'))!;
    expect(missing).toMatchObject({ state: 'missing', counted: false, total: null });
    expect(r.result.calculation).toEqual(['Среднее арифметическое итогов 3 членов жюри: (45 + 43 + 44) / 3 = 44.']);
    expect(await reportPdf('Рассвет')).toContain('Соколов Андрей Викторович: лист не заполнен.');
  });

  test('standardized: each juror’s z, from their mean and SD over the nomination, re-derives the score', async () => {
    await setMethod('standardized');
    try {
      const rows = await nominationRows();
      const r = await report('Луч');
      const row = rows.find((x) => x.applicationId === TOS('Луч'))!;
      expect(r.result.score).toBe(row.score);
      const used = r.sheets.filter((s) => s.counted);
      expect(used).toHaveLength(4);
      // Redone from the table alone: each juror's totals across the nomination give the mean and the sample SD.
      const zs = used.map((s) => {
        const totals = rows.map((x) => x.jurorTotals[s.jurorId]).filter((x) => x !== undefined);
        const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
        const sd = Math.sqrt(totals.reduce((a, b) => a + (b - mean) ** 2, 0) / (totals.length - 1));
        expect(s.standardized!.mean).toBeCloseTo(mean, 9);
        expect(s.standardized!.sd).toBeCloseTo(sd, 9);
        expect(s.standardized!.entries).toBe(totals.length);
        expect(s.standardized!.z).toBeCloseTo((s.total! - mean) / sd, 9);
        return s.standardized!.z;
      });
      expect(zs.reduce((a, b) => a + b, 0) / zs.length).toBeCloseTo(row.score!, 9);
      expect(r.result.calculation.at(-1)).toMatch(/^Итоговая оценка — среднее z: \(.+\) \/ 4 = -?\d+,\d+\.$/);
      const demidov = used.find((s) => s.juror.startsWith('Демидов'))!;
      const pdf = await reportPdf('Луч');
      expect(pdf).toContain('Способ подведения итогов: среднее стандартизованных итогов');
      expect(pdf).toContain(`Демидов Олег Сергеевич: z = (${String(demidov.total).replace('.', ',')} − `);
    } finally {
      await setMethod('mean');
    }
  });

  test('a declared conflict is shown with who declared it, when and why, and its sheet is left out', async () => {
    const reason = 'Родственник председателя ТОС';
    await t.db
      .insertInto('jury_conflicts')
      .values({
        application_id: TOS('Луч'),
        juror_id: user.demidov,
        contest_id: contestId,
        reason,
        declared_by: user.demidov,
      })
      .execute();
    try {
      const r = await report('Луч');
      expect(r.conflicts).toEqual([
        {
          jurorId: user.demidov,
          juror: 'Демидов Олег Сергеевич',
          declaredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          declaredBy: 'сам член жюри',
          reason,
        },
      ]);
      expect(r.sheets.find((s) => s.jurorId === user.demidov)).toMatchObject({ state: 'conflict', counted: false });
      expect(r.result.score).toBeCloseTo((44 + 41 + 39) / 3, 9);
      expect(r.result.score).toBe((await rowOf('Луч')).score);
      expect(r.result.calculation[0]).toMatch(/итогов 3 членов жюри/);
      const pdf = await reportPdf('Луч');
      expect(pdf).toContain(`Демидов Олег Сергеевич: заявлен `);
      expect(pdf).toContain(`(заявил: сам член жюри). Причина: ${reason}. Член жюри эту работу не оценивает`);
    } finally {
      await t.db.deleteFrom('jury_conflicts').where('application_id', '=', TOS('Луч')).execute();
    }
  });

  test('an override and a reopened sheet appear with who, when and why, from the audit log', async () => {
    const overrideReason = 'Жюри на заседании решило присудить третье место за работу с молодёжью';
    const put = await app.inject({
      method: 'PUT',
      url: `/api/contests/${contestId}/results/overrides/${TOS('Молодёжный')}`,
      headers: { cookie: cookies['организатор'] },
      payload: { place: 3, reason: overrideReason },
    });
    expect(put.statusCode, put.body).toBe(200);
    const sheet = await t.db
      .selectFrom('score_sheets')
      .select(['id', 'juror_id'])
      .where('application_id', '=', TOS('Молодёжный'))
      .where('juror_id', '=', user.orlova)
      .executeTakeFirstOrThrow();
    const reopenReason = 'Уточните балл по информационной открытости';
    const reopened = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/sheets/${sheet.id}/reopen`,
      headers: { cookie: cookies['организатор'] },
      payload: { reason: reopenReason },
    });
    expect(reopened.statusCode, reopened.body).toBe(200);

    const r = await report('Молодёжный');
    expect(r.overrides).toEqual([
      {
        action: 'set',
        place: 3,
        previousPlace: null,
        reason: overrideReason,
        by: 'Ковалёва Ирина Петровна',
        at: expect.stringMatching(/^\d{4}-/),
      },
    ]);
    expect(r.result).toMatchObject({ computedPlace: null, finalPlace: 3 });
    expect(r.reopened).toEqual([
      {
        jurorId: user.orlova,
        juror: 'Орлова Светлана Юрьевна',
        by: 'Ковалёва Ирина Петровна (организатор)',
        at: expect.stringMatching(/^\d{4}-/),
        reason: reopenReason,
      },
    ]);
    // Returned, the sheet is a draft again: shown, not counted.
    expect(r.sheets.find((s) => s.jurorId === user.orlova)).toMatchObject({ state: 'draft', counted: false });
    const pdf = await reportPdf('Молодёжный');
    expect(pdf).toMatch(
      /\d\d\.\d\d\.\d{4} \d\d:\d\d \(МСК\) — Ковалёва Ирина Петровна: 3 место\. Основание: Жюри на заседании/,
    );
    expect(pdf).toContain(
      `лист Орлова Светлана Юрьевна вернул(а) Ковалёва Ирина Петровна (организатор). Причина: ${reopenReason}`,
    );
    expect(pdf).toContain('Орлова Светлана Юрьевна: лист не отправлен (черновик');

    // Undone, the override stays on record.
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/contests/${contestId}/results/overrides/${TOS('Молодёжный')}`,
      headers: { cookie: cookies['организатор'] },
    });
    expect(removed.statusCode).toBe(200);
    const after = await report('Молодёжный');
    expect(after.overrides.map((o) => [o.action, o.place, o.reason])).toEqual([
      ['set', 3, overrideReason],
      ['remove', null, overrideReason],
    ]);
    expect(after.result.finalPlace).toBeNull();
  });

  test('only organizers get a report: jurors, the chair and applicants are refused, a stranger is asked to sign in', async () => {
    for (const suffix of ['', '.pdf']) {
      const url = reportUrl(TOS('Заречье')) + suffix;
      for (const label of ['член жюри', 'председатель жюри', 'заявитель']) {
        const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[label] } });
        expect(res.statusCode, `${label} ${suffix}`).toBe(403);
        expect(res.body).not.toContain('Зайцева');
      }
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      const unknown = await app.inject({
        method: 'GET',
        url: reportUrl('00000000-0000-4000-8000-000000000000') + suffix,
        headers: { cookie: cookies['организатор'] },
      });
      expect(unknown.statusCode).toBe(404);
      const bad = await app.inject({
        method: 'GET',
        url: `/api/contests/${contestId}/entries/not-a-uuid/report${suffix}`,
        headers: { cookie: cookies['организатор'] },
      });
      expect(bad.statusCode).toBe(400);
    }
    // An application of another contest is not an entry of this one.
    const other = await t.db
      .selectFrom('applications')
      .select('id')
      .where('contest_id', '!=', contestId)
      .executeTakeFirstOrThrow();
    const res = await app.inject({
      method: 'GET',
      url: reportUrl(other.id),
      headers: { cookie: cookies['организатор'] },
    });
    expect(res.statusCode).toBe(404);
  });
});
