import { describe, expect, test } from 'vitest';
import { type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { CLOSED_TASK_SET, createOlympiad, enrolStudents, importTasks, takeOlympiad } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

describe('«Мои олимпиады»', () => {
  test("a student gets their own olympiads with the state of their work, nobody else's", async () => {
    const first = await createOlympiad(t.db);
    const second = await createOlympiad(t.db);
    await importTasks(app, organizer, first, CLOSED_TASK_SET);
    const [anna, boris] = await enrolStudents(app, organizer, first, 2);
    await takeOlympiad(app, t.db, first, anna, 2);
    await enrolStudents(app, organizer, second, 1);
    const mine = async (cookie: string) =>
      (await app.inject({ method: 'GET', url: '/api/olympiads/mine', headers: { cookie } })).json().olympiads;
    expect(await mine(anna.cookie)).toEqual([
      expect.objectContaining({ id: first, work: 'finished', resultsPublished: false }),
    ]);
    expect(await mine(boris.cookie)).toEqual([expect.objectContaining({ id: first, work: 'not_started' })]);
    expect(await mine(organizer)).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/olympiads/mine' })).statusCode).toBe(401);
  });
});
