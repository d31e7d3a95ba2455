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
const taskIds = async (olympiadId: string) =>
  (
    await t.db
      .selectFrom('olympiad_tasks')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .orderBy('position')
      .execute()
  ).map((r) => r.id);
const correct = (olympiadId: string, taskId: string, payload: object) =>
  app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/tasks/${taskId}/correction`,
    headers: { cookie: organizer },
    payload,
  });
const totals = async (olympiadId: string) =>
  Object.fromEntries(
    (await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } }))
      .json()
      .rows.map((r: { fullName: string; total: number }) => [r.fullName, r.total]),
  );

describe('key corrections after the start', () => {
  test('a finished, published olympiad: a corrected key regrades every attempt, totals change, the changed are told', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    const [anna, boris, vera] = await enrolStudents(app, organizer, olympiadId, 3);
    // Anna answers all six right (9 points); Boris the first four (5); Vera picks option «a» in task 1 (0).
    await takeOlympiad(app, t.db, olympiadId, anna, 6);
    await takeOlympiad(app, t.db, olympiadId, boris, 4);
    await takeOlympiad(app, t.db, olympiadId, vera, 0, [{ task: 0, answer: { choice: 'a' } }]);
    await endWindow(olympiadId);
    const borisEmail = `boris-${Date.now()}@example.ru`;
    await t.db
      .updateTable('users')
      .set({ email: borisEmail })
      .where(
        'id',
        '=',
        (
          await t.db
            .selectFrom('olympiad_participants')
            .select('user_id')
            .where('id', '=', boris.participantId)
            .executeTakeFirstOrThrow()
        ).user_id,
      )
      .execute();
    const published = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(await totals(olympiadId)).toEqual({ [anna.fullName]: 9, [boris.fullName]: 5, [vera.fullName]: 0 });
    const [single, , , , , ordering] = await taskIds(olympiadId);

    // A reason is required; a key that does not fit the task is refused at its field.
    expect((await correct(olympiadId, single, { action: 'key', key: { correct: 'a' }, reason: '  ' })).statusCode).toBe(
      400,
    );
    const bad = await correct(olympiadId, single, { action: 'key', key: { correct: 'z' }, reason: 'Опечатка' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['key.correct']).toBeDefined();

    // The key of task 1 was wrong: «a» is right. Anna and Boris lose the point, Vera gains it.
    const fixed = await correct(olympiadId, single, {
      action: 'key',
      key: { correct: 'a' },
      reason: 'В ключе перепутаны варианты',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const result = fixed.json();
    expect(result.taskNumber).toBe(1);
    expect(
      Object.fromEntries(
        result.changes.map((c: { fullName: string; totalBefore: number; totalAfter: number }) => [
          c.fullName,
          [c.totalBefore, c.totalAfter],
        ]),
      ),
    ).toEqual({ [anna.fullName]: [9, 8], [boris.fullName]: [5, 4], [vera.fullName]: [0, 1] });
    expect(await totals(olympiadId)).toEqual({ [anna.fullName]: 8, [boris.fullName]: 4, [vera.fullName]: 1 });
    // Each student's own page shows the new points of the task.
    const mine = (
      await app.inject({
        method: 'GET',
        url: `/api/olympiads/${olympiadId}/results/my`,
        headers: { cookie: vera.cookie },
      })
    ).json();
    expect(mine.result.tasks[0].points).toBe(1);
    // Boris (a real address) is told; roster addresses are not.
    expect(result.notified).toBe(1);
    const letters = await t.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'body'])
      .where('subject', 'like', '%пересчитаны')
      .execute();
    expect(letters).toHaveLength(1);
    expect(letters[0].to_address).toBe(borisEmail);
    expect(letters[0].body).toContain('было 5, стало 4 из 9 баллов');
    expect(letters[0].body).toContain('В ключе перепутаны варианты');

    // Voiding the ordering task with full points: everyone gets its 2 points, whatever they answered.
    const voided = await correct(olympiadId, ordering, { action: 'void_full', reason: 'Два верных порядка' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(await totals(olympiadId)).toEqual({ [anna.fullName]: 8, [boris.fullName]: 6, [vera.fullName]: 3 });
    const zero = await correct(olympiadId, ordering, { action: 'void_zero', reason: 'Задание снято' });
    expect(zero.statusCode).toBe(200);
    expect(await totals(olympiadId)).toEqual({ [anna.fullName]: 6, [boris.fullName]: 4, [vera.fullName]: 1 });
    // An appeal on a voided task would change nothing: it is refused, not filed (and no letter promises new points).
    const appeal = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/appeals`,
      headers: { cookie: vera.cookie },
      payload: { taskId: ordering, text: 'Мой порядок тоже верный.' },
    });
    expect(appeal.statusCode, appeal.body).toBe(409);
    expect(appeal.json().error.code).toBe('task_voided');

    // Everything is on record: the corrections list and the audit log.
    const list = (
      await app.inject({
        method: 'GET',
        url: `/api/olympiads/${olympiadId}/corrections`,
        headers: { cookie: organizer },
      })
    ).json().corrections;
    expect(list.map((c: { action: string; taskNumber: number }) => [c.action, c.taskNumber])).toEqual([
      ['key', 1],
      ['void_full', 6],
      ['void_zero', 6],
    ]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', olympiadId)
      .where('action', 'in', ['olympiad.task.key_correct', 'olympiad.task.void'])
      .execute();
    expect(audit).toHaveLength(3);
    // Students may not correct keys.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/tasks/${single}/correction`,
          headers: { cookie: anna.cookie },
          payload: { action: 'void_full', reason: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });

  test('the demo olympiad, finished: a corrected key and a voided task regrade it (before and after totals)', async () => {
    const { seedDemo } = await import('@konkurs/db');
    const { hashPassword } = await import('../../server/src/modules/auth/passwords.ts');
    expect(await seedDemo(t.db, { hashPassword })).toBe(true);
    const { id: olympiadId } = await t.db
      .selectFrom('olympiads')
      .select('id')
      .where('slug', '=', 'olimpiada-osnovy-msu')
      .executeTakeFirstOrThrow();
    await endWindow(olympiadId);
    const ids = await taskIds(olympiadId);
    const before = await totals(olympiadId);
    // The demo students answered the first 16, 12, 9 and 6 closed tasks right (open answers not graded yet).
    const keyFix = await correct(olympiadId, ids[0], {
      action: 'key',
      key: { correct: 'b' },
      reason: 'Демонстрация: ключ задания 1 исправлен на «б»',
    });
    expect(keyFix.statusCode, keyFix.body).toBe(200);
    const afterKey = await totals(olympiadId);
    const voidFix = await correct(olympiadId, ids[12], {
      action: 'void_full',
      reason: 'Демонстрация: задание 13 аннулировано, всем полные баллы',
    });
    expect(voidFix.statusCode, voidFix.body).toBe(200);
    const afterVoid = await totals(olympiadId);
    const table = Object.keys(before).map((name) => ({
      name,
      before: before[name],
      afterKey: afterKey[name],
      afterVoid: afterVoid[name],
    }));
    console.log(`demo olympiad totals (before → key of task 1 corrected → task 13 voided, full points):`);
    console.table(table);
    // Task 1 (1 point) was right for everyone who answered it: all lose it. Task 13 (a number) gives its points to
    // every student who had not answered it right (fewer than 13 closed tasks right) and nothing to the others.
    const { DEMO_OLYMPIAD_STUDENTS } = await import('@konkurs/db');
    const { points: points13 } = await t.db
      .selectFrom('olympiad_tasks')
      .select('points')
      .where('id', '=', ids[12])
      .executeTakeFirstOrThrow();
    for (const row of table) {
      const student = DEMO_OLYMPIAD_STUDENTS.find((s) => row.name.startsWith(s.last))!;
      expect(row.afterKey).toBe(row.before - 1);
      expect(row.afterVoid).toBe(row.afterKey + (student.correct >= 13 ? 0 : points13));
    }
  });
});
