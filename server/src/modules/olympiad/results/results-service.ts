import { sql, type Db } from '@konkurs/db';
import { AppError } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { closeExpiredAttempts } from '../attempts/attempt-service.ts';
import { appealOverrides } from '../appeals/appeal-points.ts';
import { applyAwardRule, type AwardRule, type AwardStatus } from './awards.ts';
import type { AwardRuleDto, MyAppeal, MyResult, ResultsPreview } from '../schemas.ts';
import { loadOpenAnswers } from '../grading/open-answers.ts';
import { getOlympiad } from '../tasks/task-service.ts';
import { greeting } from '../../mail/letter.ts';
import { enqueueMails, type MailMessage } from '../../mail/outbox.ts';
import { moscowDateTime } from '../../../lib/moscow.ts';
import { ruNumber } from '../../../lib/ru-number.ts';
import { inSlices, nextTurn } from '../../../lib/next-turn.ts';
import { hasRealEmail, MAIL_FOOTER, NO_MAIL, type OlympiadMail } from '../mail.ts';

/**
 * Results: totals of the closed attempts, the award rule applied, a preview for the organizer, publication as an
 * explicit audited act, and each student's own page after it. Open answers count once the jury has graded them;
 * until then they are listed as waiting and publication is refused.
 */
const ruleOf = (o: {
  award_threshold_share: number;
  award_quota_share: number;
  award_winners: number;
  award_per_grade: boolean;
}): AwardRuleDto => ({
  thresholdShare: o.award_threshold_share,
  quotaShare: o.award_quota_share,
  winners: o.award_winners,
  perGrade: o.award_per_grade,
});

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The most points an olympiad's tasks give. */
export const maxScoreOf = (tasks: { points: number }[]) => round2(tasks.reduce((sum, t) => sum + t.points, 0));

/** Publication, the appeal window, and whether the results are final (the window has closed). */
export function resultsState(
  o: { results_published_at: Date | null; appeals_close_at: Date | null },
  now = new Date(),
) {
  return {
    resultsPublishedAt: o.results_published_at?.toISOString() ?? null,
    appealsCloseAt: o.appeals_close_at?.toISOString() ?? null,
    final:
      o.results_published_at !== null && (o.appeals_close_at === null || o.appeals_close_at.getTime() <= now.getTime()),
  };
}

/** Names in Russian alphabetical order; one collator, since `localeCompare(…, 'ru')` builds one per call. */
const russianOrder = new Intl.Collator('ru').compare;

export async function computeResults(db: Db, olympiadId: string): Promise<ResultsPreview> {
  // Attempts whose time is up are closed (and graded) first, so that the table is complete.
  await closeExpiredAttempts(db);
  return tabulateResults(db, olympiadId);
}

/** The results as the data stand now, closing nothing: it may run inside a transaction (see storePublishedResults). */
export async function tabulateResults(db: Db, olympiadId: string): Promise<ResultsPreview> {
  const olympiad = await getOlympiad(db, olympiadId);
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind', 'points', 'position', 'voided'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const maxScore = maxScoreOf(tasks);
  const attempts = await db
    .selectFrom('olympiad_attempts as a')
    .innerJoin('olympiad_participants as p', 'p.id', 'a.participant_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select([
      'a.id',
      'a.closed_at',
      'a.auto_score',
      'p.id as participant_id',
      'p.school',
      'p.grade',
      'p.class_name',
      'p.cipher',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
    ])
    .where('a.olympiad_id', '=', olympiadId)
    // A voided attempt (a duplicate) counts in no result.
    .where('a.voided_at', 'is', null)
    .execute();
  const closed = attempts.filter((a) => a.closed_at !== null);
  // One row per closed attempt with its tasks' points, aggregated by the database (not 20 rows per student).
  const answers = await db
    .selectFrom('olympiad_answers as ans')
    .innerJoin('olympiad_attempts as a', 'a.id', 'ans.attempt_id')
    .select([
      'ans.attempt_id',
      sql<Record<string, number | null>>`jsonb_object_agg(ans.task_id, ans.auto_points)`.as('points'),
    ])
    .where('a.olympiad_id', '=', olympiadId)
    .where('a.closed_at', 'is not', null)
    .where('a.voided_at', 'is', null)
    .groupBy('ans.attempt_id')
    .execute();
  const openTaskIds = new Set(tasks.filter((t) => t.kind === 'open').map((t) => t.id));
  // Open answers count with the jury's final points; a blank or missing open answer is worth 0.
  const openPoints = new Map(
    (await loadOpenAnswers(db, olympiadId)).map((a) => [`${a.attemptId}/${a.taskId}`, a.points]),
  );
  const pointsBy = new Map(answers.map((a) => [a.attempt_id, a.points]));
  // An appeal's decision replaces the task's points.
  const appealed = await appealOverrides(db, olympiadId);
  const voided = new Map(tasks.filter((t) => t.voided).map((t) => [t.id, t.voided === 'full' ? t.points : 0]));
  const taskPoints = (attemptId: string, taskId: string): number | null => {
    const key = `${attemptId}/${taskId}`;
    // A voided task (key-correction-service.ts): everyone the same, whatever they answered or appealed.
    if (voided.has(taskId)) return voided.get(taskId)!;
    if (appealed.has(key)) return appealed.get(key)!;
    if (openTaskIds.has(taskId)) return openPoints.has(key) ? openPoints.get(key)! : 0;
    return pointsBy.get(attemptId)?.[taskId] ?? 0;
  };
  // 10,000 students are a few hundred milliseconds of work: done in slices, so that the server answers others meanwhile
  // (/api/health within 200 ms through `pnpm bench:scale`).
  await nextTurn();
  const pointsOf = new Map<string, (number | null)[]>();
  await inSlices(closed, (a) => {
    pointsOf.set(
      a.id,
      tasks.map((t) => taskPoints(a.id, t.id)),
    );
  });
  const ungradedOpenAnswers = [...pointsOf.values()].reduce((n, list) => n + list.filter((p) => p === null).length, 0);
  const rule = ruleOf(olympiad);
  await nextTurn();
  const placed = applyAwardRule(
    closed.map((a) => ({
      id: a.id,
      total: round2(pointsOf.get(a.id)!.reduce<number>((sum, p) => sum + (p ?? 0), 0)),
      grade: a.grade,
    })),
    { ...rule, maxScore } satisfies AwardRule,
  );
  await nextTurn();
  const byId = new Map(closed.map((a) => [a.id, a]));
  const rows: ResultsPreview['rows'] = [];
  await inSlices(placed, (p) => {
    const a = byId.get(p.id)!;
    rows.push({
      participantId: a.participant_id,
      fullName: fullName({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }),
      school: a.school,
      grade: a.grade,
      className: a.class_name,
      cipher: a.cipher,
      total: p.total,
      rank: p.rank,
      status: p.status,
      points: pointsOf.get(a.id)!,
    });
  });
  await nextTurn();
  return {
    olympiad: {
      id: olympiad.id,
      title: olympiad.title,
      ...resultsState(olympiad),
      showKeysToStudents: olympiad.show_keys_to_students,
    },
    rule,
    maxScore,
    notFinished: attempts.length - closed.length,
    ungradedOpenAnswers,
    rows: rows
      // With a rating per grade the rows stand grade by grade (each grade has its own places); rows sharing a place
      // stand by name, so the table reads the same every time.
      .sort(
        (x, y) => (rule.perGrade ? x.grade - y.grade : 0) || x.rank - y.rank || russianOrder(x.fullName, y.fullName),
      ),
  };
}

export async function setAwardRule(
  db: Db,
  olympiadId: string,
  rule: AwardRuleDto,
  actor: { id: string; ip: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('olympiads')
      .select([
        'award_threshold_share',
        'award_quota_share',
        'award_winners',
        'award_per_grade',
        'results_published_at',
      ])
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', 'Олимпиада не найдена.');
    if (before.results_published_at)
      throw new AppError('results_published', 'Итоги уже опубликованы: правило награждения менять нельзя.');
    await trx
      .updateTable('olympiads')
      .set({
        award_threshold_share: rule.thresholdShare,
        award_quota_share: rule.quotaShare,
        award_winners: rule.winners,
        award_per_grade: rule.perGrade,
      })
      .where('id', '=', olympiadId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.award_rule.set',
      entity: 'olympiad',
      entityId: olympiadId,
      before: ruleOf(before),
      after: rule,
      ip: actor.ip,
    });
  });
}

export async function publishResults(
  db: Db,
  olympiadId: string,
  actor: { id: string; ip: string },
  mail: OlympiadMail = NO_MAIL,
): Promise<ResultsPreview> {
  // Attempts whose time is up are closed first (each in its own transaction); the table is made once, below.
  await closeExpiredAttempts(db);
  const published = await db.transaction().execute(async (trx) => {
    const o = await trx
      .selectFrom('olympiads')
      .select([sql<boolean>`now() < window_end_at`.as('running'), 'results_published_at'])
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (o.results_published_at) throw new AppError('results_published', 'Итоги уже опубликованы.');
    if (o.running)
      throw new AppError('olympiad_running', 'Олимпиада ещё идёт: опубликовать итоги можно после её окончания.');
    const open = await trx
      .selectFrom('olympiad_attempts')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .where('closed_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (open) throw new AppError('attempts_open', 'Не все работы завершены. Повторите через минуту.');
    // The appeal window opens with publication; after it the results are final.
    await trx
      .updateTable('olympiads')
      .set({
        results_published_at: sql<Date>`now()`,
        appeals_close_at: sql<Date>`now() + make_interval(hours => appeal_hours)`,
      })
      .where('id', '=', olympiadId)
      .execute();
    const stored = (await storePublishedResults(trx, olympiadId))!;
    // Refused after the table is made, in the same transaction: the refusal undoes the publication above.
    if (stored.ungradedOpenAnswers > 0) {
      throw new AppError(
        'open_answers_ungraded',
        `Жюри ещё не проверило открытые ответы (${stored.ungradedOpenAnswers}): опубликовать итоги можно после проверки.`,
      );
    }
    await notifyPublished(trx, olympiadId, stored, mail);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.results.publish',
      entity: 'olympiad',
      entityId: olympiadId,
      after: {
        rule: stored.rule,
        rows: stored.rows.map((r) => ({
          participantId: r.participantId,
          total: r.total,
          rank: r.rank,
          status: r.status,
        })),
      },
      ip: actor.ip,
    });
    return stored;
  });
  return published;
}

/**
 * Writes a published olympiad's results as the data stand into olympiad_results, which the students' pages read.
 * The rule: every path that changes a published olympiad's points calls it in its own transaction, after the change
 * (publication, an appeal's decision, a key correction, an accepted late answer); every other path refuses after
 * publication under the olympiad's row lock (grading, voiding an attempt, the award rule). It takes that lock first,
 * so of two changes at once the later one writes the table with both. Returns null (and writes nothing) while the
 * results are not published.
 */
export async function storePublishedResults(trx: Db, olympiadId: string): Promise<ResultsPreview | null> {
  const o = await trx
    .selectFrom('olympiads')
    .select('results_published_at')
    .where('id', '=', olympiadId)
    .forUpdate()
    .executeTakeFirst();
  if (!o?.results_published_at) return null;
  const results = await tabulateResults(trx, olympiadId);
  await trx.deleteFrom('olympiad_results').where('olympiad_id', '=', olympiadId).execute();
  if (results.rows.length) {
    const rows = results.rows.map((r) => ({
      participant_id: r.participantId,
      total: r.total,
      rank: r.rank,
      status: r.status,
      points: r.points,
    }));
    await sql`
      insert into olympiad_results (olympiad_id, participant_id, total, rank, status, points)
      select ${olympiadId}, r.participant_id, r.total, r.rank, r.status, r.points
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(participant_id uuid, total double precision, rank integer, status text, points jsonb)`.execute(trx);
  }
  return results;
}

/** One participant's published result, from olympiad_results (written there first if the olympiad predates it). */
export async function publishedResultOf(db: Db, olympiadId: string, participantId: string) {
  const read = () =>
    db
      .selectFrom('olympiad_results')
      .select(['total', 'rank', 'status', 'points'])
      .where('olympiad_id', '=', olympiadId)
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
  const row = await read();
  if (row) return row;
  // No row: this participant has no result, unless the olympiad was published before olympiad_results existed and
  // has none stored although it has finished work; then the table is written once and read like the others.
  const unstored = await db
    .selectFrom('olympiad_attempts as a')
    .select('a.id')
    .where('a.olympiad_id', '=', olympiadId)
    .where('a.closed_at', 'is not', null)
    .where('a.voided_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('olympiad_results as r').select('r.participant_id').where('r.olympiad_id', '=', olympiadId)),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  if (!unstored) return undefined;
  await db.transaction().execute((trx) => storePublishedResults(trx, olympiadId));
  return read();
}

/** Each participant with a real e-mail is told that the results are out, with their own total and status. */
async function notifyPublished(
  trx: Db,
  olympiadId: string,
  preview: ResultsPreview,
  mail: OlympiadMail,
): Promise<void> {
  const rows = await trx
    .selectFrom('olympiad_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .innerJoin('olympiads as o', 'o.id', 'p.olympiad_id')
    .select(['p.id', 'u.email', 'u.first_name', 'u.middle_name', 'o.appeals_close_at'])
    .where('p.olympiad_id', '=', olympiadId)
    .execute();
  const rowOf = new Map(preview.rows.map((x) => [x.participantId, x]));
  const letters: MailMessage[] = [];
  for (const r of rows) {
    const row = rowOf.get(r.id);
    if (!row || !hasRealEmail(r.email)) continue;
    const appeals = r.appeals_close_at
      ? `\nАпелляцию по любому заданию можно подать на странице олимпиады до ${moscowDateTime(r.appeals_close_at)} (МСК).`
      : '';
    letters.push({
      to: r.email,
      subject: `Итоги олимпиады «${preview.olympiad.title}»`,
      text:
        `${greeting({ firstName: r.first_name, middleName: r.middle_name })}\n\nОпубликованы итоги олимпиады «${preview.olympiad.title}». ` +
        `Ваш результат: ${ruNumber(row.total)} из ${ruNumber(preview.maxScore)} баллов, место ${row.rank}, статус: ${AWARD_STATUS_LABELS[row.status]}.${appeals}` +
        `\n\nРезультат по заданиям: ${mail.publicUrl}/olympiads/${olympiadId}${MAIL_FOOTER}`,
    });
  }
  await enqueueMails(trx, letters, { deliver: mail.deliver });
}

export const AWARD_STATUS_LABELS: Record<AwardStatus, string> = {
  winner: 'победитель',
  prize: 'призёр',
  participant: 'участник',
};

export async function myResult(db: Db, olympiadId: string, userId: string): Promise<MyResult> {
  const olympiad = await getOlympiad(db, olympiadId);
  if (!olympiad.results_published_at) throw new AppError('results_not_published', 'Итоги ещё не опубликованы.');
  const participant = await db
    .selectFrom('olympiad_participants')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!participant) throw new AppError('not_participant', 'Вы не участвовали в этой олимпиаде.');
  const row = await publishedResultOf(db, olympiadId, participant.id);
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'prompt', 'points'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const appeals = await db
    .selectFrom('olympiad_appeals')
    .selectAll()
    .where('olympiad_id', '=', olympiadId)
    .where('user_id', '=', userId)
    .execute();
  const appealOf = (taskId: string): MyAppeal | null => {
    const a = appeals.find((x) => x.task_id === taskId);
    if (!a) return null;
    return {
      id: a.id,
      text: a.text,
      createdAt: a.created_at.toISOString(),
      pointsBefore: a.points_before,
      decision: a.decision,
      newPoints: a.new_points,
      reason: a.reason,
      decidedAt: a.decided_at?.toISOString() ?? null,
    };
  };
  return {
    olympiad: { id: olympiad.id, title: olympiad.title, ...resultsState(olympiad) },
    maxScore: maxScoreOf(tasks),
    result: row
      ? {
          total: row.total,
          rank: row.rank,
          status: row.status as AwardStatus,
          tasks: tasks.map((t, i) => ({
            taskId: t.id,
            number: i + 1,
            prompt: t.prompt,
            maxPoints: t.points,
            points: row.points[i],
            appeal: appealOf(t.id),
          })),
        }
      : null,
  };
}
