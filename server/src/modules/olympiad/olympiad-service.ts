import { type Db, isUniqueViolation } from '@konkurs/db';
import { AppError } from '../../http/errors.ts';
import { freeSlug, slugFromTitle as slugOf } from '../../lib/slug.ts';
import { recordAudit } from '../audit/service.ts';
import type { MyOlympiadList, OlympiadBody, OlympiadDetail } from './schemas.ts';
import { olympiadNotFound } from './tasks/task-service.ts';

interface Actor {
  id: string;
  ip: string;
}

/** How far in the past a new olympiad may start: the organizer's form is filled in to the minute. */
const START_GRACE_MS = 60_000;

/** The address part made from a title ("Олимпиада по праву" → "olimpiada-po-pravu"). */
export const slugFromTitle = (title: string): string => slugOf(title, 'olimpiada');

type OlympiadRow = {
  id: string;
  slug: string;
  title: string;
  description: string;
  grades: number[];
  window_start_at: Date;
  window_end_at: Date;
  time_limit_minutes: number;
  grace_seconds: number;
  results_published_at: Date | null;
};

const toDetail = (row: OlympiadRow, attemptsStarted: boolean): OlympiadDetail => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  description: row.description,
  grades: row.grades,
  windowStartAt: row.window_start_at.toISOString(),
  windowEndAt: row.window_end_at.toISOString(),
  timeLimitMinutes: row.time_limit_minutes,
  graceSeconds: row.grace_seconds,
  resultsPublishedAt: row.results_published_at ? row.results_published_at.toISOString() : null,
  attemptsStarted,
});

const COLUMNS = [
  'id',
  'slug',
  'title',
  'description',
  'grades',
  'window_start_at',
  'window_end_at',
  'time_limit_minutes',
  'grace_seconds',
  'results_published_at',
] as const;

async function hasAttempts(db: Db, olympiadId: string): Promise<boolean> {
  return !!(await db
    .selectFrom('olympiad_attempts')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .limit(1)
    .executeTakeFirst());
}

function validation(field: string, message: string): AppError {
  return new AppError('validation', `Проверьте введённые данные. ${message}`, { [field]: message });
}

function locked(field: string, message: string): AppError {
  return new AppError('olympiad_locked', message, { [field]: message });
}

/** Checks what JSON schema cannot: the order of the window's ends. */
function checkWindow(start: Date, end: Date): void {
  if (!(start < end)) throw validation('windowEndAt', 'Окончание олимпиады должно быть позже её начала.');
}

const normalGrades = (grades: number[]) => [...new Set(grades)].sort((a, b) => a - b);
/** The form is filled in to the minute: a value within the same minute as the stored one is no change. */
const sameMinute = (a: Date, b: Date) => Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000);

export async function getOlympiadDetail(db: Db, olympiadId: string): Promise<OlympiadDetail> {
  const row = await db.selectFrom('olympiads').select(COLUMNS).where('id', '=', olympiadId).executeTakeFirst();
  if (!row) throw olympiadNotFound();
  return toDetail(row, await hasAttempts(db, olympiadId));
}

export async function createOlympiad(db: Db, body: OlympiadBody, actor: Actor, now: Date): Promise<OlympiadDetail> {
  const start = new Date(body.windowStartAt);
  const end = new Date(body.windowEndAt);
  if (start.getTime() < now.getTime() - START_GRACE_MS)
    throw validation('windowStartAt', 'Начало олимпиады не может быть в прошлом.');
  checkWindow(start, end);
  const base = slugFromTitle(body.title);
  // Two organizers may take the same slug at once: the unique index decides, and the loser tries the next one.
  for (let tries = 0; ; tries++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('olympiads')
          .values({
            slug: await freeSlug(trx, 'olympiads', base),
            title: body.title.trim(),
            description: (body.description ?? '').trim(),
            grades: normalGrades(body.grades),
            window_start_at: start,
            window_end_at: end,
            time_limit_minutes: body.timeLimitMinutes,
            grace_seconds: body.graceSeconds,
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
        const olympiad = toDetail(row, false);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'olympiad.create',
          entity: 'olympiad',
          entityId: row.id,
          after: olympiad,
          ip: actor.ip,
        });
        return olympiad;
      });
    } catch (error) {
      if (!isUniqueViolation(error) || tries >= 5) throw error;
    }
  }
}

/**
 * Title and description may always change. Once a student has started, their deadline is fixed: the start of the
 * window, the time limit and the grades are locked, and the end may only move later. After publication the window is final.
 */
export async function updateOlympiad(
  db: Db,
  olympiadId: string,
  body: OlympiadBody,
  actor: Actor,
): Promise<OlympiadDetail> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('olympiads')
      .select(COLUMNS)
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw olympiadNotFound();
    const started = await hasAttempts(trx, olympiadId);
    const wantedStart = new Date(body.windowStartAt);
    const wantedEnd = new Date(body.windowEndAt);
    const start = sameMinute(wantedStart, before.window_start_at) ? before.window_start_at : wantedStart;
    const end = sameMinute(wantedEnd, before.window_end_at) ? before.window_end_at : wantedEnd;
    const grades = normalGrades(body.grades);
    checkWindow(start, end);

    if (before.results_published_at && (start !== before.window_start_at || end !== before.window_end_at)) {
      throw locked(
        start !== before.window_start_at ? 'windowStartAt' : 'windowEndAt',
        'Итоги олимпиады опубликованы: сроки проведения менять нельзя.',
      );
    }
    if (started) {
      if (start !== before.window_start_at)
        throw locked('windowStartAt', 'Участники уже начали работу: начало олимпиады менять нельзя.');
      if (body.timeLimitMinutes !== before.time_limit_minutes)
        throw locked('timeLimitMinutes', 'Участники уже начали работу: время на работу менять нельзя.');
      if (grades.join(',') !== normalGrades(before.grades).join(','))
        throw locked('grades', 'Участники уже начали работу: классы менять нельзя.');
      if (end < before.window_end_at) {
        throw locked(
          'windowEndAt',
          'Участники уже начали работу: окончание олимпиады можно только перенести на более позднее время.',
        );
      }
    }

    const row = await trx
      .updateTable('olympiads')
      .set({
        title: body.title.trim(),
        description: (body.description ?? '').trim(),
        grades,
        window_start_at: start,
        window_end_at: end,
        time_limit_minutes: body.timeLimitMinutes,
        grace_seconds: body.graceSeconds ?? before.grace_seconds,
      })
      .where('id', '=', olympiadId)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    const after = toDetail(row, started);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.update',
      entity: 'olympiad',
      entityId: olympiadId,
      before: toDetail(before, started),
      after,
      ip: actor.ip,
    });
    return after;
  });
}

/** The olympiads a person is a participant of, the latest first, with the state of their work. */
export async function myOlympiads(db: Db, userId: string): Promise<MyOlympiadList> {
  const rows = await db
    .selectFrom('olympiad_participants as p')
    .innerJoin('olympiads as o', 'o.id', 'p.olympiad_id')
    .leftJoin('olympiad_attempts as a', 'a.participant_id', 'p.id')
    .select(['o.id', 'o.title', 'o.window_start_at', 'o.window_end_at', 'o.results_published_at', 'a.id as attempt_id'])
    .select('a.closed_at')
    .where('p.user_id', '=', userId)
    .orderBy('o.window_start_at', 'desc')
    .execute();
  return {
    olympiads: rows.map((r) => ({
      id: r.id,
      title: r.title,
      windowStartAt: r.window_start_at.toISOString(),
      windowEndAt: r.window_end_at.toISOString(),
      work: r.attempt_id === null ? 'not_started' : r.closed_at === null ? 'running' : 'finished',
      resultsPublished: r.results_published_at !== null,
    })),
  };
}
