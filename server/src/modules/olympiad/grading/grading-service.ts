import { sql, type Db } from '@konkurs/db';
import { AppError, forbidden, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { closeExpiredAttempts } from '../attempts/attempt-service.ts';
import type {
  AddGraderBody,
  GradeBody,
  GraderList,
  GradeResult,
  GradingOlympiadList,
  GradingQueue,
  GradingSettingsBody,
} from './grading-schemas.ts';
import { finalOpenPoints, loadOpenAnswers, type OpenAnswer } from './open-answers.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { criteriaOf, isHalfStep, type Criterion } from '../tasks/tasks.ts';
import { ruNumber } from '../../../lib/ru-number.ts';

/**
 * Blind grading of open answers. Distribution: a grader asking for work gets every answer they have not graded
 * that has fewer than two blind grades, the ones a colleague has already begun first (so answers become final
 * sooner), then by шифр. Two graders may pick the same fresh answer at once: both grades count, and a third blind
 * grade is refused under the answer's row lock. Graders see the шифр only.
 */
type Actor = { id: string; ip: string };

// ---- The organizer: graders and settings ----

export async function listGraders(db: Db, olympiadId: string): Promise<GraderList> {
  const o = await getOlympiad(db, olympiadId);
  const rows = await db
    .selectFrom('olympiad_graders as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['g.user_id', 'g.is_chair', 'u.email', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .select((eb) =>
      eb
        .selectFrom('olympiad_open_grades as og')
        .innerJoin('olympiad_attempts as a', 'a.id', 'og.attempt_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('og.grader_id', '=', 'g.user_id')
        .where('a.olympiad_id', '=', olympiadId)
        .as('graded'),
    )
    .where('g.olympiad_id', '=', olympiadId)
    .orderBy('g.is_chair', 'desc')
    .orderBy('u.last_name')
    .execute();
  return {
    olympiad: { id: o.id, title: o.title, openGradeThreshold: o.open_grade_threshold, appealHours: o.appeal_hours },
    graders: rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      isChair: r.is_chair,
      graded: Number(r.graded ?? 0),
      fullName: fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name }),
    })),
  };
}

/** Adds an existing account as a grader (it gets the juror role); with isChair it becomes the one chair. */
export async function addGrader(db: Db, olympiadId: string, body: AddGraderBody, actor: Actor): Promise<void> {
  await getOlympiad(db, olympiadId);
  const email = body.email.trim().toLowerCase();
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'roles'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    if (!user)
      throw new AppError('validation', 'Пользователь с такой электронной почтой не зарегистрирован.', {
        email: 'Нет учётной записи с такой почтой: попросите проверяющего зарегистрироваться.',
      });
    if (user.roles.includes('student'))
      throw new AppError('validation', 'Участник олимпиады не может быть проверяющим.', {
        email: 'Это учётная запись участника.',
      });
    if (!user.roles.includes('juror'))
      await trx
        .updateTable('users')
        .set({ roles: [...user.roles, 'juror'] })
        .where('id', '=', user.id)
        .execute();
    if (body.isChair)
      await trx
        .updateTable('olympiad_graders')
        .set({ is_chair: false })
        .where('olympiad_id', '=', olympiadId)
        .where('user_id', '!=', user.id)
        .execute();
    await trx
      .insertInto('olympiad_graders')
      .values({ olympiad_id: olympiadId, user_id: user.id, is_chair: body.isChair, added_by: actor.id })
      .onConflict((oc) => oc.columns(['olympiad_id', 'user_id']).doUpdateSet({ is_chair: body.isChair }))
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.grader.add',
      entity: 'olympiad',
      entityId: olympiadId,
      after: { userId: user.id, isChair: body.isChair },
      ip: actor.ip,
    });
  });
}

export async function removeGrader(db: Db, olympiadId: string, userId: string, actor: Actor): Promise<void> {
  const removed = await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('olympiad_graders')
      .where('olympiad_id', '=', olympiadId)
      .where('user_id', '=', userId)
      .returning(['user_id', 'is_chair'])
      .executeTakeFirst();
    if (!row) return false;
    // The grades already given stay: they are part of the answers' record.
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.grader.remove',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { userId, isChair: row.is_chair },
      ip: actor.ip,
    });
    return true;
  });
  if (!removed) throw notFound('Проверяющий не найден.');
}

export async function setGradingSettings(
  db: Db,
  olympiadId: string,
  body: GradingSettingsBody,
  actor: Actor,
): Promise<void> {
  const before = await getOlympiad(db, olympiadId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('olympiads')
      .set({ open_grade_threshold: body.openGradeThreshold, appeal_hours: body.appealHours })
      .where('id', '=', olympiadId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.grading_settings.set',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { openGradeThreshold: before.open_grade_threshold, appealHours: before.appeal_hours },
      after: body,
      ip: actor.ip,
    });
  });
}

// ---- Graders ----

async function graderOf(db: Db, olympiadId: string, userId: string) {
  const row = await db
    .selectFrom('olympiad_graders')
    .select('is_chair')
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw forbidden();
  return row;
}

async function chairOf(db: Db, olympiadId: string): Promise<string | null> {
  const row = await db
    .selectFrom('olympiad_graders')
    .select('user_id')
    .where('olympiad_id', '=', olympiadId)
    .where('is_chair', '=', true)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/**
 * Who decides a disputed answer: the chair — unless the chair is one of its two graders, for then the chair would
 * decide their own side; then any other grader (a third one) does. One of the two graders never decides.
 */
export function decides(
  grades: { round: number; graderId: string }[],
  userId: string,
  isChair: boolean,
  chairId: string | null,
): boolean {
  const blind = grades.filter((g) => g.round < 3).map((g) => g.graderId);
  if (blind.includes(userId)) return false;
  const chairGraded = chairId !== null && blind.includes(chairId);
  return chairGraded ? !isChair : isChair;
}

/** The points of a grade: the sum of the points per criterion when the task lists criteria, each within its part. */
function gradePoints(
  body: GradeBody,
  maxPoints: number,
  criteria: Criterion[],
): { points: number; criteriaPoints: number[] | null } {
  if (criteria.length === 0) {
    const points = body.points;
    if (points === undefined || points > maxPoints || !isHalfStep(points)) {
      const message = `Баллы: от 0 до ${ruNumber(maxPoints)} с шагом 0,5.`;
      throw new AppError('validation', message, { points: message });
    }
    return { points, criteriaPoints: null };
  }
  const given = body.criteria ?? [];
  const fields: Record<string, string> = {};
  criteria.forEach((c, i) => {
    const p = given[i];
    if (p === undefined || p > c.points || !isHalfStep(p))
      fields[`criteria.${i}`] = `Критерий «${c.title}»: от 0 до ${ruNumber(c.points)} с шагом 0,5.`;
  });
  if (given.length > criteria.length) fields.criteria = `Критериев у задания: ${criteria.length}.`;
  if (Object.keys(fields).length) throw new AppError('validation', 'Проверьте баллы по критериям.', fields);
  return { points: given.reduce((sum, p) => sum + p, 0), criteriaPoints: given };
}

const mayGrade = (a: OpenAnswer, userId: string) =>
  a.grades.filter((g) => g.round < 3).length < 2 && !a.grades.some((g) => g.round < 3 && g.graderId === userId);

export async function myGradingOlympiads(db: Db, userId: string): Promise<GradingOlympiadList> {
  await closeExpiredAttempts(db);
  const rows = await db
    .selectFrom('olympiad_graders as g')
    .innerJoin('olympiads as o', 'o.id', 'g.olympiad_id')
    .select(['o.id', 'o.title', 'o.results_published_at', 'g.is_chair'])
    .where('g.user_id', '=', userId)
    .orderBy('o.window_start_at', 'desc')
    .execute();
  const olympiads = [];
  for (const o of rows) {
    const answers = await loadOpenAnswers(db, o.id);
    olympiads.push({
      id: o.id,
      title: o.title,
      isChair: o.is_chair,
      resultsPublished: o.results_published_at !== null,
      total: answers.length,
      graded: answers.filter((a) => a.state === 'final').length,
      disputed: answers.filter((a) => a.state === 'disputed').length,
      available: answers.filter((a) => mayGrade(a, userId)).length,
      gradedByMe: answers.filter((a) => a.grades.some((g) => g.graderId === userId)).length,
    });
  }
  return { olympiads };
}

export async function gradingQueue(db: Db, olympiadId: string, userId: string): Promise<GradingQueue> {
  const o = await getOlympiad(db, olympiadId);
  const { is_chair: isChair } = await graderOf(db, olympiadId, userId);
  const chairId = await chairOf(db, olympiadId);
  await closeExpiredAttempts(db);
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind', 'prompt', 'points', 'key'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const taskById = new Map(tasks.map((t, i) => [t.id, { ...t, number: i + 1 }]));
  const answers = await loadOpenAnswers(db, olympiadId);
  const view = (a: OpenAnswer) => {
    const t = taskById.get(a.taskId)!;
    const guidance = (t.key as { guidance?: unknown } | null)?.guidance;
    return {
      cipher: a.cipher,
      taskId: a.taskId,
      taskNumber: t.number,
      prompt: t.prompt,
      guidance: typeof guidance === 'string' ? guidance : '',
      criteria: criteriaOf(t.key),
      maxPoints: t.points,
      answerText: a.text,
    };
  };
  const blindCount = (a: OpenAnswer) => a.grades.filter((g) => g.round < 3).length;
  return {
    olympiad: {
      id: o.id,
      title: o.title,
      openGradeThreshold: o.open_grade_threshold,
      resultsPublished: o.results_published_at !== null,
    },
    isChair,
    progress: tasks
      .filter((t) => t.kind === 'open')
      .map((t) => {
        const of = answers.filter((a) => a.taskId === t.id);
        return {
          taskId: t.id,
          taskNumber: taskById.get(t.id)!.number,
          maxPoints: t.points,
          total: of.length,
          graded: of.filter((a) => a.state === 'final').length,
          disputed: of.filter((a) => a.state === 'disputed').length,
        };
      }),
    toGrade: answers
      .filter((a) => mayGrade(a, userId))
      .sort((x, y) => blindCount(y) - blindCount(x))
      .map(view),
    mine: answers.flatMap((a) => {
      const mine = a.grades.find((g) => g.round < 3 && g.graderId === userId);
      if (!mine) return [];
      return [
        {
          ...view(a),
          points: mine.points,
          criteriaPoints: mine.criteriaPoints,
          comment: mine.comment,
          state: a.state,
          editable: blindCount(a) < 2 && o.results_published_at === null,
        },
      ];
    }),
    disputed: answers
      .filter(
        (a) =>
          finalOpenPoints(
            a.grades.filter((g) => g.round < 3),
            o.open_grade_threshold,
          ).state === 'disputed' && decides(a.grades, userId, isChair, chairId),
      )
      .map((a) => ({
        ...view(a),
        grades: a.grades
          .filter((g) => g.round < 3)
          .map((g) => ({
            round: g.round,
            graderName: g.graderName,
            points: g.points,
            criteriaPoints: g.criteriaPoints,
            comment: g.comment,
          })),
        decision: a.grades.find((g) => g.round === 3)?.points ?? null,
      })),
  };
}

const answerNotFound = () => notFound('Ответ с таким шифром и заданием не найден среди завершённых работ.');

/**
 * A grader's blind grade (rounds 1–2), or the chair's decision on a disputed answer (round 3).
 * My blind grade may change until the second one is in; the chair may change a decision until publication.
 */
export async function putGrade(
  db: Db,
  olympiadId: string,
  body: GradeBody,
  actor: Actor,
  now: Date,
): Promise<GradeResult> {
  const o = await getOlympiad(db, olympiadId);
  const { is_chair: isChair } = await graderOf(db, olympiadId, actor.id);
  const published = () =>
    new AppError(
      'results_published',
      'Итоги уже опубликованы: оценки менять нельзя (изменения — только через апелляцию).',
    );
  if (o.results_published_at) throw published();
  const target = await db
    .selectFrom('olympiad_answers as ans')
    .innerJoin('olympiad_attempts as a', 'a.id', 'ans.attempt_id')
    .innerJoin('olympiad_participants as p', 'p.id', 'a.participant_id')
    .innerJoin('olympiad_tasks as t', 't.id', 'ans.task_id')
    .select([
      'ans.attempt_id',
      't.points',
      't.key',
      't.kind',
      'a.closed_at',
      sql<string>`coalesce(ans.answer->>'text', '')`.as('text'),
    ])
    .where('p.olympiad_id', '=', olympiadId)
    .where('a.voided_at', 'is', null)
    .where('p.cipher', '=', body.cipher.trim())
    .where('ans.task_id', '=', body.taskId)
    .executeTakeFirst();
  if (!target || target.kind !== 'open' || target.closed_at === null || !target.text.trim()) throw answerNotFound();
  const { points, criteriaPoints } = gradePoints(body, target.points, criteriaOf(target.key));
  const criteriaJson = criteriaPoints ? JSON.stringify(criteriaPoints) : null;
  const chairId = await chairOf(db, olympiadId);
  const comment = body.comment.trim();

  return db.transaction().execute(async (trx) => {
    // Checked under the olympiad's row (FOR SHARE), which publication locks FOR UPDATE: a grade either lands before the
    // published table is made, or is refused.
    const locked = await trx
      .selectFrom('olympiads')
      .select('results_published_at')
      .where('id', '=', olympiadId)
      .forShare()
      .executeTakeFirstOrThrow();
    if (locked.results_published_at) throw published();
    // The answer's row lock serializes every grade of this answer.
    await trx
      .selectFrom('olympiad_answers')
      .select('attempt_id')
      .where('attempt_id', '=', target.attempt_id)
      .where('task_id', '=', body.taskId)
      .forUpdate()
      .execute();
    const grades = await trx
      .selectFrom('olympiad_open_grades')
      .select(['id', 'round', 'points', 'grader_id'])
      .where('attempt_id', '=', target.attempt_id)
      .where('task_id', '=', body.taskId)
      .execute();
    const blind = grades.filter((g) => g.round < 3);
    const mine = blind.find((g) => g.grader_id === actor.id);
    const disputed = finalOpenPoints(blind, o.open_grade_threshold).state === 'disputed';
    const gradedBy = grades.map((g) => ({ round: g.round, graderId: g.grader_id }));
    const grade = { points, criteria_points: criteriaJson, comment, graded_at: now };
    const insertGrade = (round: number) =>
      trx
        .insertInto('olympiad_open_grades')
        .values({ ...grade, attempt_id: target.attempt_id, task_id: body.taskId, grader_id: actor.id, round })
        .execute();
    const updateGrade = (id: (typeof grades)[number]['id'], graderId?: string) =>
      trx
        .updateTable('olympiad_open_grades')
        .set(graderId ? { ...grade, grader_id: graderId } : grade)
        .where('id', '=', id)
        .execute();
    let round: number;
    if (blind.length === 2 && disputed && decides(gradedBy, actor.id, isChair, chairId)) {
      round = 3;
      // The deciding grade is one: a later decision (by whoever may decide) replaces the earlier one.
      const before = grades.find((g) => g.round === 3);
      if (before) await updateGrade(before.id, actor.id);
      else await insertGrade(round);
    } else if (mine) {
      if (blind.length === 2)
        throw new AppError('grade_locked', 'Ответ уже оценили оба проверяющих: свою оценку изменить нельзя.');
      round = mine.round;
      await updateGrade(mine.id);
    } else {
      if (blind.length >= 2)
        throw new AppError('already_graded', 'Этот ответ уже оценили два проверяющих. Возьмите следующий.');
      round = blind.some((g) => g.round === 1) ? 2 : 1;
      await insertGrade(round);
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: round === 3 ? 'olympiad.grade.decide' : 'olympiad.grade.put',
      entity: 'olympiad_answer',
      entityId: target.attempt_id,
      after: { taskId: body.taskId, cipher: body.cipher, round, points, criteriaPoints },
      ip: actor.ip,
    });
    const after = await trx
      .selectFrom('olympiad_open_grades')
      .select(['round', 'points'])
      .where('attempt_id', '=', target.attempt_id)
      .where('task_id', '=', body.taskId)
      .execute();
    return { round, points, state: finalOpenPoints(after, o.open_grade_threshold).state };
  });
}
