import { sql, type Db } from '@konkurs/db';
import { AppError, forbidden, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import type { AppealBody, AppealDecisionBody, AppealList } from './appeal-schemas.ts';
import { hasRealEmail, MAIL_FOOTER, type OlympiadMail } from '../mail.ts';
import { publishedResultOf, resultsState, storePublishedResults } from '../results/results-service.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { greeting } from '../../mail/letter.ts';

/**
 * Appeals: after publication and until appeals_close_at a student may appeal each task of their own work once.
 * The organizer or the olympiad's chair decides: raise, keep or lower, with a written reason; the decision
 * replaces the task's points, and the totals and awards are recomputed from them (results-service).
 */
export async function fileAppeal(
  db: Db,
  olympiadId: string,
  body: AppealBody,
  user: SessionUser,
  ip: string,
): Promise<void> {
  const o = await getOlympiad(db, olympiadId);
  if (!o.results_published_at)
    throw new AppError('results_not_published', 'Итоги ещё не опубликованы: апелляцию можно подать после публикации.');
  const text = body.text.trim();
  if (!text)
    throw new AppError('validation', 'Заполните поле «Текст апелляции».', {
      text: 'Опишите, с чем вы не согласны.',
    });
  const attempt = await db
    .selectFrom('olympiad_attempts as a')
    .innerJoin('olympiad_participants as p', 'p.id', 'a.participant_id')
    .select(['a.id', 'p.id as participant_id'])
    .where('a.olympiad_id', '=', olympiadId)
    .where('a.user_id', '=', user.id)
    .where('a.closed_at', 'is not', null)
    .where('a.voided_at', 'is', null)
    .executeTakeFirst();
  if (!attempt) throw new AppError('not_participant', 'Апелляцию может подать только участник по своей работе.');
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'voided'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const taskIndex = tasks.findIndex((t) => t.id === body.taskId);
  if (taskIndex < 0) throw notFound('Задание не найдено.');
  if (tasks[taskIndex].voided) throw taskVoided();
  const row = await publishedResultOf(db, olympiadId, attempt.participant_id);
  const pointsBefore = row?.points[taskIndex] ?? 0;

  await db.transaction().execute(async (trx) => {
    // The window is checked by the database's clock, under the olympiad's row lock.
    const open = await trx
      .selectFrom('olympiads')
      .select([sql<boolean>`appeals_close_at is not null and now() < appeals_close_at`.as('open'), 'appeals_close_at'])
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!open.open) throw new AppError('appeals_closed', 'Срок подачи апелляций истёк: итоги олимпиады окончательные.');
    const inserted = await trx
      .insertInto('olympiad_appeals')
      .values({
        olympiad_id: olympiadId,
        attempt_id: attempt.id,
        task_id: body.taskId,
        user_id: user.id,
        text,
        points_before: pointsBefore,
      })
      .onConflict((oc) => oc.columns(['attempt_id', 'task_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted)
      throw new AppError(
        'appeal_exists',
        'Апелляция по этому заданию уже подана: по одному заданию можно подать одну апелляцию.',
      );
    await recordAudit(trx, {
      actorId: user.id,
      action: 'olympiad.appeal.file',
      entity: 'olympiad_appeal',
      entityId: inserted.id,
      after: { taskId: body.taskId, text, pointsBefore },
      ip,
    });
  });
}

/** A voided task gives everyone the same points (key-correction-service.ts): an appeal would change nothing. */
const taskVoided = () =>
  new AppError(
    'task_voided',
    'Задание аннулировано: за него всем начислены одинаковые баллы, апелляция по нему ничего не изменит.',
  );

/** The organizer, or the chair of this olympiad's graders. */
async function assertMayDecide(db: Db, olympiadId: string, user: SessionUser): Promise<void> {
  if (user.roles.includes('organizer')) return;
  const chair = await db
    .selectFrom('olympiad_graders')
    .select('user_id')
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', user.id)
    .where('is_chair', '=', true)
    .executeTakeFirst();
  if (!chair) throw forbidden();
}

type Option = { id: string; text: string };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The student's answer in words, for the person deciding an appeal. */
export function describeAnswer(content: unknown, answer: unknown): string {
  const c = isObject(content) ? content : {};
  const a = isObject(answer) ? answer : {};
  const label = (list: unknown, id: unknown) =>
    (Array.isArray(list) ? (list as Option[]).find((o) => o.id === id)?.text : undefined) ?? String(id);
  if (typeof a.text === 'string') return a.text;
  if (typeof a.choice === 'string') return label(c.options, a.choice);
  if (Array.isArray(a.choices)) return a.choices.map((id) => label(c.options, id)).join('; ');
  if (isObject(a.pairs))
    return Object.entries(a.pairs)
      .map(([l, r]) => `${label(c.left, l)} → ${label(c.right, r)}`)
      .join('; ');
  if (Array.isArray(a.order)) return a.order.map((id, i) => `${i + 1}) ${label(c.items, id)}`).join(' ');
  return '';
}

export async function listAppeals(db: Db, olympiadId: string, user: SessionUser): Promise<AppealList> {
  const o = await getOlympiad(db, olympiadId);
  await assertMayDecide(db, olympiadId, user);
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'prompt', 'points', 'content'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const rows = await db
    .selectFrom('olympiad_appeals as ap')
    .innerJoin('olympiad_attempts as a', 'a.id', 'ap.attempt_id')
    .innerJoin('olympiad_participants as p', 'p.id', 'a.participant_id')
    .leftJoin('olympiad_answers as ans', (join) =>
      join.onRef('ans.attempt_id', '=', 'ap.attempt_id').onRef('ans.task_id', '=', 'ap.task_id'),
    )
    .select([
      'ap.id',
      'ap.task_id',
      'ap.text',
      'ap.created_at',
      'ap.points_before',
      'ap.decision',
      'ap.new_points',
      'ap.reason',
      'ap.decided_at',
      'p.cipher',
      'ans.answer',
    ])
    .where('ap.olympiad_id', '=', olympiadId)
    .orderBy('ap.decided_at', (ob) => ob.desc().nullsFirst())
    .orderBy('ap.created_at')
    .execute();
  return {
    olympiad: { id: o.id, title: o.title, ...resultsState(o) },
    appeals: rows.map((r) => {
      const i = tasks.findIndex((t) => t.id === r.task_id);
      const t = tasks[i];
      return {
        id: r.id,
        cipher: r.cipher,
        taskId: r.task_id,
        taskNumber: i + 1,
        prompt: t.prompt,
        maxPoints: t.points,
        answerText: describeAnswer(t.content, r.answer),
        text: r.text,
        createdAt: r.created_at.toISOString(),
        pointsBefore: r.points_before,
        decision: r.decision,
        newPoints: r.new_points,
        reason: r.reason,
        decidedAt: r.decided_at?.toISOString() ?? null,
      };
    }),
  };
}

const DECISION_WORDS = {
  raise: 'баллы повышены',
  keep: 'баллы оставлены без изменения',
  lower: 'баллы понижены',
} as const;

export async function decideAppeal(
  db: Db,
  olympiadId: string,
  appealId: string,
  body: AppealDecisionBody,
  user: SessionUser,
  ip: string,
  mail: OlympiadMail,
): Promise<void> {
  const o = await getOlympiad(db, olympiadId);
  await assertMayDecide(db, olympiadId, user);
  const reason = body.reason.trim();
  if (!reason)
    throw new AppError('validation', 'Заполните поле «Обоснование решения».', {
      reason: 'Напишите, почему принято это решение.',
    });
  const appeal = await db
    .selectFrom('olympiad_appeals as ap')
    .innerJoin('olympiad_tasks as t', 't.id', 'ap.task_id')
    .innerJoin('users as u', 'u.id', 'ap.user_id')
    .select([
      'ap.id',
      'ap.points_before',
      't.points as max_points',
      't.voided',
      'u.email',
      'u.first_name',
      'u.middle_name',
    ])
    .where('ap.id', '=', appealId)
    .where('ap.olympiad_id', '=', olympiadId)
    .executeTakeFirst();
  if (!appeal) throw notFound('Апелляция не найдена.');
  if (appeal.voided) throw taskVoided();
  const before = appeal.points_before;
  let newPoints = before;
  if (body.decision !== 'keep') {
    const p = body.newPoints;
    const fail = (message: string) => new AppError('validation', message, { newPoints: message });
    if (p === undefined) throw fail('Укажите новые баллы за задание.');
    if (p > appeal.max_points || Math.round(p * 100) !== p * 100)
      throw fail(`Новые баллы: от 0 до ${appeal.max_points}.`);
    if (body.decision === 'raise' && p <= before) throw fail(`Чтобы повысить баллы, укажите больше, чем ${before}.`);
    if (body.decision === 'lower' && p >= before) throw fail(`Чтобы понизить баллы, укажите меньше, чем ${before}.`);
    newPoints = p;
  }
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('olympiad_appeals')
      .select(['decision', 'new_points', 'reason'])
      .where('id', '=', appealId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('olympiad_appeals')
      .set({
        decision: body.decision,
        new_points: newPoints,
        reason,
        decided_by: user.id,
        decided_at: sql<Date>`now()`,
      })
      .where('id', '=', appealId)
      .execute();
    await recordAudit(trx, {
      actorId: user.id,
      action: 'olympiad.appeal.decide',
      entity: 'olympiad_appeal',
      entityId: appealId,
      before: previous,
      after: { decision: body.decision, newPoints, reason },
      ip,
    });
    // The students' pages read the stored results: they change with the decision, in the same transaction.
    await storePublishedResults(trx, olympiadId);
    if (hasRealEmail(appeal.email)) {
      await enqueueMail(
        trx,
        {
          to: appeal.email,
          subject: `Решение по апелляции: олимпиада «${o.title}»`,
          text:
            `${greeting({ firstName: appeal.first_name, middleName: appeal.middle_name })}\n\nПо вашей апелляции принято решение: ${DECISION_WORDS[body.decision]} ` +
            `(было ${before}, стало ${newPoints}).\nОбоснование: ${reason}\n\nВаш результат: ${mail.publicUrl}/olympiads/${olympiadId}${MAIL_FOOTER}`,
        },
        { deliver: mail.deliver },
      );
    }
  });
}
