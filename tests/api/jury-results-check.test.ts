import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { demoJury, type DemoJury } from '../helpers/jury-demo.ts';

// «Проверить итоги» (issue 11, item 8): the published snapshot recomputed from the raw sheets, and a tampered one caught.

let demo: DemoJury;
let t: TestDb;
let app: App;
let contestId: string;
let cookies: Record<string, string>;

beforeAll(async () => {
  demo = await demoJury(['организатор', 'председатель жюри', 'заявитель']);
  ({ t, app, contestId, cookies } = demo);
});

afterAll(async () => {
  await demo?.close();
});

const check = (cookie = cookies['организатор']) =>
  app.inject({ method: 'POST', url: `/api/contests/${contestId}/results/check`, headers: { cookie } });

describe('checking the published results against the sheets', () => {
  test('before publication there is nothing to check', async () => {
    const res = await check();
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('Итоги не опубликованы');
  });

  test('after publication every entry recomputes to what was published: 0 differences', async () => {
    const published = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/publish`,
      headers: { cookie: cookies['организатор'] },
      payload: { confirmIncomplete: true },
    });
    expect(published.statusCode, published.body).toBe(200);
    const res = await check();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ checked: 7, published: 7, differences: [] });
  });

  test('a snapshot changed behind the jury’s back is caught, entry by entry, and the check changes nothing', async () => {
    const rows = await t.db
      .selectFrom('contest_results')
      .innerJoin('applications', 'applications.id', 'contest_results.application_id')
      .select(['application_id', 'contest_results.nomination_id', 'place', 'score', 'registration_number'])
      .where('contest_results.contest_id', '=', contestId)
      .where('place', 'is not', null)
      .orderBy('place')
      .execute();
    const winner = rows[0];
    const second = rows.find((r) => r.nomination_id === winner.nomination_id && r.place === 2)!;
    expect(winner.place).toBe(1);
    // Someone swaps the first two places and raises a score in the table the certificates are printed from.
    await t.db
      .updateTable('contest_results')
      .set({ place: 2 })
      .where('application_id', '=', winner.application_id)
      .execute();
    await t.db
      .updateTable('contest_results')
      .set({ place: 1, score: Number(second.score) + 5 })
      .where('application_id', '=', second.application_id)
      .execute();
    const res = await check();
    expect(res.statusCode).toBe(200);
    const { differences } = res.json() as { differences: Array<Record<string, unknown>> };
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          applicationId: winner.application_id,
          registrationNumber: winner.registration_number,
          what: 'place',
          published: 2,
          recomputed: 1,
        }),
        expect.objectContaining({ applicationId: second.application_id, what: 'place', published: 1, recomputed: 2 }),
        expect.objectContaining({
          applicationId: second.application_id,
          what: 'score',
          published: Number(second.score) + 5,
          recomputed: Number(second.score),
        }),
      ]),
    );
    expect(differences).toHaveLength(3);
    // Read-only: the tampered snapshot is still there for the organizer to see and undo.
    const after = await t.db
      .selectFrom('contest_results')
      .select('place')
      .where('application_id', '=', winner.application_id)
      .executeTakeFirstOrThrow();
    expect(after.place).toBe(2);

    // A published row removed is reported as missing.
    await t.db.deleteFrom('contest_results').where('application_id', '=', winner.application_id).execute();
    const missing = (await check()).json() as { published: number; differences: Array<Record<string, unknown>> };
    expect(missing.published).toBe(6);
    expect(missing.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ applicationId: winner.application_id, what: 'missing' })]),
    );
  });

  test('only organizers may run it', async () => {
    expect((await check(cookies['председатель жюри'])).statusCode).toBe(403);
    expect((await check(cookies['заявитель'])).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/contests/${contestId}/results/check` })).statusCode).toBe(
      401,
    );
  });
});
