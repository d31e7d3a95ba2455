import { describe, expect, test } from 'vitest';
import { createUserInDb, signIn, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import {
  CORRECT_ANSWERS,
  createOlympiad,
  enrolStudents,
  importTasks,
  type RosterStudent,
} from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;
const graders: { email: string; cookie: string; id: string }[] = [];

withOrganizer(async (s) => {
  ({ t, app, organizer } = s);
  // Two graders and a chair, all of them plain accounts until the organizer adds them.
  for (const lastName of ['Соколов', 'Орлова', 'Белова']) {
    const g = await createUserInDb(t.db, { lastName, roles: ['applicant'] });
    graders.push({ email: g.email, id: g.id, cookie: await signIn(app, g.email, g.password) });
  }
});

/** Answers every task right (the open one with a text) and finishes. */
async function takeOlympiad(
  olympiadId: string,
  student: RosterStudent,
  openText = 'Создать ТОС и подать заявку на конкурс.',
) {
  const begun = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/attempt`,
    headers: { cookie: student.cookie },
  });
  const attemptId = begun.json().attempt.id;
  const tasks = await t.db
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .execute();
  for (const [i, task] of tasks.entries()) {
    const answer = task.kind === 'open' ? { text: openText } : CORRECT_ANSWERS[i];
    const res = await app.inject({
      method: 'PUT',
      url: `/api/attempts/${attemptId}/answers/${task.id}`,
      headers: { cookie: student.cookie },
      payload: { answer, seq: 1 },
    });
    expect(res.statusCode).toBe(200);
  }
  await app.inject({ method: 'POST', url: `/api/attempts/${attemptId}/finish`, headers: { cookie: student.cookie } });
}

async function setUp(students = 2) {
  const olympiadId = await createOlympiad(t.db);
  await importTasks(app, organizer, olympiadId);
  const enrolled = await enrolStudents(app, organizer, olympiadId, students);
  for (const s of enrolled) await takeOlympiad(olympiadId, s);
  for (const [i, g] of graders.entries()) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/graders`,
      headers: { cookie: organizer },
      payload: { email: ` ${g.email.toUpperCase()} `, isChair: i === 2 },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  return { olympiadId, students: enrolled };
}

const queue = (olympiadId: string, cookie: string) =>
  app.inject({ method: 'GET', url: `/api/grading/olympiads/${olympiadId}/queue`, headers: { cookie } });
const grade = (olympiadId: string, cookie: string, payload: object) =>
  app.inject({ method: 'PUT', url: `/api/grading/olympiads/${olympiadId}/grades`, headers: { cookie }, payload });

describe('blind grading of open answers', () => {
  test('graders see шифры only; two close grades give the mean; publication then works and the totals include the open points', async () => {
    const { olympiadId, students } = await setUp(2);
    const [sokolov, orlova, chair] = graders;

    const list = await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/graders`,
      headers: { cookie: organizer },
    });
    expect(list.json().graders.map((g: { isChair: boolean }) => g.isChair)).toEqual([true, false, false]);
    // Being a grader makes the account a juror.
    const roles = await t.db.selectFrom('users').select('roles').where('id', '=', sokolov.id).executeTakeFirstOrThrow();
    expect(roles.roles).toContain('juror');

    const responses: string[] = [];
    const first = await queue(olympiadId, sokolov.cookie);
    expect(first.statusCode).toBe(200);
    responses.push(first.body);
    const items = first.json().toGrade as {
      cipher: string;
      taskId: string;
      maxPoints: number;
      answerText: string;
      guidance: string;
    }[];
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      maxPoints: 10,
      answerText: 'Создать ТОС и подать заявку на конкурс.',
      guidance: 'Критерии для жюри: секретная подсказка',
    });
    expect(first.json().progress).toEqual([
      expect.objectContaining({ taskNumber: 7, total: 2, graded: 0, disputed: 0 }),
    ]);

    // Out of range and off the 0.5 step: refused, nothing stored.
    const bad = await grade(olympiadId, sokolov.cookie, {
      cipher: items[0].cipher,
      taskId: items[0].taskId,
      points: 10.5,
      comment: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.points).toContain('от 0 до 10');
    expect(
      (
        await grade(olympiadId, sokolov.cookie, {
          cipher: items[0].cipher,
          taskId: items[0].taskId,
          points: 7.25,
          comment: '',
        })
      ).statusCode,
    ).toBe(400);

    const g1 = await grade(olympiadId, sokolov.cookie, {
      cipher: items[0].cipher,
      taskId: items[0].taskId,
      points: 7,
      comment: 'Шаги описаны.',
    });
    expect(g1.statusCode, g1.body).toBe(200);
    expect(g1.json()).toEqual({ round: 1, points: 7, state: 'waiting' });
    responses.push(g1.body);

    // The second grader gets the begun answer first and never sees the first grade.
    const second = await queue(olympiadId, orlova.cookie);
    responses.push(second.body);
    expect(second.json().toGrade[0].cipher).toBe(items[0].cipher);
    expect(second.body).not.toContain('Шаги описаны');
    const g2 = await grade(olympiadId, orlova.cookie, {
      cipher: items[0].cipher,
      taskId: items[0].taskId,
      points: 8,
      comment: '',
    });
    expect(g2.json()).toEqual({ round: 2, points: 8, state: 'final' });
    // A third blind grade is refused; mine is locked now.
    expect(
      (
        await grade(olympiadId, chair.cookie, {
          cipher: items[0].cipher,
          taskId: items[0].taskId,
          points: 1,
          comment: '',
        })
      ).json().error.code,
    ).toBe('already_graded');
    expect(
      (
        await grade(olympiadId, sokolov.cookie, {
          cipher: items[0].cipher,
          taskId: items[0].taskId,
          points: 1,
          comment: '',
        })
      ).json().error.code,
    ).toBe('grade_locked');

    // The other answer: 6 and 7 → 6.5.
    await grade(olympiadId, sokolov.cookie, {
      cipher: items[1].cipher,
      taskId: items[1].taskId,
      points: 6,
      comment: '',
    });
    await grade(olympiadId, chair.cookie, { cipher: items[1].cipher, taskId: items[1].taskId, points: 7, comment: '' });

    const mine = await queue(olympiadId, sokolov.cookie);
    responses.push(mine.body);
    expect(mine.json().toGrade).toEqual([]);
    expect(mine.json().mine.map((m: { points: number; state: string }) => [m.points, m.state])).toEqual([
      [7, 'final'],
      [6, 'final'],
    ]);
    responses.push(
      (await app.inject({ method: 'GET', url: '/api/grading/olympiads', headers: { cookie: sokolov.cookie } })).body,
    );
    responses.push((await queue(olympiadId, chair.cookie)).body);

    // No grader response ever names a student, a school or an attempt.
    const attemptIds = (
      await t.db.selectFrom('olympiad_attempts').select('id').where('olympiad_id', '=', olympiadId).execute()
    ).map((a) => a.id);
    const userIds = (
      await t.db.selectFrom('olympiad_participants').select('user_id').where('olympiad_id', '=', olympiadId).execute()
    ).map((p) => p.user_id);
    for (const body of responses) {
      for (const s of students) {
        expect(body).not.toContain(s.fullName.split(' ')[0]);
        expect(body).not.toContain(s.participantId);
      }
      expect(body).not.toMatch(/Школа №/);
      for (const id of [...attemptIds, ...userIds]) expect(body).not.toContain(id);
    }

    const overview = await app.inject({
      method: 'GET',
      url: '/api/grading/olympiads',
      headers: { cookie: sokolov.cookie },
    });
    expect(overview.json().olympiads.find((o: { id: string }) => o.id === olympiadId)).toMatchObject({
      total: 2,
      graded: 2,
      disputed: 0,
      available: 0,
      gradedByMe: 2,
    });

    await t.db
      .updateTable('olympiads')
      .set({ window_end_at: new Date(Date.now() - 1000) })
      .where('id', '=', olympiadId)
      .execute();
    const preview = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
    ).json();
    expect(preview.ungradedOpenAnswers).toBe(0);
    const byCipher = Object.fromEntries(
      preview.rows.map((r: { cipher: string; total: number; points: number[] }) => [r.cipher, [r.total, r.points[6]]]),
    );
    expect(byCipher).toEqual({ [items[0].cipher]: [9 + 7.5, 7.5], [items[1].cipher]: [9 + 6.5, 6.5] });
    const published = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(published.statusCode, published.body).toBe(200);
    // After publication the grades stand (changes go through appeals).
    expect(
      (
        await grade(olympiadId, sokolov.cookie, {
          cipher: items[0].cipher,
          taskId: items[0].taskId,
          points: 1,
          comment: '',
        })
      ).statusCode,
    ).toBe(409);
  });

  test('grades further apart than the threshold make the answer disputed; the chair sees both and decides', async () => {
    const { olympiadId } = await setUp(1);
    const [sokolov, orlova, chair] = graders;
    const [item] = (await queue(olympiadId, sokolov.cookie)).json().toGrade;
    await grade(olympiadId, sokolov.cookie, {
      cipher: item.cipher,
      taskId: item.taskId,
      points: 9,
      comment: 'Отлично',
    });
    const second = await grade(olympiadId, orlova.cookie, {
      cipher: item.cipher,
      taskId: item.taskId,
      points: 4,
      comment: 'Слабо',
    });
    expect(second.json().state).toBe('disputed');

    // A grader who is not the chair sees no disputed answers and cannot decide.
    expect((await queue(olympiadId, sokolov.cookie)).json().disputed).toEqual([]);
    expect(
      (await grade(olympiadId, sokolov.cookie, { cipher: item.cipher, taskId: item.taskId, points: 6, comment: '' }))
        .statusCode,
    ).toBe(409);

    const chairQueue = (await queue(olympiadId, chair.cookie)).json();
    expect(chairQueue.isChair).toBe(true);
    expect(chairQueue.progress[0]).toMatchObject({ total: 1, graded: 0, disputed: 1 });
    expect(chairQueue.disputed).toHaveLength(1);
    expect(
      chairQueue.disputed[0].grades.map((g: { points: number; comment: string }) => [g.points, g.comment]),
    ).toEqual([
      [9, 'Отлично'],
      [4, 'Слабо'],
    ]);
    expect(chairQueue.disputed[0].decision).toBeNull();

    // Until the chair decides, publication is refused.
    await t.db
      .updateTable('olympiads')
      .set({ window_end_at: new Date(Date.now() - 1000) })
      .where('id', '=', olympiadId)
      .execute();
    const early = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(early.json().error.code).toBe('open_answers_ungraded');

    const decided = await grade(olympiadId, chair.cookie, {
      cipher: item.cipher,
      taskId: item.taskId,
      points: 5.5,
      comment: 'Решение председателя',
    });
    expect(decided.json()).toEqual({ round: 3, points: 5.5, state: 'final' });
    const preview = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
    ).json();
    expect(preview.rows[0].points[6]).toBe(5.5);
    expect(preview.rows[0].total).toBe(14.5);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/results/publish`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(200);
  });

  test("the threshold is the organizer's setting: within it, no dispute", async () => {
    const { olympiadId } = await setUp(1);
    const settings = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/grading-settings`,
      headers: { cookie: organizer },
      payload: { openGradeThreshold: 5, appealHours: 24 },
    });
    expect(settings.statusCode).toBe(200);
    expect(settings.json().olympiad).toMatchObject({ openGradeThreshold: 5, appealHours: 24 });
    const [sokolov, orlova] = graders;
    const [item] = (await queue(olympiadId, sokolov.cookie)).json().toGrade;
    await grade(olympiadId, sokolov.cookie, { cipher: item.cipher, taskId: item.taskId, points: 9, comment: '' });
    const second = await grade(olympiadId, orlova.cookie, {
      cipher: item.cipher,
      taskId: item.taskId,
      points: 4,
      comment: '',
    });
    // 6.5 is the mean; 9 − 4 = 5 is not more than 5.
    expect(second.json()).toMatchObject({ state: 'final' });
    const preview = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
    ).json();
    expect(preview.rows[0].points[6]).toBe(6.5);
  });

  test('non-graders, students and strangers are refused; only the organizer manages graders', async () => {
    const { olympiadId, students } = await setUp(1);
    const stranger = await createUserInDb(t.db, { roles: ['juror'] });
    const strangerCookie = await signIn(app, stranger.email, stranger.password);
    for (const cookie of [students[0].cookie, strangerCookie, organizer]) {
      expect((await queue(olympiadId, cookie)).statusCode).toBe(403);
      expect(
        (
          await grade(olympiadId, cookie, {
            cipher: 'X',
            taskId: '00000000-0000-4000-8000-000000000000',
            points: 1,
            comment: '',
          })
        ).statusCode,
      ).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: `/api/grading/olympiads/${olympiadId}/queue` })).statusCode).toBe(
      401,
    );
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/olympiads/${olympiadId}/graders`,
          headers: { cookie: graders[2].cookie },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/graders`,
          headers: { cookie: strangerCookie },
          payload: { email: stranger.email, isChair: false },
        })
      ).statusCode,
    ).toBe(403);
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/graders`,
      headers: { cookie: organizer },
      payload: { email: 'nobody@example.ru', isChair: false },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.email).toContain('Нет учётной записи');
    // A removed grader loses access.
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/olympiads/${olympiadId}/graders/${graders[0].id}`,
      headers: { cookie: organizer },
    });
    expect(removed.json().graders).toHaveLength(2);
    expect((await queue(olympiadId, graders[0].cookie)).statusCode).toBe(403);
    // An answer that does not exist (or a шифр of someone else's olympiad) is not found.
    const wrong = await grade(olympiadId, graders[1].cookie, {
      cipher: 'НЕТ-ТАКОГО',
      taskId: '00000000-0000-4000-8000-000000000000',
      points: 1,
      comment: '',
    });
    expect(wrong.statusCode).toBe(404);
  });
});

describe('demo', () => {
  test("the demo juror and chair have the demo students' open answers to grade; the demo student has not started", async () => {
    const { seedDemo, DEMO_ACCESS_CODE, DEMO_OLYMPIAD_STUDENTS } = await import('@konkurs/db');
    const { hashPassword } = await import('../../server/src/modules/auth/passwords.ts');
    const { gradeAnswer } = await import('../../server/src/modules/olympiad/grading/grading.ts');
    expect(await seedDemo(t.db, { hashPassword })).toBe(true);
    const olympiad = await t.db
      .selectFrom('olympiads')
      .select('id')
      .where('slug', '=', 'olimpiada-osnovy-msu')
      .executeTakeFirstOrThrow();

    const juror = await signIn(app, 'juror@demo.konkurs.local', 'juror-demo-1');
    const mine = (await app.inject({ method: 'GET', url: '/api/grading/olympiads', headers: { cookie: juror } })).json()
      .olympiads;
    expect(mine).toEqual([
      expect.objectContaining({
        id: olympiad.id,
        isChair: false,
        total: 2 * DEMO_OLYMPIAD_STUDENTS.length,
        available: 2 * DEMO_OLYMPIAD_STUDENTS.length,
      }),
    ]);
    const chair = await signIn(app, 'chair@demo.konkurs.local', 'chair-demo-1');
    const chairQueue = await queue(olympiad.id, chair);
    expect(chairQueue.json().isChair).toBe(true);
    for (const s of DEMO_OLYMPIAD_STUDENTS) expect(chairQueue.body).not.toContain(s.last);

    // The seeded points of closed tasks are what the grader would give.
    const answers = await t.db
      .selectFrom('olympiad_answers as ans')
      .innerJoin('olympiad_tasks as t', 't.id', 'ans.task_id')
      .select(['ans.answer', 'ans.auto_points', 't.kind', 't.points', 't.key'])
      .where('t.olympiad_id', '=', olympiad.id)
      .execute();
    for (const a of answers)
      expect(a.auto_points).toBe(gradeAnswer({ kind: a.kind, points: a.points, key: a.key }, a.answer));

    const demoStudent = await t.db
      .selectFrom('olympiad_participants as p')
      .leftJoin('olympiad_attempts as a', 'a.participant_id', 'p.id')
      .select('a.id')
      .where('p.access_code', '=', DEMO_ACCESS_CODE)
      .executeTakeFirstOrThrow();
    expect(demoStudent.id).toBeNull();
  });
});
