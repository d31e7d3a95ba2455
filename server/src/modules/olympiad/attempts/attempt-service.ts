import { randomInt } from 'node:crypto';
import { sql, type Db } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { gradeAnswer } from '../grading/grading.ts';
import type { AttemptTime, AttemptView, MyOlympiad } from '../schemas.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { studentTask, taskOrder } from '../tasks/tasks.ts';
import { extraMinutesOf } from './time-extension.ts';

/**
 * Timed attempts. The database's clock is the only clock: deadlines are computed and compared in SQL (now()),
 * so any number of server processes agree, and nothing lives in a process. An attempt whose deadline has passed
 * is closed by whoever touches it first: a page load, a save, or the periodic sweep (closeExpiredAttempts).
 */
export const attemptNotFound = () => notFound('Попытка не найдена.');
export const attemptClosed = () =>
  new AppError(
    'attempt_closed',
    'Работа завершена: время вышло или вы закончили её досрочно. Ответы больше не принимаются.',
  );

const attemptColumns = [
  'a.id',
  'a.olympiad_id',
  'a.user_id',
  'a.started_at',
  'a.deadline_at',
  'a.closed_at',
  'a.close_reason',
  'a.seed',
] as const;

function attemptState(a: {
  id: string;
  started_at: Date;
  deadline_at: Date;
  closed_at: Date | null;
  close_reason: 'finished' | 'deadline' | null;
}) {
  return {
    id: a.id,
    startedAt: a.started_at.toISOString(),
    deadlineAt: a.deadline_at.toISOString(),
    closedAt: a.closed_at ? a.closed_at.toISOString() : null,
    closeReason: a.close_reason,
  };
}

/**
 * The attempt's time and the olympiad's grace are over: saves no longer count (SQL on olympiad_attempts, named as in
 * the query it goes into). Saves already on their way when the time ran out are taken during the grace.
 */
const pastGrace = (attempts: string) =>
  sql<boolean>`${sql.ref(`${attempts}.deadline_at`)} + make_interval(secs => (select o.grace_seconds from olympiads o
    where o.id = ${sql.ref(`${attempts}.olympiad_id`)})) <= now()`;

/**
 * Grades the attempt's closed tasks again from its stored answers: each answer's points and the attempt's total.
 * Open tasks are left to the jury (their points stay null).
 */
export async function gradeAttempt(
  trx: Db,
  attemptId: string,
  olympiadId: string,
): Promise<{ autoScore: number; answers: number }> {
  const tasks = await trx
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind', 'points', 'key'])
    .where('olympiad_id', '=', olympiadId)
    .execute();
  const answers = await trx
    .selectFrom('olympiad_answers')
    .select(['task_id', 'answer'])
    .where('attempt_id', '=', attemptId)
    .execute();
  const byTask = new Map(tasks.map((t) => [t.id, t]));
  const graded = answers.map((a) => {
    const task = byTask.get(a.task_id);
    return { task_id: a.task_id, points: task ? gradeAnswer(task, a.answer) : 0 };
  });
  if (graded.length) {
    await sql`
      update olympiad_answers set auto_points = g.points
      from jsonb_to_recordset(${JSON.stringify(graded)}::jsonb) as g(task_id uuid, points double precision)
      where olympiad_answers.attempt_id = ${attemptId} and olympiad_answers.task_id = g.task_id`.execute(trx);
  }
  const autoScore = Math.round(graded.reduce((sum, g) => sum + (g.points ?? 0), 0) * 100) / 100;
  await trx.updateTable('olympiad_attempts').set({ auto_score: autoScore }).where('id', '=', attemptId).execute();
  return { autoScore, answers: graded.length };
}

/**
 * Closes an attempt and grades its closed tasks, in one transaction. Idempotent: a closed attempt stays as it was.
 * 'deadline' closes only an attempt whose deadline and the olympiad's grace have passed, and records the deadline as
 * the closing moment.
 */
export async function closeAttempt(
  db: Db,
  attemptId: string,
  reason: 'finished' | 'deadline',
  actorId: string | null,
  ip: string | null = null,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // The row lock makes saves that are in flight wait (they lock the attempt FOR SHARE) and then see it closed.
    const attempt = await trx
      .selectFrom('olympiad_attempts')
      .select(['id', 'olympiad_id', 'closed_at', pastGrace('olympiad_attempts').as('expired')])
      .where('id', '=', attemptId)
      .forUpdate()
      .executeTakeFirst();
    if (!attempt || attempt.closed_at !== null) return false;
    if (reason === 'deadline' && !attempt.expired) return false;

    await trx
      .updateTable('olympiad_attempts')
      .set({
        closed_at: reason === 'deadline' ? sql<Date>`deadline_at` : sql<Date>`least(now(), deadline_at)`,
        close_reason: reason,
      })
      .where('id', '=', attemptId)
      .execute();
    const { autoScore, answers } = await gradeAttempt(trx, attemptId, attempt.olympiad_id);
    await recordAudit(trx, {
      actorId,
      action: reason === 'finished' ? 'olympiad.attempt.finish' : 'olympiad.attempt.deadline',
      entity: 'olympiad_attempt',
      entityId: attemptId,
      after: { reason, autoScore, answers },
      ip,
    });
    return true;
  });
}

/** The periodic sweep: closes attempts whose deadline has passed, even when no browser is left to ask. Returns how many it closed. */
export async function closeExpiredAttempts(db: Db, limit = 200): Promise<number> {
  const expired = await db
    .selectFrom('olympiad_attempts')
    .select('id')
    .where('closed_at', 'is', null)
    .where('deadline_at', '<=', sql<Date>`now()`)
    .where(pastGrace('olympiad_attempts'))
    .orderBy('deadline_at')
    .limit(limit)
    .execute();
  let closed = 0;
  for (const { id } of expired) if (await closeAttempt(db, id, 'deadline', null)) closed += 1;
  return closed;
}

async function participantOf(db: Db, olympiadId: string, userId: string) {
  return db
    .selectFrom('olympiad_participants')
    .selectAll()
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The student's own attempt, closed first if its time is up. Someone else's attempt is "not found". */
async function ownAttempt(db: Db, attemptId: string, user: SessionUser) {
  const load = () =>
    db
      .selectFrom('olympiad_attempts as a')
      .select([
        ...attemptColumns,
        sql<boolean>`a.closed_at is null and ${pastGrace('a')}`.as('expired'),
        sql<Date>`now()`.as('db_now'),
      ])
      .where('a.id', '=', attemptId)
      .where('a.user_id', '=', user.id)
      .executeTakeFirst();
  let attempt = await load();
  if (!attempt) throw attemptNotFound();
  if (attempt.expired) {
    await closeAttempt(db, attemptId, 'deadline', null);
    attempt = (await load())!;
  }
  return attempt;
}

export async function myOlympiad(db: Db, olympiadId: string, user: SessionUser): Promise<MyOlympiad> {
  const olympiad = await getOlympiad(db, olympiadId);
  const participant = await participantOf(db, olympiadId, user.id);
  const existing = await db
    .selectFrom('olympiad_attempts')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  const attempt = existing ? await ownAttempt(db, existing.id, user) : null;
  const { now, tasks } = await db
    .selectFrom('olympiad_tasks')
    .select([sql<Date>`now()`.as('now'), sql<number>`count(*)::int`.as('tasks')])
    .where('olympiad_id', '=', olympiadId)
    .executeTakeFirstOrThrow();
  const dbNow = new Date(now);
  let cannotStart: string | null = null;
  if (!participant)
    cannotStart =
      'Вас нет в списке участников этой олимпиады. Войдите по своему коду доступа или обратитесь к организатору.';
  else if (!attempt && dbNow < olympiad.window_start_at) cannotStart = 'Олимпиада ещё не началась.';
  else if (!attempt && dbNow >= olympiad.window_end_at) cannotStart = 'Время проведения олимпиады закончилось.';
  else if (!attempt && tasks === 0) cannotStart = 'Задания олимпиады ещё не готовы. Обратитесь к организатору.';
  return {
    olympiad: {
      id: olympiad.id,
      title: olympiad.title,
      description: olympiad.description,
      windowStartAt: olympiad.window_start_at.toISOString(),
      windowEndAt: olympiad.window_end_at.toISOString(),
      timeLimitMinutes: olympiad.time_limit_minutes,
      taskCount: tasks,
    },
    serverNow: dbNow.toISOString(),
    participant: participant
      ? { school: participant.school, grade: participant.grade, className: participant.class_name }
      : null,
    attempt: attempt ? attemptState(attempt) : null,
    cannotStart,
  };
}

/** Starts the student's attempt, or returns the one already started (a second device continues the same attempt). */
export async function startAttempt(db: Db, olympiadId: string, user: SessionUser, ip: string): Promise<AttemptView> {
  await getOlympiad(db, olympiadId);
  const attemptId = await db.transaction().execute(async (trx) => {
    const participant = await trx
      .selectFrom('olympiad_participants')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .where('user_id', '=', user.id)
      .forUpdate()
      .executeTakeFirst();
    if (!participant)
      throw new AppError(
        'not_participant',
        'Вас нет в списке участников этой олимпиады. Войдите по своему коду доступа или обратитесь к организатору.',
      );
    const existing = await trx
      .selectFrom('olympiad_attempts')
      .select('id')
      .where('participant_id', '=', participant.id)
      .executeTakeFirst();
    if (existing) return existing.id;
    const window = await trx
      .selectFrom('olympiads')
      .select([sql<boolean>`now() < window_start_at`.as('early'), sql<boolean>`now() >= window_end_at`.as('late')])
      .where('id', '=', olympiadId)
      .executeTakeFirstOrThrow();
    if (window.early)
      throw new AppError('not_started', 'Олимпиада ещё не началась: начать работу можно после открытия.');
    if (window.late)
      throw new AppError('window_closed', 'Время проведения олимпиады закончилось: начать работу уже нельзя.');
    const tasks = await trx
      .selectFrom('olympiad_tasks')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .limit(1)
      .executeTakeFirst();
    if (!tasks) throw new AppError('no_tasks', 'Задания олимпиады ещё не готовы. Обратитесь к организатору.');
    const created = await trx
      .insertInto('olympiad_attempts')
      .values((eb) => ({
        olympiad_id: olympiadId,
        participant_id: participant.id,
        user_id: user.id,
        started_at: sql<Date>`now()`,
        // deadline = min(start + time limit, window end), on the database's clock, plus the organizer's extensions
        // given before the start (an individual extension may go past the window's end).
        deadline_at: eb
          .selectFrom('olympiads')
          .select(
            sql<Date>`least(now() + make_interval(mins => time_limit_minutes), window_end_at)
              + make_interval(mins => ${extraMinutesOf(participant.id)})`.as('deadline'),
          )
          .where('id', '=', olympiadId),
        seed: randomInt(0, 2 ** 31 - 1),
      }))
      .returning(['id', 'deadline_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: user.id,
      action: 'olympiad.attempt.start',
      entity: 'olympiad_attempt',
      entityId: created.id,
      after: { deadlineAt: created.deadline_at },
      ip,
    });
    return created.id;
  });
  return attemptView(db, attemptId, user);
}

/** Everything the student's page needs: the attempt, the tasks in this student's order without keys, the saved answers. */
export async function attemptView(db: Db, attemptId: string, user: SessionUser): Promise<AttemptView> {
  const attempt = await ownAttempt(db, attemptId, user);
  const olympiad = await getOlympiad(db, attempt.olympiad_id);
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind', 'prompt', 'points', 'content', 'key'])
    .where('olympiad_id', '=', attempt.olympiad_id)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const answers = await db
    .selectFrom('olympiad_answers')
    .select(['task_id', 'answer', 'seq', 'saved_at'])
    .where('attempt_id', '=', attemptId)
    .execute();
  const late = await db
    .selectFrom('olympiad_late_answers')
    .select(['task_id', 'answered_at', 'received_at', 'accepted_at'])
    .where('attempt_id', '=', attemptId)
    .orderBy('received_at')
    .execute();
  return {
    attempt: attemptState(attempt),
    serverNow: new Date(attempt.db_now).toISOString(),
    olympiad: { id: olympiad.id, title: olympiad.title },
    tasks: taskOrder(tasks, attempt.seed, olympiad.shuffle_tasks).map((t) =>
      studentTask(t, attempt.seed, olympiad.shuffle_options),
    ),
    answers: Object.fromEntries(
      answers.map((a) => [
        a.task_id,
        { answer: a.answer as AttemptView['answers'][string]['answer'], seq: a.seq, savedAt: a.saved_at.toISOString() },
      ]),
    ),
    lateAnswers: late.map((l) => ({
      taskId: l.task_id,
      answeredAt: l.answered_at ? l.answered_at.toISOString() : null,
      receivedAt: l.received_at.toISOString(),
      accepted: l.accepted_at !== null,
    })),
    graceSeconds: olympiad.grace_seconds,
  };
}

/** The attempt's times (closed first if its time is up): the page's periodic check for an extension. */
export async function attemptTime(db: Db, attemptId: string, user: SessionUser): Promise<AttemptTime> {
  const attempt = await ownAttempt(db, attemptId, user);
  return { attempt: attemptState(attempt), serverNow: new Date(attempt.db_now).toISOString() };
}

export async function finishAttempt(db: Db, attemptId: string, user: SessionUser, ip: string): Promise<AttemptView> {
  await ownAttempt(db, attemptId, user);
  await closeAttempt(db, attemptId, 'finished', user.id, ip);
  return attemptView(db, attemptId, user);
}

/** Why a save was refused: someone else's or unknown attempt or task (404), or a closed attempt (409, closed now if its time is up). */
export async function explainRefusedSave(
  db: Db,
  attemptId: string,
  taskId: string,
  user: SessionUser,
): Promise<AppError> {
  const attempt = await ownAttempt(db, attemptId, user);
  const task = await db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('id', '=', taskId)
    .where('olympiad_id', '=', attempt.olympiad_id)
    .executeTakeFirst();
  if (!task) return notFound('Задание не найдено.');
  if (attempt.closed_at !== null) return attemptClosed();
  // Open and in time now, so the save met the attempt at a moment it was being closed or finished: let the page try again.
  return new AppError('save_retry', 'Ответ не сохранён. Он будет отправлен ещё раз автоматически.');
}
