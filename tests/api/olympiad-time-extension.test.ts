import { describe, expect, test } from 'vitest';
import { sql } from '@konkurs/db';
import { closeExpiredAttempts } from '../../server/src/modules/olympiad/attempts/attempt-service.ts';
import { createUserInDb, signIn, uniqueIp, type App } from '../helpers/app.ts';
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
let organizerId: string;

withOrganizer((s) => ({ t, app, organizer, organizerId } = s));

const MINUTE = 60_000;

async function ready(fields: Parameters<typeof createOlympiad>[1] = {}) {
  const olympiadId = await createOlympiad(t.db, fields);
  await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
  const [student] = await enrolStudents(app, organizer, olympiadId, 1);
  const tasks = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .execute();
  return { olympiadId, student, taskIds: tasks.map((r) => r.id) };
}

async function start(olympiadId: string, student: RosterStudent) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/attempt`,
    headers: { cookie: student.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { attempt: { id: string; startedAt: string; deadlineAt: string } };
}

const extend = (olympiadId: string, participantId: string, payload: unknown, cookie = organizer) =>
  app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/participants/${participantId}/extend`,
    headers: { cookie },
    payload: payload as object,
  });

const deadlineOf = async (attemptId: string) =>
  (
    await t.db
      .selectFrom('olympiad_attempts')
      .select(['deadline_at', 'closed_at'])
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow()
  ).deadline_at;

const setDeadline = (attemptId: string, secondsFromNow: number) =>
  t.db
    .updateTable('olympiad_attempts')
    .set({ deadline_at: sql<Date>`now() + make_interval(secs => ${secondsFromNow})` })
    .where('id', '=', attemptId)
    .execute();

const extensionRows = (participantId: string) =>
  t.db.selectFrom('olympiad_time_extensions').selectAll().where('participant_id', '=', participantId).execute();

describe('an individual extension of one student’s time', () => {
  test('before the start: the minutes are added to the time limit when the student starts; audited, shown on the card', async () => {
    const { olympiadId, student } = await ready({ timeLimitMinutes: 90 });
    const res = await extend(olympiadId, student.participantId, { minutes: 15, reason: '  Справка: 15 минут  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().attempt).toBeNull();
    expect(res.json().extensions).toEqual([
      { minutes: 15, reason: 'Справка: 15 минут', at: expect.any(String), by: expect.any(String) },
    ]);
    const { attempt } = await start(olympiadId, student);
    const length = new Date(attempt.deadlineAt).getTime() - new Date(attempt.startedAt).getTime();
    expect(length).toBe(105 * MINUTE);

    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'olympiad.time.extend')
      .where('entity_id', '=', olympiadId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(organizerId);
    expect(audit[0].after).toMatchObject({
      participantId: student.participantId,
      minutes: 15,
      reason: 'Справка: 15 минут',
      attemptId: null,
    });
  });

  test('before the start: the extension is added even when the window’s end cuts the time limit', async () => {
    const { olympiadId, student } = await ready({
      timeLimitMinutes: 90,
      windowEndAt: new Date(Date.now() + 30 * MINUTE),
    });
    expect(
      (await extend(olympiadId, student.participantId, { minutes: 10, reason: 'Опоздал автобус' })).statusCode,
    ).toBe(200);
    const { attempt } = await start(olympiadId, student);
    const end = (
      await t.db.selectFrom('olympiads').select('window_end_at').where('id', '=', olympiadId).executeTakeFirstOrThrow()
    ).window_end_at;
    expect(new Date(attempt.deadlineAt).getTime()).toBe(end.getTime() + 10 * MINUTE);
  });

  test('in progress: the deadline moves now; saves, the page’s time check and the closing sweep honour the new deadline', async () => {
    const { olympiadId, student, taskIds } = await ready({ graceSeconds: 0 });
    const { attempt } = await start(olympiadId, student);
    await setDeadline(attempt.id, 1);
    const before = await deadlineOf(attempt.id);
    const res = await extend(olympiadId, student.participantId, { minutes: 1, reason: 'Сбой компьютера' });
    expect(res.statusCode, res.body).toBe(200);
    const moved = await deadlineOf(attempt.id);
    expect(moved.getTime()).toBe(before.getTime() + MINUTE);
    expect(res.json().attempt.deadlineAt).toBe(moved.toISOString());
    expect(res.json().extensions.map((e: { minutes: number }) => e.minutes)).toEqual([1]);

    // Past the old deadline (and no grace): the sweep leaves the attempt open and saves still count.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await closeExpiredAttempts(t.db)).toBe(0);
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/attempts/${attempt.id}/answers/${taskIds[0]}`,
      headers: { cookie: student.cookie },
      payload: { answer: { choice: 'b' }, seq: 1 },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // The page learns the new deadline from the save's answer and from its periodic time check.
    expect(saved.json().deadlineAt).toBe(moved.toISOString());
    const time = await app.inject({
      method: 'GET',
      url: `/api/attempts/${attempt.id}/time`,
      headers: { cookie: student.cookie },
    });
    expect(time.statusCode, time.body).toBe(200);
    expect(time.json().attempt).toMatchObject({ deadlineAt: moved.toISOString(), closedAt: null });

    // Once the new deadline is past, the sweep closes the attempt at it, with the answer counted.
    await t.db
      .updateTable('olympiad_attempts')
      .set({ deadline_at: sql<Date>`deadline_at - interval '61 seconds'` })
      .where('id', '=', attempt.id)
      .execute();
    expect(await closeExpiredAttempts(t.db)).toBe(1);
    const closed = await t.db
      .selectFrom('olympiad_attempts')
      .select(['closed_at', 'deadline_at', 'auto_score'])
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    expect(closed.closed_at!.getTime()).toBe(closed.deadline_at.getTime());
    expect(closed.auto_score).toBe(1);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'before', 'after'])
      .where('action', '=', 'olympiad.time.extend')
      .where('entity_id', '=', olympiadId)
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(organizerId);
    expect(audit.before).toMatchObject({ attemptId: attempt.id, deadlineAt: before.toISOString() });
    expect(audit.after).toMatchObject({ attemptId: attempt.id, minutes: 1, deadlineAt: moved.toISOString() });
  });

  test('refused with a Russian message, changing nothing: finished, past its deadline, voided, results published', async () => {
    const refusedFor = async (prepare: (o: Awaited<ReturnType<typeof ready>>) => Promise<void>) => {
      const o = await ready();
      await prepare(o);
      const res = await extend(o.olympiadId, o.student.participantId, { minutes: 10, reason: 'Причина' });
      expect(await extensionRows(o.student.participantId)).toHaveLength(0);
      return res;
    };

    let attemptId = '';
    const finished = await refusedFor(async (o) => {
      attemptId = (await start(o.olympiadId, o.student)).attempt.id;
      await app.inject({
        method: 'POST',
        url: `/api/attempts/${attemptId}/finish`,
        headers: { cookie: o.student.cookie },
      });
    });
    expect(finished.statusCode).toBe(409);
    expect(finished.json().error.message).toBe('Работа уже завершена: продлить время можно только до её окончания.');

    let deadline = new Date();
    const past = await refusedFor(async (o) => {
      attemptId = (await start(o.olympiadId, o.student)).attempt.id;
      // The deadline passed 5 s ago: still within the grace, the sweep has not closed it.
      await setDeadline(attemptId, -5);
      deadline = await deadlineOf(attemptId);
    });
    expect(past.statusCode).toBe(409);
    expect(past.json().error.message).toMatch(/^Время работы уже вышло/);
    expect((await deadlineOf(attemptId)).getTime()).toBe(deadline.getTime());

    const voided = await refusedFor(async (o) => {
      attemptId = (await start(o.olympiadId, o.student)).attempt.id;
      await t.db.updateTable('olympiad_attempts').set({ voided_at: new Date() }).where('id', '=', attemptId).execute();
    });
    expect(voided.statusCode).toBe(409);
    expect(voided.json().error.message).toBe('Работа аннулирована: продлевать время нечему.');

    const published = await refusedFor(async (o) => {
      await t.db
        .updateTable('olympiads')
        .set({ results_published_at: new Date() })
        .where('id', '=', o.olympiadId)
        .execute();
    });
    expect(published.statusCode).toBe(409);
    expect(published.json().error.message).toBe('Итоги олимпиады уже опубликованы: продлить время нельзя.');
  });

  test('bad minutes or no reason: 400 naming the field, nothing changes', async () => {
    const { olympiadId, student } = await ready();
    const { attempt } = await start(olympiadId, student);
    const before = await deadlineOf(attempt.id);
    const cases: [unknown, string][] = [
      [{ minutes: 0, reason: 'Причина' }, 'Дополнительные минуты'],
      [{ minutes: 301, reason: 'Причина' }, 'Дополнительные минуты'],
      [{ minutes: 1.5, reason: 'Причина' }, 'Дополнительные минуты'],
      [{ minutes: 'десять', reason: 'Причина' }, 'Дополнительные минуты'],
      [{ reason: 'Причина' }, 'Дополнительные минуты'],
      [{ minutes: 10, reason: '' }, 'Причина'],
      [{ minutes: 10, reason: '   ' }, 'причину'],
      [{ minutes: 10 }, 'Причина'],
    ];
    for (const [payload, field] of cases) {
      const res = await extend(olympiadId, student.participantId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message, JSON.stringify(payload)).toContain(field);
    }
    expect((await deadlineOf(attempt.id)).getTime()).toBe(before.getTime());
    expect(await extensionRows(student.participantId)).toHaveLength(0);
  });

  test('only an organizer: the student and a grader get 403, no one signed in 401, another olympiad’s participant 404', async () => {
    const { olympiadId, student } = await ready();
    const grader = await createUserInDb(t.db, { roles: ['applicant'] });
    const graderCookie = await signIn(app, grader.email, grader.password, { ip: uniqueIp() });
    const added = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/graders`,
      headers: { cookie: organizer },
      payload: { email: grader.email },
    });
    expect(added.statusCode, added.body).toBe(200);
    const body = { minutes: 10, reason: 'Причина' };
    expect((await extend(olympiadId, student.participantId, body, student.cookie)).statusCode).toBe(403);
    expect((await extend(olympiadId, student.participantId, body, graderCookie)).statusCode).toBe(403);
    expect((await extend(olympiadId, student.participantId, body, '')).statusCode).toBe(401);
    const other = await createOlympiad(t.db);
    expect((await extend(other, student.participantId, body)).statusCode).toBe(404);
    expect(await extensionRows(student.participantId)).toHaveLength(0);
  });
});
