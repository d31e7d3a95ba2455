import { sql, type Db } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { closeAttempt, gradeAttempt } from '../attempts/attempt-service.ts';
import type { Option, TaskContent } from '../grading/grading.ts';
import type { AnswerDto, ParticipantCard } from '../schemas.ts';
import { storePublishedResults } from '../results/results-service.ts';
import { extensionsOf } from '../attempts/time-extension.ts';

type Actor = { id: string; ip: string };

const participantNotFound = () => notFound('Участник не найден.');

/** An answer as the organizer reads it: the chosen options' texts rather than their ids. */
export function answerText(content: TaskContent, answer: AnswerDto): string {
  const textOf = (list: Option[] | undefined, id: string) => list?.find((o) => o.id === id)?.text ?? id;
  if (answer.choice) return textOf(content.options, answer.choice);
  if (answer.choices?.length) return answer.choices.map((id) => textOf(content.options, id)).join('; ');
  if (answer.pairs && Object.keys(answer.pairs).length)
    return Object.entries(answer.pairs)
      .map(([l, r]) => `${textOf(content.left, l)} — ${textOf(content.right, r)}`)
      .join('; ');
  if (answer.order?.length) return answer.order.map((id) => textOf(content.items, id)).join(' → ');
  return answer.text ?? '';
}

/**
 * One participant as the organizer sees them: the work's times and the answers that
 * arrived too late to count, each with the page's own timestamp, the arrival time and, once accepted, who and why.
 */
export async function participantCard(db: Db, olympiadId: string, participantId: string): Promise<ParticipantCard> {
  const p = await db
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .innerJoin('olympiads as o', 'o.id', 'p.olympiad_id')
    .leftJoin('olympiad_attempts as a', 'a.participant_id', 'p.id')
    .select([
      'p.id',
      'p.school',
      'p.grade',
      'p.class_name',
      'p.cipher',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'o.title',
      'o.time_limit_minutes',
      'o.grace_seconds',
      'a.id as attempt_id',
      'a.started_at',
      'a.deadline_at',
      'a.closed_at',
      'a.close_reason',
      'a.auto_score',
      'a.voided_at',
    ])
    .where('p.id', '=', participantId)
    .where('p.olympiad_id', '=', olympiadId)
    .executeTakeFirst();
  if (!p) throw participantNotFound();
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'prompt', 'content'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const late = p.attempt_id
    ? await db
        .selectFrom('olympiad_late_answers as l')
        .leftJoin('users as u', 'u.id', 'l.accepted_by')
        .select([
          'l.task_id',
          'l.answer',
          'l.answered_at',
          'l.received_at',
          'l.accepted_at',
          'l.accept_reason',
          'u.last_name',
          'u.first_name',
          'u.middle_name',
        ])
        .where('l.attempt_id', '=', p.attempt_id)
        .orderBy('l.received_at')
        .execute()
    : [];
  const taskOf = new Map(tasks.map((t, i) => [t.id, { ...t, number: i + 1 }]));
  return {
    olympiad: { id: olympiadId, title: p.title, timeLimitMinutes: p.time_limit_minutes, graceSeconds: p.grace_seconds },
    participant: {
      id: p.id,
      fullName: fullName({ lastName: p.last_name, firstName: p.first_name, middleName: p.middle_name }),
      school: p.school,
      grade: p.grade,
      className: p.class_name,
      cipher: p.cipher,
    },
    attempt:
      p.attempt_id && p.started_at && p.deadline_at
        ? {
            id: p.attempt_id,
            startedAt: p.started_at.toISOString(),
            deadlineAt: p.deadline_at.toISOString(),
            closedAt: p.closed_at ? p.closed_at.toISOString() : null,
            closeReason: p.close_reason,
            autoScore: p.auto_score,
            voided: p.voided_at !== null,
          }
        : null,
    extensions: await extensionsOf(db, p.id),
    lateAnswers: late.map((l) => {
      const task = taskOf.get(l.task_id);
      return {
        taskId: l.task_id,
        taskNumber: task?.number ?? 0,
        prompt: task?.prompt ?? '',
        answer: answerText((task?.content ?? {}) as TaskContent, l.answer as AnswerDto),
        answeredAt: l.answered_at ? l.answered_at.toISOString() : null,
        receivedAt: l.received_at.toISOString(),
        acceptedAt: l.accepted_at ? l.accepted_at.toISOString() : null,
        acceptedBy:
          l.accepted_at && l.last_name
            ? fullName({ lastName: l.last_name, firstName: l.first_name ?? '', middleName: l.middle_name })
            : null,
        acceptReason: l.accept_reason,
      };
    }),
  };
}

/**
 * The organizer counts one late answer after all (the student's device lost the connection, say): it takes the place
 * of the answer stored in time, the attempt is graded again and the totals follow; who, when and why is kept.
 */
export async function acceptLateAnswer(
  db: Db,
  olympiadId: string,
  participantId: string,
  taskId: string,
  reason: string,
  actor: Actor,
): Promise<void> {
  const why = reason.trim();
  if (!why)
    throw new AppError('validation', 'Укажите причину, по которой опоздавший ответ засчитывается.', {
      reason: 'Укажите причину.',
    });
  const attempt = await db
    .selectFrom('olympiad_attempts')
    .select('id')
    .where('participant_id', '=', participantId)
    .where('olympiad_id', '=', olympiadId)
    .executeTakeFirst();
  if (!attempt) throw participantNotFound();
  // A late answer exists only once the time and its grace are over: close the attempt if no one has yet.
  await closeAttempt(db, attempt.id, 'deadline', null);
  await db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('olympiad_attempts')
      .select(['id', 'closed_at', 'voided_at', 'auto_score'])
      .where('id', '=', attempt.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!a.closed_at)
      throw new AppError('attempt_open', 'Работа ещё идёт: опоздавший ответ можно засчитать после её завершения.');
    if (a.voided_at) throw new AppError('attempt_voided', 'Работа аннулирована: засчитывать в ней нечего.');
    const late = await trx
      .selectFrom('olympiad_late_answers')
      .select(['answer', 'seq', 'answered_at', 'received_at', 'accepted_at'])
      .where('attempt_id', '=', a.id)
      .where('task_id', '=', taskId)
      .forUpdate()
      .executeTakeFirst();
    if (!late) throw notFound('Опоздавший ответ не найден.');
    if (late.accepted_at) throw new AppError('late_accepted', 'Этот опоздавший ответ уже засчитан.');
    // An open answer is graded by the jury: the grades given to the text stored in time do not fit the late one.
    const task = await trx
      .selectFrom('olympiad_tasks as t')
      .innerJoin('olympiads as o', 'o.id', 't.olympiad_id')
      .select(['t.kind', 'o.results_published_at'])
      .where('t.id', '=', taskId)
      .where('t.olympiad_id', '=', olympiadId)
      .forUpdate('o')
      .executeTakeFirst();
    if (!task) throw notFound('Задание не найдено.');
    if (task.kind === 'open') {
      if (task.results_published_at)
        throw new AppError(
          'results_published',
          'Итоги уже опубликованы, а открытый ответ проверяет жюри: засчитать опоздавший открытый ответ можно только до публикации.',
        );
      await trx
        .deleteFrom('olympiad_open_grades')
        .where('attempt_id', '=', a.id)
        .where('task_id', '=', taskId)
        .execute();
    }
    const before = await trx
      .selectFrom('olympiad_answers')
      .select(['answer', 'seq'])
      .where('attempt_id', '=', a.id)
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    const answer = JSON.stringify(late.answer);
    await trx
      .insertInto('olympiad_answers')
      .values({
        attempt_id: a.id,
        task_id: taskId,
        answer,
        seq: late.seq,
        saved_at: late.received_at,
        answered_at: late.answered_at,
      })
      .onConflict((oc) =>
        oc.columns(['attempt_id', 'task_id']).doUpdateSet({
          answer,
          seq: sql<number>`greatest(olympiad_answers.seq, ${late.seq})`,
          saved_at: late.received_at,
          answered_at: late.answered_at,
        }),
      )
      .execute();
    await trx
      .updateTable('olympiad_late_answers')
      .set({ accepted_at: sql<Date>`now()`, accepted_by: actor.id, accept_reason: why })
      .where('attempt_id', '=', a.id)
      .where('task_id', '=', taskId)
      .execute();
    const { autoScore } = await gradeAttempt(trx, a.id, olympiadId);
    // After publication the students' pages read the stored results: they change in this transaction.
    await storePublishedResults(trx, olympiadId);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.late_answer.accept',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { attemptId: a.id, participantId, taskId, answer: before?.answer ?? null, autoScore: a.auto_score },
      after: { attemptId: a.id, participantId, taskId, answer: late.answer, autoScore, reason: why },
      ip: actor.ip,
    });
  });
}
