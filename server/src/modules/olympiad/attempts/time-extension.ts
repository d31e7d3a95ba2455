import { sql, type Db } from '@konkurs/db';
import { AppError, notFound, type ErrorCode } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';

type Actor = { id: string; ip: string };

const refused = (code: ErrorCode, message: string) => new AppError(code, message);

/**
 * The organizer gives one student extra minutes (as Moodle's user overrides do). Before the start the minutes are kept
 * and added to the deadline the start sets (startAttempt sums them); during the work the attempt's deadline moves now,
 * and since every check (saves, the closing sweep, the page) reads that one deadline, the grace follows it.
 *
 * Refused: an attempt that is closed, voided, or whose deadline has already passed (even if the sweep has not closed it
 * yet: answers after the deadline are late answers the organizer accepts one by one, the work is not reopened), and an
 * olympiad whose results are published. The olympiad's row is locked FOR SHARE against a publication at the same moment,
 * the participant's row FOR UPDATE as startAttempt locks it, so an extension and a start never miss each other.
 */
export async function extendTime(
  db: Db,
  olympiadId: string,
  participantId: string,
  minutes: number,
  reason: string,
  actor: Actor,
): Promise<void> {
  const why = reason.trim();
  if (!why) throw new AppError('validation', 'Укажите причину продления времени.', { reason: 'Укажите причину.' });
  await db.transaction().execute(async (trx) => {
    const olympiad = await trx
      .selectFrom('olympiads')
      .select('results_published_at')
      .where('id', '=', olympiadId)
      .forShare()
      .executeTakeFirst();
    const participant = await trx
      .selectFrom('olympiad_participants')
      .select('id')
      .where('id', '=', participantId)
      .where('olympiad_id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!olympiad || !participant) throw notFound('Участник не найден.');
    if (olympiad.results_published_at)
      throw refused('results_published', 'Итоги олимпиады уже опубликованы: продлить время нельзя.');
    const attempt = await trx
      .selectFrom('olympiad_attempts')
      .select(['id', 'deadline_at', 'closed_at', 'voided_at', sql<boolean>`deadline_at <= now()`.as('over')])
      .where('participant_id', '=', participantId)
      .forUpdate()
      .executeTakeFirst();
    let deadlineAt: Date | null = null;
    if (attempt) {
      if (attempt.voided_at) throw refused('attempt_voided', 'Работа аннулирована: продлевать время нечему.');
      if (attempt.closed_at)
        throw refused('attempt_closed', 'Работа уже завершена: продлить время можно только до её окончания.');
      if (attempt.over)
        throw refused(
          'deadline_passed',
          'Время работы уже вышло, работа завершается: продлить время можно только до окончания. ' +
            'Ответы, пришедшие позже, можно засчитать как опоздавшие.',
        );
      const moved = await trx
        .updateTable('olympiad_attempts')
        .set({ deadline_at: sql<Date>`deadline_at + make_interval(mins => ${minutes})` })
        .where('id', '=', attempt.id)
        .returning('deadline_at')
        .executeTakeFirstOrThrow();
      deadlineAt = moved.deadline_at;
    }
    await trx
      .insertInto('olympiad_time_extensions')
      .values({ participant_id: participantId, minutes, reason: why, created_by: actor.id })
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.time.extend',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { participantId, attemptId: attempt?.id ?? null, deadlineAt: attempt?.deadline_at ?? null },
      after: { participantId, attemptId: attempt?.id ?? null, minutes, reason: why, deadlineAt },
      ip: actor.ip,
    });
  });
}

/** The participant's extensions, oldest first, with who gave them. */
export async function extensionsOf(db: Db, participantId: string) {
  const rows = await db
    .selectFrom('olympiad_time_extensions as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .select(['e.minutes', 'e.reason', 'e.created_at', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .where('e.participant_id', '=', participantId)
    .orderBy('e.created_at')
    .execute();
  return rows.map((r) => ({
    minutes: r.minutes,
    reason: r.reason,
    at: r.created_at.toISOString(),
    by: r.last_name
      ? fullName({ lastName: r.last_name, firstName: r.first_name ?? '', middleName: r.middle_name })
      : null,
  }));
}

/** SQL: the minutes given to the participant before the start, added to the deadline the start sets. */
export const extraMinutesOf = (participantId: string) =>
  sql<number>`(select coalesce(sum(minutes), 0)::int from olympiad_time_extensions where participant_id = ${participantId})`;
