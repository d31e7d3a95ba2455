import { readTable } from '../../server/src/lib/spreadsheet.ts';
import { describe, expect, test } from 'vitest';
import { type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { CLOSED_TASK_SET, createOlympiad, enrolStudents, importTasks, takeOlympiad } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

const endWindow = (olympiadId: string) =>
  t.db
    .updateTable('olympiads')
    .set({ window_end_at: new Date(Date.now() - 1000) })
    .where('id', '=', olympiadId)
    .execute();

describe('results and awards', () => {
  test('the organizer previews totals, ranks and awards under the rule, changes the rule, publishes; each student then sees their own result', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    const [anna, boris, vera, gleb] = await enrolStudents(app, organizer, olympiadId, 4);
    await takeOlympiad(app, t.db, olympiadId, anna, 6); // 9 points
    await takeOlympiad(app, t.db, olympiadId, boris, 4); // 5
    await takeOlympiad(app, t.db, olympiadId, vera, 1); // 1
    await takeOlympiad(app, t.db, olympiadId, gleb, 4); // 5

    // Before publication a student sees nothing, and never the table.
    const early = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/results/my`,
      headers: { cookie: anna.cookie },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('Итоги ещё не опубликованы.');
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/olympiads/${olympiadId}/results`,
          headers: { cookie: anna.cookie },
        })
      ).statusCode,
    ).toBe(403);

    const preview = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
    ).json();
    expect(preview.maxScore).toBe(9);
    expect(preview.rule).toEqual({ thresholdShare: 0.5, quotaShare: 0.45, winners: 1, perGrade: false });
    const table = Object.fromEntries(
      preview.rows.map((r: { fullName: string; total: number; rank: number; status: string }) => [
        r.fullName,
        [r.total, r.rank, r.status],
      ]),
    );
    expect(table).toEqual({
      [anna.fullName]: [9, 1, 'winner'],
      [boris.fullName]: [5, 2, 'participant'],
      [gleb.fullName]: [5, 2, 'participant'],
      [vera.fullName]: [1, 4, 'participant'],
    });
    expect(preview.rows.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 2, 4]);
    expect(preview.rows[0].points).toEqual([1, 2, 1, 1, 2, 2]);

    // A quota of one half: the tie at the boundary is awarded together.
    const ruled = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/award-rule`,
      headers: { cookie: organizer },
      payload: { thresholdShare: 0.5, quotaShare: 0.5, winners: 1, perGrade: false },
    });
    expect(ruled.statusCode).toBe(200);
    expect(ruled.json().rows.map((r: { status: string }) => r.status)).toEqual([
      'winner',
      'prize',
      'prize',
      'participant',
    ]);
    const badRule = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/award-rule`,
      headers: { cookie: organizer },
      payload: { thresholdShare: 1.5, quotaShare: 0.5, winners: -1, perGrade: false },
    });
    expect(badRule.statusCode).toBe(400);
    expect(Object.keys(badRule.json().error.fields).sort()).toEqual(['thresholdShare', 'winners']);

    const running = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(running.statusCode).toBe(409);
    expect(running.json().error.message).toContain('ещё идёт');
    await endWindow(olympiadId);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/results/publish`,
          headers: { cookie: anna.cookie },
        })
      ).statusCode,
    ).toBe(403);
    const published = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().olympiad.resultsPublishedAt).not.toBeNull();
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/results/publish`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: `/api/olympiads/${olympiadId}/award-rule`,
          headers: { cookie: organizer },
          payload: { thresholdShare: 0.5, quotaShare: 0.45, winners: 1, perGrade: false },
        })
      ).statusCode,
    ).toBe(409);

    const xlsx = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/results.xlsx`,
      headers: { cookie: organizer },
    });
    expect(xlsx.statusCode).toBe(200);
    const sheet = await readTable(xlsx.rawPayload, 'results.xlsx');
    expect(sheet[0].slice(0, 7)).toEqual([
      'Место',
      'ФИО',
      'Школа',
      'Класс',
      'Шифр',
      `Баллы (из ${preview.maxScore})`,
      'Статус',
    ]);
    // By place, and by name within a place.
    const byPlaceAndName = (a: string[], b: string[]) => Number(a[0]) - Number(b[0]) || a[1].localeCompare(b[1], 'ru');
    expect(sheet.slice(1).map((r) => [r[0], r[1], r[5], r[6]])).toEqual(
      [
        ['1', anna.fullName, '9', 'Победитель'],
        ['2', boris.fullName, '5', 'Призёр'],
        ['2', gleb.fullName, '5', 'Призёр'],
        ['4', vera.fullName, '1', 'Участник'],
      ].sort(byPlaceAndName),
    );
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/olympiads/${olympiadId}/results.xlsx`,
          headers: { cookie: anna.cookie },
        })
      ).statusCode,
    ).toBe(403);

    const mine = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/results/my`,
      headers: { cookie: boris.cookie },
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().result).toMatchObject({ total: 5, rank: 2, status: 'prize' });
    expect(
      mine.json().result.tasks.map((x: { points: number; maxPoints: number }) => `${x.points}/${x.maxPoints}`),
    ).toEqual(['1/1', '2/2', '1/1', '1/1', '0/2', '0/2']);
    expect(mine.body).not.toContain(anna.fullName);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', olympiadId)
      .where('action', 'in', ['olympiad.results.publish', 'olympiad.award_rule.set'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['olympiad.award_rule.set', 'olympiad.results.publish']);
  });

  test('publication waits for the jury: ungraded open answers block it', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    await takeOlympiad(app, t.db, olympiadId, student, 7);
    await endWindow(olympiadId);
    const preview = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
    ).json();
    expect(preview.ungradedOpenAnswers).toBe(1);
    expect(preview.rows[0].points[6]).toBeNull();
    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('Жюри ещё не проверило');
  });
  test('with a rating per grade the table stands grade by grade, each with its own places', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    // Grades alternate in the roster: 11, 10, 11, 10; totals 9, 5, 1, 4.
    const students = await enrolStudents(app, organizer, olympiadId, 4, (i) => (i % 2 ? '10А' : '11Б'));
    for (const [i, correct] of [6, 4, 1, 3].entries()) await takeOlympiad(app, t.db, olympiadId, students[i], correct);
    const ruled = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/award-rule`,
      headers: { cookie: organizer },
      payload: { thresholdShare: 0.5, quotaShare: 0.45, winners: 1, perGrade: true },
    });
    expect(ruled.statusCode, ruled.body).toBe(200);
    expect(ruled.json().rows.map((r: { grade: number; rank: number }) => [r.grade, r.rank])).toEqual([
      [10, 1],
      [10, 2],
      [11, 1],
      [11, 2],
    ]);
  });
});
