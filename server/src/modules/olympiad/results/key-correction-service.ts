import { sql, type Db, type KeyCorrectionAction } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { moscowDateTime } from '../../../lib/moscow.ts';
import { ruNumber } from '../../../lib/ru-number.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { enqueueMails, type MailMessage } from '../../mail/outbox.ts';
import { gradeAnswer } from '../grading/grading.ts';
import { hasRealEmail, MAIL_FOOTER, type OlympiadMail } from '../mail.ts';
import { storePublishedResults, tabulateResults } from './results-service.ts';
import { closeExpiredAttempts } from '../attempts/attempt-service.ts';
import type { KeyCorrectionBody, KeyCorrectionList, KeyCorrectionResult, ResultsPreview } from '../schemas.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { checkTask, toDefinition } from '../tasks/tasks.ts';
import { greeting } from '../../mail/letter.ts';

/**
 * A key corrected, or a task voided, after the olympiad has started — the jury found a wrong key. Every closed
 * attempt's answer to the task is graded again under the new key (open attempts are graded with it when they close);
 * a voided task gives everyone its full points or none, whatever they answered (results-service applies it). Totals,
 * places and awards follow from the recomputed table. Each correction is kept with its reason and audited with the
 * totals it changed; after publication every student whose total changed gets a letter.
 */
type Actor = { id: string; ip: string };

const ACTION_LABELS: Record<KeyCorrectionAction, string> = {
  key: 'исправлен ключ',
  void_full: 'задание аннулировано, всем засчитаны полные баллы',
  void_zero: 'задание аннулировано, баллы за него не начисляются никому',
};

export async function correctTask(
  db: Db,
  olympiadId: string,
  taskId: string,
  body: KeyCorrectionBody,
  actor: Actor,
  mail: OlympiadMail,
): Promise<KeyCorrectionResult> {
  await getOlympiad(db, olympiadId);
  const reason = body.reason.trim();
  if (!reason) {
    const message = 'Укажите причину исправления: её увидят в журнале и в письмах участникам.';
    throw new AppError('validation', message, { reason: message });
  }
  // Attempts whose time is up are closed first (each in a transaction of its own), so that the table is complete.
  await closeExpiredAttempts(db);
  const outcome = await db.transaction().execute(async (trx) => {
    // Under the olympiad's row lock, as every change to its points after publication: the table before is this
    // correction's alone, not mixed with an appeal decided meanwhile.
    const olympiad = await trx
      .selectFrom('olympiads')
      .select(['title', 'results_published_at'])
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const before = await tabulateResults(trx, olympiadId);
    const tasks = await trx
      .selectFrom('olympiad_tasks')
      .selectAll()
      .where('olympiad_id', '=', olympiadId)
      .orderBy('position')
      .orderBy('created_at')
      .forUpdate()
      .execute();
    const index = tasks.findIndex((t) => t.id === taskId);
    if (index < 0) throw notFound('Задание не найдено.');
    const task = tasks[index];
    let key = task.key as Record<string, unknown>;
    if (body.action === 'key') {
      if (task.kind === 'open')
        throw new AppError('validation', 'Открытый ответ оценивает жюри: у него нет ключа для пересчёта.', {
          key: 'У открытого задания нет ключа: его можно только аннулировать.',
        });
      const checked = checkTask({ ...toDefinition(task), key: body.key ?? {} });
      if (!checked.ok) throw new AppError('validation', 'Проверьте новый ключ.', checked.fields);
      key = checked.task.key;
      await trx
        .updateTable('olympiad_tasks')
        .set({ key: JSON.stringify(key), voided: null })
        .where('id', '=', taskId)
        .execute();
      // Every closed attempt's answer to the task, graded again; the attempts' sums follow.
      const answers = await trx
        .selectFrom('olympiad_answers as ans')
        .innerJoin('olympiad_attempts as a', 'a.id', 'ans.attempt_id')
        .select(['ans.attempt_id', 'ans.answer'])
        .where('ans.task_id', '=', taskId)
        .where('a.closed_at', 'is not', null)
        .execute();
      const graded = answers.map((a) => ({
        attempt_id: a.attempt_id,
        points: gradeAnswer({ ...task, key }, a.answer),
      }));
      if (graded.length) {
        await sql`
          update olympiad_answers set auto_points = g.points
          from jsonb_to_recordset(${JSON.stringify(graded)}::jsonb) as g(attempt_id uuid, points double precision)
          where olympiad_answers.task_id = ${taskId} and olympiad_answers.attempt_id = g.attempt_id`.execute(trx);
        await sql`
          update olympiad_attempts a set auto_score = round(coalesce(
            (select sum(x.auto_points) from olympiad_answers x where x.attempt_id = a.id), 0)::numeric, 2)
          from jsonb_to_recordset(${JSON.stringify(graded)}::jsonb) as g(attempt_id uuid)
          where a.id = g.attempt_id`.execute(trx);
      }
    } else {
      await trx
        .updateTable('olympiad_tasks')
        .set({ voided: body.action === 'void_full' ? 'full' : 'zero' })
        .where('id', '=', taskId)
        .execute();
    }
    await trx
      .insertInto('olympiad_key_corrections')
      .values({
        olympiad_id: olympiadId,
        task_id: taskId,
        action: body.action,
        key_before: JSON.stringify(task.key ?? {}),
        key_after: JSON.stringify(key),
        reason,
        created_by: actor.id,
      })
      .execute();
    // The table after, made once: stored for the students' pages when published (in this transaction), and
    // compared with the one before. The audit entry and the letters are written with the correction itself.
    const after = (await storePublishedResults(trx, olympiadId)) ?? (await tabulateResults(trx, olympiadId));
    const changes = changesBetween(before, after);
    await recordAudit(trx, {
      actorId: actor.id,
      action: body.action === 'key' ? 'olympiad.task.key_correct' : 'olympiad.task.void',
      entity: 'olympiad',
      entityId: olympiadId,
      after: {
        taskId,
        taskNumber: index + 1,
        action: body.action,
        reason,
        changes: changes.map((c) => ({
          participantId: c.participantId,
          totalBefore: c.totalBefore,
          totalAfter: c.totalAfter,
          statusBefore: c.statusBefore,
          statusAfter: c.statusAfter,
        })),
      },
      ip: actor.ip,
    });
    // Before publication nobody has seen a total: the letter at publication will carry the new one.
    const notified = olympiad.results_published_at
      ? await tellChangedTotals(trx, olympiadId, olympiad.title, index + 1, body.action, reason, changes, after, mail)
      : 0;
    return { taskNumber: index + 1, changes, notified };
  });
  return { ...outcome, action: body.action };
}

type Change = KeyCorrectionResult['changes'][number];

/** Whose total, place or status the correction changed. */
function changesBetween(before: ResultsPreview, after: ResultsPreview): Change[] {
  const was = new Map(before.rows.map((r) => [r.participantId, r]));
  return after.rows.flatMap((r) => {
    const old = was.get(r.participantId);
    if (!old || (old.total === r.total && old.status === r.status && old.rank === r.rank)) return [];
    return [
      {
        participantId: r.participantId,
        fullName: r.fullName,
        cipher: r.cipher,
        totalBefore: old.total,
        totalAfter: r.total,
        rankBefore: old.rank,
        rankAfter: r.rank,
        statusBefore: old.status,
        statusAfter: r.status,
      },
    ];
  });
}

/** After publication, a letter to each student with a real address whose total changed. Returns how many. */
async function tellChangedTotals(
  trx: Db,
  olympiadId: string,
  title: string,
  taskNumber: number,
  action: KeyCorrectionAction,
  reason: string,
  changes: Change[],
  after: ResultsPreview,
  mail: OlympiadMail,
): Promise<number> {
  const people = new Map(
    (
      await trx
        .selectFrom('olympiad_participants as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['p.id', 'u.email', 'u.first_name', 'u.middle_name'])
        .where('p.olympiad_id', '=', olympiadId)
        .execute()
    ).map((p) => [p.id, p]),
  );
  const letters: MailMessage[] = [];
  for (const c of changes.filter((x) => x.totalBefore !== x.totalAfter)) {
    const person = people.get(c.participantId);
    if (!person || !hasRealEmail(person.email)) continue;
    letters.push({
      to: person.email,
      subject: `Итоги олимпиады «${title}» пересчитаны`,
      text:
        `${greeting({ firstName: person.first_name, middleName: person.middle_name })}\n\n` +
        `По заданию ${taskNumber} олимпиады «${title}» ${ACTION_LABELS[action]}. Причина: ${reason}\n` +
        `Ваш результат пересчитан: было ${ruNumber(c.totalBefore)}, стало ${ruNumber(c.totalAfter)} из ${ruNumber(after.maxScore)} баллов, ` +
        `место ${c.rankAfter}.` +
        (after.olympiad.appealsCloseAt && !after.olympiad.final
          ? `\nАпелляцию можно подать до ${moscowDateTime(new Date(after.olympiad.appealsCloseAt))} (МСК).`
          : '') +
        `\n\nРезультат по заданиям: ${mail.publicUrl}/olympiads/${olympiadId}${MAIL_FOOTER}`,
    });
  }
  await enqueueMails(trx, letters, { deliver: mail.deliver });
  return letters.length;
}

export async function listCorrections(db: Db, olympiadId: string): Promise<KeyCorrectionList> {
  await getOlympiad(db, olympiadId);
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const numberOf = new Map(tasks.map((t, i) => [t.id, i + 1]));
  const rows = await db
    .selectFrom('olympiad_key_corrections as c')
    .innerJoin('users as u', 'u.id', 'c.created_by')
    .select([
      'c.id',
      'c.task_id',
      'c.action',
      'c.reason',
      'c.created_at',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
    ])
    .where('c.olympiad_id', '=', olympiadId)
    .orderBy('c.created_at')
    .execute();
  return {
    corrections: rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      taskNumber: numberOf.get(r.task_id) ?? 0,
      action: r.action,
      reason: r.reason,
      createdAt: r.created_at.toISOString(),
      by: fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name }),
    })),
  };
}
