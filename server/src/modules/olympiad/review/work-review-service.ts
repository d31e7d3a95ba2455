import type { Db } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { loadOpenAnswers } from '../grading/open-answers.ts';
import { computeResults, maxScoreOf, publishedResultOf } from '../results/results-service.ts';
import type { WorkReview, WorkSettingsBody } from '../schemas.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { criteriaOf } from '../tasks/tasks.ts';
import { describeAnswer, describeKey } from './work-review.ts';

/**
 * «Показ работ». After publication a student sees their own work: each answer, the points each grader gave (as
 * «Проверяющий 1», «Проверяющий 2», never a name) and, when the organizer allows it, the correct answers and the
 * criteria. The organizer sees any student's whole work at any time, with grader names, comments and appeals.
 */
const ROUND_LABELS: Record<number, string> = {
  1: 'Проверяющий 1',
  2: 'Проверяющий 2',
  3: 'Решение по спорному ответу',
};

async function review(db: Db, olympiadId: string, participantId: string, forOrganizer: boolean): Promise<WorkReview> {
  const olympiad = await getOlympiad(db, olympiadId);
  const p = await db
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('olympiad_attempts as a', 'a.participant_id', 'p.id')
    .select([
      'p.id',
      'p.cipher',
      'p.school',
      'p.grade',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'a.id as attempt_id',
    ])
    .select(['a.voided_at', 'a.closed_at'])
    .where('p.olympiad_id', '=', olympiadId)
    .where('p.id', '=', participantId)
    .executeTakeFirst();
  if (!p) throw notFound('Участник не найден.');
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind', 'prompt', 'points', 'content', 'key', 'voided'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const answers = p.attempt_id
    ? await db
        .selectFrom('olympiad_answers')
        .select(['task_id', 'answer'])
        .where('attempt_id', '=', p.attempt_id)
        .execute()
    : [];
  // Published: the stored result (one row); before publication (the organizer's view) the table as it stands.
  const row = olympiad.results_published_at
    ? await publishedResultOf(db, olympiadId, participantId)
    : (await computeResults(db, olympiadId)).rows.find((r) => r.participantId === participantId);
  const open = p.attempt_id ? await loadOpenAnswers(db, olympiadId, p.attempt_id) : [];
  const appeals = p.attempt_id
    ? await db
        .selectFrom('olympiad_appeals')
        .select(['task_id', 'text', 'decision', 'new_points', 'reason'])
        .where('attempt_id', '=', p.attempt_id)
        .execute()
    : [];
  const keysShown = forOrganizer || olympiad.show_keys_to_students;
  return {
    olympiad: { id: olympiad.id, title: olympiad.title, showKeysToStudents: olympiad.show_keys_to_students },
    participant: {
      id: p.id,
      fullName: fullName({ lastName: p.last_name, firstName: p.first_name, middleName: p.middle_name }),
      cipher: p.cipher,
      school: p.school,
      grade: p.grade,
    },
    total: row?.total ?? null,
    maxScore: maxScoreOf(tasks),
    keysShown,
    tasks: tasks.map((t, i) => {
      const answer = answers.find((a) => a.task_id === t.id)?.answer;
      const grades = (open.find((a) => a.taskId === t.id)?.grades ?? []).map((g) => ({
        label: ROUND_LABELS[g.round] ?? `Оценка ${g.round}`,
        points: g.points,
        criteriaPoints: g.criteriaPoints,
        ...(forOrganizer ? { graderName: g.graderName, comment: g.comment } : {}),
      }));
      const appeal = appeals.find((a) => a.task_id === t.id);
      const criteria = criteriaOf(t.key);
      return {
        taskId: t.id,
        number: i + 1,
        kind: t.kind,
        prompt: t.prompt,
        maxPoints: t.points,
        points: row ? row.points[i] : null,
        voided: t.voided,
        answer: describeAnswer(t, answer),
        grades,
        ...(keysShown ? { correctAnswer: describeKey(t), ...(criteria.length ? { criteria } : {}) } : {}),
        appeal: appeal
          ? { text: appeal.text, decision: appeal.decision, newPoints: appeal.new_points, reason: appeal.reason }
          : null,
      };
    }),
  };
}

/** The student's own work: after publication, and only their own (the participant is found by the session). */
export async function myWork(db: Db, olympiadId: string, userId: string): Promise<WorkReview> {
  const olympiad = await getOlympiad(db, olympiadId);
  if (!olympiad.results_published_at) throw new AppError('results_not_published', 'Итоги ещё не опубликованы.');
  const participant = await db
    .selectFrom('olympiad_participants')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!participant) throw new AppError('not_participant', 'Вы не участвовали в этой олимпиаде.');
  return review(db, olympiadId, participant.id, false);
}

export const participantWork = (db: Db, olympiadId: string, participantId: string) =>
  review(db, olympiadId, participantId, true);

export async function setWorkSettings(
  db: Db,
  olympiadId: string,
  body: WorkSettingsBody,
  actor: { id: string; ip: string },
): Promise<void> {
  const before = await getOlympiad(db, olympiadId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('olympiads')
      .set({ show_keys_to_students: body.showKeysToStudents })
      .where('id', '=', olympiadId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.work_settings.set',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { showKeysToStudents: before.show_keys_to_students },
      after: body,
      ip: actor.ip,
    });
  });
}
