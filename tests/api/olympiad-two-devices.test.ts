import { describe, expect, test } from 'vitest';
import type { App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { CLOSED_TASK_SET, createOlympiad, enrolStudents, importTasks } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

/** One student signed in on two phones (two sessions), with a started attempt and its text task. */
async function twoPhones() {
  const olympiadId = await createOlympiad(t.db);
  await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
  const [student] = await enrolStudents(app, organizer, olympiadId, 1);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/access-code',
    payload: { code: student.accessCode },
  });
  const second = ([] as string[])
    .concat(login.headers['set-cookie'] as string | string[])
    .find((l) => l.startsWith('konkurs_session='))!
    .split(';')[0];
  const started = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/attempt`,
    headers: { cookie: student.cookie },
  });
  const attemptId = started.json().attempt.id as string;
  const task = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .where('kind', '=', 'text')
    .executeTakeFirstOrThrow();
  const save = (cookie: string, text: string, seq: number, answeredAt: Date) =>
    app.inject({
      method: 'PUT',
      url: `/api/attempts/${attemptId}/answers/${task.id}`,
      headers: { cookie },
      payload: { answer: { text }, seq, answeredAt: answeredAt.toISOString() },
    });
  const stored = async () =>
    (
      await t.db
        .selectFrom('olympiad_answers')
        .select('answer')
        .where('attempt_id', '=', attemptId)
        .where('task_id', '=', task.id)
        .executeTakeFirstOrThrow()
    ).answer;
  return { a: student.cookie, b: second, save, stored };
}

const ago = (ms: number) => new Date(Date.now() - ms);

describe('one student, two devices', () => {
  test('phone A with an old copy changes the answer after phone B did: A’s answer, the last one given, is kept', async () => {
    const { a, b, save, stored } = await twoPhones();
    expect((await save(a, 'первый', 1, ago(30_000))).statusCode).toBe(200);
    // B loaded the page after that save (it knows seq 1) and changes the answer.
    const fromB = await save(b, 'с телефона Б', 2, ago(20_000));
    expect(fromB.json()).toMatchObject({ seq: 2 });
    // A still knows seq 1 only, so its next answer also carries seq 2; it was given later, so it wins.
    const fromA = await save(a, 'с телефона А', 2, ago(10_000));
    expect(fromA.statusCode).toBe(200);
    expect(fromA.json().stored).toBeUndefined();
    expect(await stored()).toEqual({ text: 'с телефона А' });
  });

  test('an answer given earlier, arriving after a later one from the other phone, is not stored and that phone is told', async () => {
    const { a, b, save, stored } = await twoPhones();
    expect((await save(a, 'первый', 1, ago(60_000))).statusCode).toBe(200);
    // A answered offline at −30 s; B answered at −10 s and was online; A's save arrives last.
    expect((await save(b, 'позже, с телефона Б', 2, ago(10_000))).statusCode).toBe(200);
    const late = await save(a, 'раньше, с телефона А', 5, ago(30_000));
    expect(late.statusCode).toBe(200);
    expect(late.json().stored).toEqual({ text: 'позже, с телефона Б' });
    expect(await stored()).toEqual({ text: 'позже, с телефона Б' });
    // A repeat of the stored answer says nothing more.
    const repeat = await save(b, 'позже, с телефона Б', 2, ago(10_000));
    expect(repeat.json().stored).toBeUndefined();
  });

  test('a page clock ahead of the server cannot put an answer in the future', async () => {
    const { a, b, save, stored } = await twoPhones();
    expect((await save(a, 'из будущего', 1, new Date(Date.now() + 3600_000))).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    expect((await save(b, 'сейчас', 1, new Date())).statusCode).toBe(200);
    expect(await stored()).toEqual({ text: 'сейчас' });
  });
});
