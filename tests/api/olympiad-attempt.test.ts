import { describe, expect, test } from 'vitest';
import { sql } from '@konkurs/db';
import { closeExpiredAttempts } from '../../server/src/modules/olympiad/attempts/attempt-service.ts';
import { registerUser, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import {
  CORRECT_ANSWERS,
  createOlympiad,
  enrolStudents,
  importTasks,
  TASK_SET,
  type RosterStudent,
} from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

async function ready(fields: Parameters<typeof createOlympiad>[1] = {}, students = 1) {
  const olympiadId = await createOlympiad(t.db, fields);
  await importTasks(app, organizer, olympiadId);
  const roster = await enrolStudents(app, organizer, olympiadId, students);
  return { olympiadId, roster };
}

async function start(olympiadId: string, student: RosterStudent) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/attempt`,
    headers: { cookie: student.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const save = (student: RosterStudent, attemptId: string, taskId: string, answer: unknown, seq: number) =>
  app.inject({
    method: 'PUT',
    url: `/api/attempts/${attemptId}/answers/${taskId}`,
    headers: { cookie: student.cookie },
    payload: { answer, seq },
  });

const view = (student: RosterStudent, attemptId: string) =>
  app.inject({ method: 'GET', url: `/api/attempts/${attemptId}`, headers: { cookie: student.cookie } });

/** Task ids by their position in TASK_SET (the student's order may differ). */
async function taskIds(olympiadId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.id);
}

describe('starting', () => {
  test('the deadline is start + time limit, or the window end when that comes first; a second device continues', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready({ timeLimitMinutes: 90 });
    const before = Date.now();
    const first = await start(olympiadId, student);
    const deadline = new Date(first.attempt.deadlineAt).getTime();
    const started = new Date(first.attempt.startedAt).getTime();
    expect(deadline - started).toBe(90 * 60 * 1000);
    expect(Math.abs(started - before)).toBeLessThan(10_000);
    expect(Math.abs(new Date(first.serverNow).getTime() - Date.now())).toBeLessThan(10_000);
    const second = await start(olympiadId, student);
    expect(second.attempt.id).toBe(first.attempt.id);
    expect(second.attempt.deadlineAt).toBe(first.attempt.deadlineAt);

    const windowEnd = new Date(Date.now() + 20 * 60 * 1000);
    const short = await ready({ timeLimitMinutes: 90, windowEndAt: windowEnd });
    const attempt = await start(short.olympiadId, short.roster[0]);
    expect(new Date(attempt.attempt.deadlineAt).getTime()).toBe(windowEnd.getTime());
  });

  test('not before the window opens, not after it closes, not without being on the roster', async () => {
    const early = await ready({
      windowStartAt: new Date(Date.now() + 3600_000),
      windowEndAt: new Date(Date.now() + 7200_000),
    });
    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${early.olympiadId}/attempt`,
      headers: { cookie: early.roster[0].cookie },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('ещё не началась');
    const my = (
      await app.inject({
        method: 'GET',
        url: `/api/olympiads/${early.olympiadId}/my`,
        headers: { cookie: early.roster[0].cookie },
      })
    ).json();
    expect(my.cannotStart).toBe('Олимпиада ещё не началась.');

    const late = await ready({
      windowStartAt: new Date(Date.now() - 7200_000),
      windowEndAt: new Date(Date.now() - 3600_000),
    });
    const refused = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${late.olympiadId}/attempt`,
      headers: { cookie: late.roster[0].cookie },
    });
    expect(refused.statusCode).toBe(409);

    const stranger = await registerUser(app);
    const notOnRoster = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${late.olympiadId}/attempt`,
      headers: { cookie: stranger.cookie },
    });
    expect(notOnRoster.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/olympiads/${late.olympiadId}/attempt` })).statusCode).toBe(
      401,
    );
    expect(
      await t.db
        .selectFrom('olympiad_attempts')
        .select('id')
        .where('olympiad_id', 'in', [early.olympiadId, late.olympiadId])
        .execute(),
    ).toEqual([]);
  });

  test('the student gets every task without any key or jury guidance', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready({ shuffleTasks: true, shuffleOptions: true });
    const body = await start(olympiadId, student);
    expect(body.tasks).toHaveLength(TASK_SET.tasks.length);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(
      /"key"|"correct"|"accepted"|"pairs"|"guidance"|"tolerance"|секретная подсказка|территориальное общественное/,
    );
    const ordering = body.tasks.find((x: { kind: string }) => x.kind === 'ordering');
    expect(ordering.items.map((i: { id: string }) => i.id)).not.toEqual(['i1', 'i2', 'i3']);
  });
});

describe('saving answers', () => {
  test('a save is acknowledged with its sequence number; a late older save never overwrites a newer one; a repeat changes nothing', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready();
    const { attempt } = await start(olympiadId, student);
    const [, , textTask] = await taskIds(olympiadId);
    const second = await save(student, attempt.id, textTask, { text: 'новый ответ' }, 2);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ taskId: textTask, seq: 2 });
    const late = await save(student, attempt.id, textTask, { text: 'старый ответ' }, 1);
    expect(late.statusCode).toBe(200);
    expect(late.json().seq).toBe(2);
    const repeat = await save(student, attempt.id, textTask, { text: 'новый ответ' }, 2);
    expect(repeat.json()).toEqual(second.json());
    const stored = (await view(student, attempt.id)).json().answers[textTask];
    expect(stored).toMatchObject({ answer: { text: 'новый ответ' }, seq: 2 });
  });

  test('many saves at once, in any order, end with the newest answer of each task', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready();
    const { attempt } = await start(olympiadId, student);
    const ids = await taskIds(olympiadId);
    const saves = [];
    for (const [i, taskId] of ids.entries())
      for (let seq = 1; seq <= 8; seq++) saves.push({ taskId, seq, answer: { text: `задание ${i}, версия ${seq}` } });
    saves.sort(() => Math.random() - 0.5);
    const results = await Promise.all(saves.map((s) => save(student, attempt.id, s.taskId, s.answer, s.seq)));
    for (const [i, res] of results.entries()) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().seq).toBeGreaterThanOrEqual(saves[i].seq);
    }
    const answers = (await view(student, attempt.id)).json().answers;
    for (const [i, taskId] of ids.entries())
      expect(answers[taskId]).toMatchObject({ seq: 8, answer: { text: `задание ${i}, версия 8` } });
  });

  test("a student never reads or writes another student's attempt; a task of another olympiad is refused", async () => {
    const {
      olympiadId,
      roster: [anna, boris],
    } = await ready({}, 2);
    const { attempt } = await start(olympiadId, anna);
    const [taskId] = await taskIds(olympiadId);
    await save(anna, attempt.id, taskId, { choice: 'b' }, 1);
    const read = await view(boris, attempt.id);
    expect(read.statusCode).toBe(404);
    expect(read.json().error.message).toBe('Попытка не найдена.');
    expect((await save(boris, attempt.id, taskId, { choice: 'a' }, 5)).statusCode).toBe(404);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/attempts/${attempt.id}/finish`,
          headers: { cookie: boris.cookie },
        })
      ).statusCode,
    ).toBe(404);
    const organizerRead = await app.inject({
      method: 'GET',
      url: `/api/attempts/${attempt.id}`,
      headers: { cookie: organizer },
    });
    expect(organizerRead.statusCode).toBe(404);
    const other = await ready();
    const [foreignTask] = await taskIds(other.olympiadId);
    expect((await save(anna, attempt.id, foreignTask, { choice: 'a' }, 1)).statusCode).toBe(404);
    expect((await view(anna, attempt.id)).json().answers[taskId]).toMatchObject({ answer: { choice: 'b' }, seq: 1 });
  });

  test('a save without a valid session is refused with 401 and stores nothing', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready();
    const { attempt } = await start(olympiadId, student);
    const [taskId] = await taskIds(olympiadId);
    const url = `/api/attempts/${attempt.id}/answers/${taskId}`;
    const payload = { answer: { choice: 'a' }, seq: 1 };
    expect((await app.inject({ method: 'PUT', url, payload })).statusCode).toBe(401);
    const forged = student.cookie.replace(/\.[a-z0-9]+$/, '.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    const bad = await app.inject({ method: 'PUT', url, headers: { cookie: forged }, payload });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toContain('Войдите');
    expect(
      (await app.inject({ method: 'PUT', url, headers: { cookie: 'konkurs_session=no-dot' }, payload })).statusCode,
    ).toBe(401);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: student.cookie } });
    expect((await app.inject({ method: 'PUT', url, headers: { cookie: student.cookie }, payload })).statusCode).toBe(
      401,
    );
    expect(
      await t.db.selectFrom('olympiad_answers').select('task_id').where('attempt_id', '=', attempt.id).execute(),
    ).toEqual([]);
  });

  test('an answer of a wrong shape is refused with a message and stores nothing', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready();
    const { attempt } = await start(olympiadId, student);
    const [taskId] = await taskIds(olympiadId);
    const res = await save(student, attempt.id, taskId, { choice: 'b', extra: 'x' }, 0);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('seq');
    expect((await view(student, attempt.id)).json().answers).toEqual({});
  });
});

describe('closing', () => {
  test('finishing early grades the closed tasks; after that nothing is accepted', async () => {
    const {
      olympiadId,
      roster: [student],
    } = await ready();
    const { attempt } = await start(olympiadId, student);
    const ids = await taskIds(olympiadId);
    for (const [i, taskId] of ids.entries())
      expect((await save(student, attempt.id, taskId, CORRECT_ANSWERS[i], 1)).statusCode).toBe(200);
    const finished = await app.inject({
      method: 'POST',
      url: `/api/attempts/${attempt.id}/finish`,
      headers: { cookie: student.cookie },
    });
    expect(finished.statusCode).toBe(200);
    expect(finished.json().attempt).toMatchObject({ closeReason: 'finished' });
    const row = await t.db
      .selectFrom('olympiad_attempts')
      .select(['auto_score', 'close_reason'])
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ auto_score: 9, close_reason: 'finished' });
    const points = await t.db
      .selectFrom('olympiad_answers')
      .select(['task_id', 'auto_points'])
      .where('attempt_id', '=', attempt.id)
      .execute();
    expect(Object.fromEntries(points.map((p) => [p.task_id, p.auto_points]))).toEqual(
      Object.fromEntries(ids.map((id, i) => [id, [1, 2, 1, 1, 2, 2, null][i]])),
    );

    const after = await save(student, attempt.id, ids[0], { choice: 'a' }, 2);
    expect(after.statusCode).toBe(409);
    expect(after.json().error.message).toContain('Ответы больше не принимаются');
    expect((await view(student, attempt.id)).json().answers[ids[0]]).toMatchObject({ answer: { choice: 'b' }, seq: 1 });
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', attempt.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['olympiad.attempt.start', 'olympiad.attempt.finish']);
  });

  test('at the deadline the attempt is closed on the next touch, and by the sweep with no browser at all', async () => {
    const {
      olympiadId,
      roster: [anna, boris],
    } = await ready({}, 2);
    const a = (await start(olympiadId, anna)).attempt;
    const b = (await start(olympiadId, boris)).attempt;
    const [taskId] = await taskIds(olympiadId);
    await save(anna, a.id, taskId, { choice: 'b' }, 1);
    await save(boris, b.id, taskId, { choice: 'b' }, 1);
    // Both deadlines pass, and the olympiad's grace of 60 s for saves on their way after them.
    await t.db
      .updateTable('olympiad_attempts')
      .set({ deadline_at: sql<Date>`now() - interval '61 seconds'` })
      .where('id', 'in', [a.id, b.id])
      .execute();

    const late = await save(anna, a.id, taskId, { choice: 'a' }, 2);
    expect(late.statusCode).toBe(409);
    const annaRow = await t.db
      .selectFrom('olympiad_attempts')
      .select(['close_reason', 'auto_score', 'closed_at', 'deadline_at'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(annaRow).toMatchObject({ close_reason: 'deadline', auto_score: 1 });
    expect(annaRow.closed_at!.getTime()).toBe(annaRow.deadline_at.getTime());

    expect(await closeExpiredAttempts(t.db)).toBeGreaterThanOrEqual(1);
    const borisRow = await t.db
      .selectFrom('olympiad_attempts')
      .select(['close_reason', 'auto_score'])
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(borisRow).toEqual({ close_reason: 'deadline', auto_score: 1 });
    expect(await closeExpiredAttempts(t.db)).toBe(0);
    const my = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/my`, headers: { cookie: boris.cookie } })
    ).json();
    expect(my.attempt).toMatchObject({ id: b.id, closeReason: 'deadline' });
    expect(my.cannotStart).toBeNull();
  });
});
