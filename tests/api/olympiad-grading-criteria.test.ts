import { describe, expect, test } from 'vitest';
import { createUserInDb, signIn, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { createOlympiad, enrolStudents, importTasks, TASK_SET, type RosterStudent } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;
const graders: { email: string; cookie: string; id: string }[] = [];

withOrganizer(async (s) => {
  ({ t, app, organizer } = s);
  for (const lastName of ['Соколов', 'Орлова', 'Белова']) {
    const g = await createUserInDb(t.db, { lastName, roles: ['applicant'] });
    graders.push({ email: g.email, id: g.id, cookie: await signIn(app, g.email, g.password) });
  }
});

const CRITERIA = [
  { title: 'Создание ТОС', points: 3 },
  { title: 'Источники денег', points: 3 },
  { title: 'План работ', points: 4 },
];
/** One open task of 10 points in three parts. */
const OPEN_SET = {
  ...TASK_SET,
  tasks: [
    { kind: 'open', prompt: 'Кейс: двор', points: 10, key: { guidance: 'Смотрите на шаги', criteria: CRITERIA } },
  ],
};

async function answerOpen(olympiadId: string, student: RosterStudent) {
  const headers = { cookie: student.cookie };
  const begun = await app.inject({ method: 'POST', url: `/api/olympiads/${olympiadId}/attempt`, headers });
  const attemptId = begun.json().attempt.id;
  const task = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .executeTakeFirstOrThrow();
  const saved = await app.inject({
    method: 'PUT',
    url: `/api/attempts/${attemptId}/answers/${task.id}`,
    headers,
    payload: { answer: { text: 'Создать ТОС, найти грант, составить смету.' }, seq: 1 },
  });
  expect(saved.statusCode).toBe(200);
  await app.inject({ method: 'POST', url: `/api/attempts/${attemptId}/finish`, headers });
}

async function setUp() {
  const olympiadId = await createOlympiad(t.db);
  await importTasks(app, organizer, olympiadId, OPEN_SET);
  const [student] = await enrolStudents(app, organizer, olympiadId, 1);
  await answerOpen(olympiadId, student);
  for (const [i, g] of graders.entries()) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/graders`,
      headers: { cookie: organizer },
      payload: { email: g.email, isChair: i === 2 },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  return olympiadId;
}

const queue = async (olympiadId: string, cookie: string) =>
  (await app.inject({ method: 'GET', url: `/api/grading/olympiads/${olympiadId}/queue`, headers: { cookie } })).json();
const grade = (olympiadId: string, cookie: string, payload: object) =>
  app.inject({ method: 'PUT', url: `/api/grading/olympiads/${olympiadId}/grades`, headers: { cookie }, payload });

describe('grading per criterion', () => {
  test('a task lists its criteria; their points must add up to the task', async () => {
    const olympiadId = await createOlympiad(t.db);
    const wrong = {
      ...OPEN_SET,
      tasks: [{ ...OPEN_SET.tasks[0], key: { criteria: [{ title: 'Всё', points: 7 }] } }],
    };
    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/tasks/import?mode=replace`,
      headers: { cookie: organizer },
      payload: wrong,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('сумма баллов (7) должна быть равна баллам за задание (10)');
  });

  test('a grader gives points per criterion, each within its part; the grade is their sum', async () => {
    const olympiadId = await setUp();
    const [sokolov] = graders;
    const q = await queue(olympiadId, sokolov.cookie);
    expect(q.toGrade[0].criteria).toEqual(CRITERIA);
    const { cipher, taskId } = q.toGrade[0];

    const over = await grade(olympiadId, sokolov.cookie, { cipher, taskId, criteria: [3.5, 1, 4] });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields).toEqual({ 'criteria.0': 'Критерий «Создание ТОС»: от 0 до 3 с шагом 0,5.' });
    const missing = await grade(olympiadId, sokolov.cookie, { cipher, taskId, criteria: [3, 1] });
    expect(Object.keys(missing.json().error.fields)).toEqual(['criteria.2']);
    // One overall number is not enough for a task with criteria.
    expect((await grade(olympiadId, sokolov.cookie, { cipher, taskId, points: 7 })).statusCode).toBe(400);

    const ok = await grade(olympiadId, sokolov.cookie, { cipher, taskId, criteria: [3, 2.5, 4], comment: '' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().points).toBe(9.5);
    const mine = (await queue(olympiadId, sokolov.cookie)).mine[0];
    expect([mine.points, mine.criteriaPoints]).toEqual([9.5, [3, 2.5, 4]]);
  });

  test('when the chair is one of the two graders, a disagreement goes to a third grader, not to the chair', async () => {
    const olympiadId = await setUp();
    const [sokolov, orlova, chair] = graders;
    const { cipher, taskId } = (await queue(olympiadId, chair.cookie)).toGrade[0];
    expect((await grade(olympiadId, chair.cookie, { cipher, taskId, criteria: [1, 0, 1] })).statusCode).toBe(200);
    const second = await grade(olympiadId, sokolov.cookie, { cipher, taskId, criteria: [3, 3, 3] });
    expect(second.json().state).toBe('disputed');

    // The chair graded it: the chair does not see it to decide and cannot decide it.
    expect((await queue(olympiadId, chair.cookie)).disputed).toEqual([]);
    expect((await grade(olympiadId, chair.cookie, { cipher, taskId, criteria: [2, 2, 2] })).statusCode).toBe(409);
    // Nor can the other side.
    expect((await queue(olympiadId, sokolov.cookie)).disputed).toEqual([]);
    expect((await grade(olympiadId, sokolov.cookie, { cipher, taskId, criteria: [2, 2, 2] })).statusCode).toBe(409);

    // The third grader sees both grades, per criterion, and decides.
    const third = await queue(olympiadId, orlova.cookie);
    expect(third.disputed).toHaveLength(1);
    expect(third.disputed[0].grades.map((g: { criteriaPoints: number[] }) => g.criteriaPoints)).toEqual([
      [1, 0, 1],
      [3, 3, 3],
    ]);
    const decided = await grade(olympiadId, orlova.cookie, { cipher, taskId, criteria: [2, 2, 2.5] });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ round: 3, points: 6.5, state: 'final' });
  });
});
