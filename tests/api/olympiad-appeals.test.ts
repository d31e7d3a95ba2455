import { describe, expect, test } from 'vitest';
import { createUserInDb, signIn, uniqueEmail, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { CLOSED_TASK_SET, createOlympiad, enrolStudents, importTasks, takeOlympiad } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

/** Anna 9 of 9 (winner), Boris 5 (participant: the quota allows one award). */
async function published() {
  const olympiadId = await createOlympiad(t.db);
  await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
  const [anna, boris] = await enrolStudents(app, organizer, olympiadId, 2);
  await takeOlympiad(app, t.db, olympiadId, anna, 6);
  // A wrong matching after his right answers, so that the appeal has an answer to show.
  await takeOlympiad(app, t.db, olympiadId, boris, 4, [{ task: 4, answer: { pairs: { l1: 'r1', l2: 'r2' } } }]);
  await app.inject({
    method: 'PUT',
    url: `/api/olympiads/${olympiadId}/award-rule`,
    headers: { cookie: organizer },
    payload: { thresholdShare: 0.5, quotaShare: 0.5, winners: 1, perGrade: false },
  });
  // Boris gave a real address (e.g. registered himself): he is told by mail as well.
  const borisEmail = uniqueEmail('boris');
  const borisUser = await t.db
    .selectFrom('olympiad_participants')
    .select('user_id')
    .where('id', '=', boris.participantId)
    .executeTakeFirstOrThrow();
  await t.db.updateTable('users').set({ email: borisEmail }).where('id', '=', borisUser.user_id).execute();
  const tasks = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .execute();
  return { olympiadId, anna, boris, borisEmail, taskIds: tasks.map((x) => x.id) };
}

const publish = async (olympiadId: string) => {
  await t.db
    .updateTable('olympiads')
    .set({ window_end_at: new Date(Date.now() - 1000) })
    .where('id', '=', olympiadId)
    .execute();
  const res = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/results/publish`,
    headers: { cookie: organizer },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const appeal = (olympiadId: string, cookie: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/olympiads/${olympiadId}/appeals`, headers: { cookie }, payload });
const decide = (olympiadId: string, appealId: string, cookie: string, payload: object) =>
  app.inject({
    method: 'PUT',
    url: `/api/olympiads/${olympiadId}/appeals/${appealId}/decision`,
    headers: { cookie },
    payload,
  });
const myResult = async (olympiadId: string, cookie: string) =>
  (await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results/my`, headers: { cookie } })).json();

describe('appeals', () => {
  test('within the window a student appeals a task once; the decision changes the points, the total and the award, and the student is told', async () => {
    const { olympiadId, anna, boris, borisEmail, taskIds } = await published();
    const early = await appeal(olympiadId, boris.cookie, { taskId: taskIds[4], text: 'Не согласен' });
    expect(early.statusCode).toBe(409);

    const results = await publish(olympiadId);
    expect(results.olympiad.appealsCloseAt).not.toBeNull();
    expect(results.olympiad.final).toBe(false);
    // 48 hours by default.
    expect(Date.parse(results.olympiad.appealsCloseAt) - Date.parse(results.olympiad.resultsPublishedAt)).toBe(
      48 * 3600 * 1000,
    );
    // Publication told Boris (a real address) and nobody with a roster address.
    const announced = await t.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject', 'body'])
      .where('subject', 'like', 'Итоги олимпиады%')
      .execute();
    expect(announced.filter((m) => m.to_address === borisEmail)).toHaveLength(1);
    expect(announced.find((m) => m.to_address === borisEmail)!.body).toContain('5 из 9 баллов');
    expect(announced.some((m) => m.to_address.endsWith('.invalid'))).toBe(false);

    const empty = await appeal(olympiadId, boris.cookie, { taskId: taskIds[4], text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.text).toBeDefined();
    const filed = await appeal(olympiadId, boris.cookie, {
      taskId: taskIds[4],
      text: 'Совет — представительный орган, я так и ответил.',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().result.tasks[4].appeal).toMatchObject({
      text: 'Совет — представительный орган, я так и ответил.',
      pointsBefore: 0,
      decision: null,
    });
    const again = await appeal(olympiadId, boris.cookie, { taskId: taskIds[4], text: 'Ещё раз' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('appeal_exists');
    await appeal(olympiadId, boris.cookie, { taskId: taskIds[5], text: 'Порядок верный.' });

    // Another student neither reads the appeals nor sees Boris's in their own result.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/olympiads/${olympiadId}/appeals`,
          headers: { cookie: anna.cookie },
        })
      ).statusCode,
    ).toBe(403);
    const annaResult = await myResult(olympiadId, anna.cookie);
    expect(JSON.stringify(annaResult)).not.toContain('представительный орган, я так');
    const [first] = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/appeals`, headers: { cookie: organizer } })
    ).json().appeals;
    expect((await decide(olympiadId, first.id, anna.cookie, { decision: 'keep', reason: 'x' })).statusCode).toBe(403);

    const list = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/appeals`, headers: { cookie: organizer } })
    ).json();
    expect(list.appeals).toHaveLength(2);
    const matching = list.appeals.find((a: { taskNumber: number }) => a.taskNumber === 5);
    expect(matching).toMatchObject({
      pointsBefore: 0,
      maxPoints: 2,
      answerText: 'Совет → исполнительный; Администрация → представительный',
    });
    expect(JSON.stringify(list)).not.toContain(boris.fullName);

    // The reason is required; the points must go the way the decision says.
    const noReason = await decide(olympiadId, matching.id, organizer, {
      decision: 'raise',
      newPoints: 2,
      reason: '  ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeDefined();
    const wrongWay = await decide(olympiadId, matching.id, organizer, {
      decision: 'raise',
      newPoints: 0,
      reason: 'Верно',
    });
    expect(wrongWay.statusCode).toBe(400);
    expect(wrongWay.json().error.fields.newPoints).toContain('больше');
    expect(
      (await decide(olympiadId, matching.id, organizer, { decision: 'raise', newPoints: 3, reason: 'Верно' }))
        .statusCode,
    ).toBe(400);
    expect((await myResult(olympiadId, boris.cookie)).result.total).toBe(5);

    const raised = await decide(olympiadId, matching.id, organizer, {
      decision: 'raise',
      newPoints: 2,
      reason: 'Соответствие засчитано после проверки.',
    });
    expect(raised.statusCode, raised.body).toBe(200);
    const ordering = list.appeals.find((a: { taskNumber: number }) => a.taskNumber === 6);
    await decide(olympiadId, ordering.id, organizer, { decision: 'raise', newPoints: 2, reason: 'Порядок верный.' });

    // 5 + 2 + 2 = 9: a tie with Anna at the top; both are winners now.
    const mine = await myResult(olympiadId, boris.cookie);
    expect(mine.result).toMatchObject({ total: 9, rank: 1, status: 'winner' });
    expect(mine.result.tasks[4]).toMatchObject({
      points: 2,
      appeal: { decision: 'raise', newPoints: 2, reason: 'Соответствие засчитано после проверки.' },
    });
    const table = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
    ).json();
    expect(table.rows.map((r: { total: number; status: string }) => [r.total, r.status])).toEqual([
      [9, 'winner'],
      [9, 'winner'],
    ]);
    const letters = await t.db
      .selectFrom('mail_outbox')
      .select('body')
      .where('to_address', '=', borisEmail)
      .where('subject', 'like', 'Решение по апелляции%')
      .execute();
    expect(letters).toHaveLength(2);
    expect(letters[0].body).toContain('Соответствие засчитано после проверки.');
  });

  test('after the window no appeal is accepted and the results are final', async () => {
    const { olympiadId, boris, taskIds } = await published();
    await publish(olympiadId);
    await t.db
      .updateTable('olympiads')
      .set({ appeals_close_at: new Date(Date.now() - 1000) })
      .where('id', '=', olympiadId)
      .execute();
    const late = await appeal(olympiadId, boris.cookie, { taskId: taskIds[0], text: 'Поздно' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('Срок подачи апелляций истёк: итоги олимпиады окончательные.');
    expect((await myResult(olympiadId, boris.cookie)).olympiad.final).toBe(true);
    expect(
      await t.db.selectFrom('olympiad_appeals').select('id').where('olympiad_id', '=', olympiadId).execute(),
    ).toEqual([]);
  });

  test('the chair of the graders decides appeals; a plain grader may not', async () => {
    const { olympiadId, boris, taskIds } = await published();
    await publish(olympiadId);
    const chair = await createUserInDb(t.db, { roles: ['juror'] });
    const grader = await createUserInDb(t.db, { roles: ['juror'] });
    for (const [u, isChair] of [
      [chair, true],
      [grader, false],
    ] as const) {
      await app.inject({
        method: 'POST',
        url: `/api/olympiads/${olympiadId}/graders`,
        headers: { cookie: organizer },
        payload: { email: u.email, isChair },
      });
    }
    await appeal(olympiadId, boris.cookie, { taskId: taskIds[0], text: 'Проверьте, пожалуйста.' });
    const chairCookie = await signIn(app, chair.email, chair.password);
    const graderCookie = await signIn(app, grader.email, grader.password);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/olympiads/${olympiadId}/appeals`,
          headers: { cookie: graderCookie },
        })
      ).statusCode,
    ).toBe(403);
    const [one] = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/appeals`, headers: { cookie: chairCookie } })
    ).json().appeals;
    const kept = await decide(olympiadId, one.id, chairCookie, {
      decision: 'keep',
      reason: 'Ответ верный, баллы уже полные.',
    });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().appeals[0]).toMatchObject({ decision: 'keep', newPoints: 1 });
  });
});
