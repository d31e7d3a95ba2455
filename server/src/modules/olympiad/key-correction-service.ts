import type { Db, KeyCorrectionAction } from '@konkurs/db';
import { AppError, notFound } from '../../http/errors.ts';
import { moscowDateTime } from '../../lib/moscow.ts';
import { ruNumber } from '../../lib/ru-number.ts';
import { recordAudit } from '../audit/service.ts';
import { fullName } from '../auth/present.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { gradeAnswer } from './grading.ts';
import { hasRealEmail, MAIL_FOOTER, type OlympiadMail } from './mail.ts';
import { computeResults, storePublishedResults } from './results-service.ts';
import type { KeyCorrectionBody, KeyCorrectionList, KeyCorrectionResult } from './schemas.ts';
import { getOlympiad } from './task-service.ts';
import { checkTask, toDefinition } from './tasks.ts';

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
  const olympiad = await getOlympiad(db, olympiadId);
  const reason = body.reason.trim();
  if (!reason) {
    const message = 'Укажите причину исправления: её увидят в журнале и в письмах участникам.';
    throw new AppError(400, 'validation', message, { reason: message });
  }
  const before = await computeResults(db, olympiadId);
  const number = await db.transaction().execute(async (trx) => {
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
        throw new AppError(400, 'validation', 'Открытый ответ оценивает жюри: у него нет ключа для пересчёта.', {
          key: 'У открытого задания нет ключа: его можно только аннулировать.',
        });
      const checked = checkTask({ ...toDefinition(task), key: body.key ?? {} });
      if (!checked.ok) throw new AppError(400, 'validation', 'Проверьте новый ключ.', checked.fields);
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
      for (const a of answers)
        await trx
          .updateTable('olympiad_answers')
          .set({ auto_points: gradeAnswer({ ...task, key }, a.answer) })
          .where('attempt_id', '=', a.attempt_id)
          .where('task_id', '=', taskId)
          .execute();
      if (answers.length)
        await trx
          .updateTable('olympiad_attempts as a')
          .set((eb) => ({
            auto_score: eb
              .selectFrom('olympiad_answers as x')
              .select((s) => s.fn.coalesce(s.fn.sum<number>('x.auto_points'), s.lit(0)).as('s'))
              .whereRef('x.attempt_id', '=', 'a.id'),
          }))
          .where(
            'a.id',
            'in',
            answers.map((a) => a.attempt_id),
          )
          .execute();
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
    // After publication the students' pages read the stored results: they change in this transaction.
    await storePublishedResults(trx, olympiadId);
    return index + 1;
  });

  const after = await computeResults(db, olympiadId);
  const totalBefore = new Map(before.rows.map((r) => [r.participantId, r]));
  const changes = after.rows.flatMap((r) => {
    const was = totalBefore.get(r.participantId);
    if (!was || (was.total === r.total && was.status === r.status && was.rank === r.rank)) return [];
    return [
      {
        participantId: r.participantId,
        fullName: r.fullName,
        cipher: r.cipher,
        totalBefore: was.total,
        totalAfter: r.total,
        rankBefore: was.rank,
        rankAfter: r.rank,
        statusBefore: was.status,
        statusAfter: r.status,
      },
    ];
  });
  const published = olympiad.results_published_at !== null;
  const notified = await db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      actorId: actor.id,
      action: body.action === 'key' ? 'olympiad.task.key_correct' : 'olympiad.task.void',
      entity: 'olympiad',
      entityId: olympiadId,
      after: {
        taskId,
        taskNumber: number,
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
    if (!published) return 0;
    const people = await trx
      .selectFrom('olympiad_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.id', 'u.email', 'u.first_name', 'u.middle_name'])
      .where('p.olympiad_id', '=', olympiadId)
      .execute();
    let sent = 0;
    for (const c of changes.filter((x) => x.totalBefore !== x.totalAfter)) {
      const person = people.find((p) => p.id === c.participantId);
      if (!person || !hasRealEmail(person.email)) continue;
      await enqueueMail(
        trx,
        {
          to: person.email,
          subject: `Итоги олимпиады «${olympiad.title}» пересчитаны`,
          text:
            `Здравствуйте, ${person.first_name}${person.middle_name ? ` ${person.middle_name}` : ''}!\n\n` +
            `По заданию ${number} олимпиады «${olympiad.title}» ${ACTION_LABELS[body.action]}. Причина: ${reason}\n` +
            `Ваш результат пересчитан: было ${ruNumber(c.totalBefore)}, стало ${ruNumber(c.totalAfter)} из ${ruNumber(after.maxScore)} баллов, ` +
            `место ${c.rankAfter}.` +
            (after.olympiad.appealsCloseAt && !after.olympiad.final
              ? `\nАпелляцию можно подать до ${moscowDateTime(new Date(after.olympiad.appealsCloseAt))} (МСК).`
              : '') +
            `\n\nРезультат по заданиям: ${mail.publicUrl}/olympiads/${olympiadId}${MAIL_FOOTER}`,
        },
        { deliver: mail.deliver },
      );
      sent += 1;
    }
    return sent;
  });
  if (notified) mail.queued();
  return { taskNumber: number, action: body.action, changes, notified };
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
