import { describe, expect, test } from 'vitest';
import { sql } from '@konkurs/db';
import { closeExpiredAttempts } from '../../server/src/modules/olympiad/attempts/attempt-service.ts';
import type { App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import {
  CLOSED_TASK_SET,
  createOlympiad,
  enrolStudents,
  importTasks,
  type RosterStudent,
} from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

async function ready(fields: Parameters<typeof createOlympiad>[1] = {}) {
  const olympiadId = await createOlympiad(t.db, fields);
  await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
  const [student] = await enrolStudents(app, organizer, olympiadId, 1);
  const started = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/attempt`,
    headers: { cookie: student.cookie },
  });
  expect(started.statusCode, started.body).toBe(200);
  const tasks = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .execute();
  return { olympiadId, student, attemptId: started.json().attempt.id as string, taskIds: tasks.map((r) => r.id) };
}

const save = (
  student: RosterStudent,
  attemptId: string,
  taskId: string,
  answer: unknown,
  seq: number,
  answeredAt?: string,
) =>
  app.inject({
    method: 'PUT',
    url: `/api/attempts/${attemptId}/answers/${taskId}`,
    headers: { cookie: student.cookie },
    payload: { answer, seq, ...(answeredAt ? { answeredAt } : {}) },
  });

const deadlineAgo = (attemptId: string, seconds: number) =>
  t.db
    .updateTable('olympiad_attempts')
    .set({ deadline_at: sql<Date>`now() - make_interval(secs => ${seconds})` })
    .where('id', '=', attemptId)
    .execute();

const card = (olympiadId: string, participantId: string) =>
  app.inject({
    method: 'GET',
    url: `/api/olympiads/${olympiadId}/participants/${participantId}`,
    headers: { cookie: organizer },
  });

describe('grace after the deadline', () => {
  test('a save on its way arriving within the grace (60 s by default) is saved as usual; the sweep waits for it', async () => {
    const { student, attemptId, taskIds } = await ready();
    await deadlineAgo(attemptId, 10);
    const res = await save(student, attemptId, taskIds[0], { choice: 'b' }, 1);
    expect(res.statusCode, res.body).toBe(200);
    const swept = await closeExpiredAttempts(t.db);
    const row = await t.db
      .selectFrom('olympiad_attempts')
      .select('closed_at')
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(row.closed_at).toBeNull();
    expect(swept).toBe(0);
    // After the grace, the sweep closes it at its deadline and counts the answer.
    await deadlineAgo(attemptId, 61);
    expect(await closeExpiredAttempts(t.db)).toBe(1);
    const closed = await t.db
      .selectFrom('olympiad_attempts')
      .select(['auto_score', 'closed_at', 'deadline_at'])
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(closed.auto_score).toBe(1);
    expect(closed.closed_at!.getTime()).toBe(closed.deadline_at.getTime());
  });

  test('the organizer sets the grace with the olympiad (0 to 600 s); with 0, a save 1 s late is late', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/olympiads',
      headers: { cookie: organizer },
      payload: {
        title: 'Олимпиада с запасом',
        grades: [10],
        windowStartAt: new Date(Date.now() + 3600_000).toISOString(),
        windowEndAt: new Date(Date.now() + 7200_000).toISOString(),
        timeLimitMinutes: 60,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const olympiad = created.json().olympiad;
    expect(olympiad.graceSeconds).toBe(60);
    const body = {
      title: olympiad.title,
      grades: olympiad.grades,
      windowStartAt: olympiad.windowStartAt,
      windowEndAt: olympiad.windowEndAt,
      timeLimitMinutes: 60,
    };
    const tooLong = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiad.id}`,
      headers: { cookie: organizer },
      payload: { ...body, graceSeconds: 601 },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields.graceSeconds).toBeTruthy();
    const set = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiad.id}`,
      headers: { cookie: organizer },
      payload: { ...body, graceSeconds: 0 },
    });
    expect(set.json().olympiad.graceSeconds).toBe(0);
    // A body without the field keeps it.
    const kept = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiad.id}`,
      headers: { cookie: organizer },
      payload: body,
    });
    expect(kept.json().olympiad.graceSeconds).toBe(0);

    const strict = await ready({ graceSeconds: 0 });
    await deadlineAgo(strict.attemptId, 1);
    expect((await save(strict.student, strict.attemptId, strict.taskIds[0], { choice: 'b' }, 1)).statusCode).toBe(409);
  });
});

describe('late answers', () => {
  test('a save after the grace is stored as late with both times, not counted, and the closed screen can list it', async () => {
    const { olympiadId, student, attemptId, taskIds } = await ready();
    expect((await save(student, attemptId, taskIds[0], { choice: 'a' }, 1)).statusCode).toBe(200);
    await deadlineAgo(attemptId, 75);
    const answeredAt = new Date(Date.now() - 80_000).toISOString();
    const late = await save(student, attemptId, taskIds[0], { choice: 'b' }, 2, answeredAt);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('answer_late');
    expect(late.json().error.message).toContain('сохранён как опоздавший');
    const late2 = await save(
      student,
      attemptId,
      taskIds[2],
      { text: 'территориальное общественное самоуправление' },
      1,
    );
    expect(late2.json().error.code).toBe('answer_late');
    // A page sending again what was stored in time is simply answered "saved".
    const repeat = await save(student, attemptId, taskIds[0], { choice: 'a' }, 1);
    expect(repeat.statusCode).toBe(200);

    const stored = await t.db
      .selectFrom('olympiad_late_answers')
      .select(['task_id', 'answer', 'answered_at', 'received_at', 'accepted_at'])
      .where('attempt_id', '=', attemptId)
      .orderBy('received_at')
      .execute();
    expect(stored.map((s) => s.task_id)).toEqual([taskIds[0], taskIds[2]]);
    expect(stored[0].answer).toEqual({ choice: 'b' });
    expect(stored[0].answered_at!.toISOString()).toBe(answeredAt);
    expect(stored[0].received_at.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(stored[1].answered_at).toBeNull();

    // The in-time answer stands; the attempt closed at its deadline without the late ones.
    const view = (
      await app.inject({ method: 'GET', url: `/api/attempts/${attemptId}`, headers: { cookie: student.cookie } })
    ).json();
    expect(view.attempt.closeReason).toBe('deadline');
    expect(view.answers[taskIds[0]].answer).toEqual({ choice: 'a' });
    expect(view.answers[taskIds[2]]).toBeUndefined();
    expect(view.lateAnswers.map((l: { taskId: string }) => l.taskId)).toEqual([taskIds[0], taskIds[2]]);
    expect(view.lateAnswers[0]).toMatchObject({ answeredAt, accepted: false });
    const attempt = await t.db
      .selectFrom('olympiad_attempts')
      .select('auto_score')
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(attempt.auto_score).toBe(0);

    // The organizer sees them on the participant's card.
    const shown = await card(olympiadId, student.participantId);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json().lateAnswers).toMatchObject([
      { taskId: taskIds[0], taskNumber: 1, answer: '21 апреля', answeredAt, acceptedAt: null },
      { taskId: taskIds[2], taskNumber: 3, answer: 'территориальное общественное самоуправление', acceptedAt: null },
    ]);
  });

  test('the organizer accepts one with a reason: it counts, the attempt is graded again, the act is in the log', async () => {
    const { olympiadId, student, attemptId, taskIds } = await ready();
    await deadlineAgo(attemptId, 120);
    expect((await save(student, attemptId, taskIds[1], { choices: ['a', 'c'] }, 1)).statusCode).toBe(409);
    const url = `/api/olympiads/${olympiadId}/participants/${student.participantId}/late-answers/${taskIds[1]}/accept`;
    const noReason = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: organizer },
      payload: { reason: '  ' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeTruthy();
    const byStudent = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: student.cookie },
      payload: { reason: 'я' },
    });
    expect(byStudent.statusCode).toBe(403);

    const accepted = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: organizer },
      payload: { reason: 'Пропала связь в классе, ответ дан вовремя' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().lateAnswers[0]).toMatchObject({
      acceptReason: 'Пропала связь в классе, ответ дан вовремя',
      acceptedBy: expect.any(String),
    });
    expect(accepted.json().attempt.autoScore).toBe(2);
    const answer = await t.db
      .selectFrom('olympiad_answers')
      .select(['answer', 'auto_points'])
      .where('attempt_id', '=', attemptId)
      .where('task_id', '=', taskIds[1])
      .executeTakeFirstOrThrow();
    expect(answer).toEqual({ answer: { choices: ['a', 'c'] }, auto_points: 2 });
    const results = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/results`,
      headers: { cookie: organizer },
    });
    expect(results.json().rows[0].total).toBe(2);
    const again = await app.inject({ method: 'POST', url, headers: { cookie: organizer }, payload: { reason: 'ещё' } });
    expect(again.statusCode).toBe(409);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', olympiadId)
      .where('action', '=', 'olympiad.late_answer.accept')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ taskId: taskIds[1], autoScore: 2 });
  });
});
