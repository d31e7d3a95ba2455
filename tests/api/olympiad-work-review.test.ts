import { describe, expect, test } from 'vitest';
import { createUserInDb, signIn, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { createOlympiad, enrolStudents, importTasks, TASK_SET, takeOlympiad } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

const CRITERIA = [
  { title: 'Шаги', points: 6 },
  { title: 'Источники', points: 4 },
];
/** The first task (single choice) and an open case with criteria. */
const SET = {
  ...TASK_SET,
  tasks: [
    TASK_SET.tasks[0],
    { kind: 'open', prompt: 'Кейс: двор', points: 10, key: { guidance: 'Секретная подсказка', criteria: CRITERIA } },
  ],
};

const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });

describe('«показ работ»', () => {
  test('after publication a student sees their answers and each grader’s points without names; keys only if allowed', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, SET);
    const [anna, boris] = await enrolStudents(app, organizer, olympiadId, 2);
    // Anna: task 1 wrong («12 июня»), the case answered; Boris: task 1 right, no case.
    await takeOlympiad(app, t.db, olympiadId, anna, 0, [
      { task: 0, answer: { choice: 'a' } },
      { task: 1, answer: { text: 'Создать ТОС и подать заявку на грант.' } },
    ]);
    await takeOlympiad(app, t.db, olympiadId, boris, 1);
    const myWork = `/api/olympiads/${olympiadId}/results/my/work`;
    expect((await get(myWork, anna.cookie)).statusCode).toBe(409);

    // Two graders grade Anna's case per criterion.
    const graders = [];
    for (const lastName of ['Соколов', 'Орлова']) {
      const g = await createUserInDb(t.db, { lastName, roles: ['applicant'] });
      await app.inject({
        method: 'POST',
        url: `/api/olympiads/${olympiadId}/graders`,
        headers: { cookie: organizer },
        payload: { email: g.email, isChair: false },
      });
      graders.push(await signIn(app, g.email, g.password));
    }
    const { cipher, taskId } = (await get(`/api/grading/olympiads/${olympiadId}/queue`, graders[0])).json().toGrade[0];
    for (const [i, criteria] of [
      [4, 2],
      [5, 2],
    ].entries())
      expect(
        (
          await app.inject({
            method: 'PUT',
            url: `/api/grading/olympiads/${olympiadId}/grades`,
            headers: { cookie: graders[i] },
            payload: { cipher, taskId, criteria, comment: `Комментарий ${i + 1}` },
          })
        ).statusCode,
      ).toBe(200);
    await t.db
      .updateTable('olympiads')
      .set({ window_end_at: new Date(Date.now() - 1000) })
      .where('id', '=', olympiadId)
      .execute();
    const published = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(published.statusCode, published.body).toBe(200);

    const work = await get(myWork, anna.cookie);
    expect(work.statusCode, work.body).toBe(200);
    const body = work.json();
    expect(body.keysShown).toBe(false);
    expect(body.total).toBe(6.5);
    expect(body.tasks[0]).toMatchObject({ number: 1, answer: '12 июня', points: 0 });
    expect(body.tasks[0].correctAnswer).toBeUndefined();
    expect(body.tasks[1]).toMatchObject({ answer: 'Создать ТОС и подать заявку на грант.', points: 6.5 });
    expect(body.tasks[1].grades).toEqual([
      { label: 'Проверяющий 1', points: 6, criteriaPoints: [4, 2] },
      { label: 'Проверяющий 2', points: 7, criteriaPoints: [5, 2] },
    ]);
    // No grader's name, no comment, no key, no guidance reach the student.
    expect(work.body).not.toMatch(/Соколов|Орлова|Комментарий|Секретная|criteria"/);

    // The organizer allows the keys: now the correct answer and the criteria are shown.
    const allowed = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/work-settings`,
      headers: { cookie: organizer },
      payload: { showKeysToStudents: true },
    });
    expect(allowed.statusCode).toBe(200);
    const withKeys = (await get(myWork, anna.cookie)).json();
    expect(withKeys.keysShown).toBe(true);
    expect(withKeys.tasks[0].correctAnswer).toBe('21 апреля');
    expect(withKeys.tasks[1].criteria).toEqual(CRITERIA);

    // Boris sees his own work only; he cannot open Anna's through the organizer's view.
    const borisWork = (await get(myWork, boris.cookie)).json();
    expect(borisWork.participant.id).toBe(boris.participantId);
    expect(borisWork.tasks[0].points).toBe(1);
    expect(
      (await get(`/api/olympiads/${olympiadId}/participants/${anna.participantId}/work`, boris.cookie)).statusCode,
    ).toBe(403);

    // The organizer sees the whole work, with names and comments.
    const full = await get(`/api/olympiads/${olympiadId}/participants/${anna.participantId}/work`, organizer);
    expect(full.statusCode).toBe(200);
    expect(full.json().tasks[1].grades.map((g: { graderName: string; comment: string }) => g.comment)).toEqual([
      'Комментарий 1',
      'Комментарий 2',
    ]);
    expect(full.body).toContain('Соколов');
  });
});
