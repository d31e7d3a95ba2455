import type { Db, RubricCriterion } from '@konkurs/db';
import { AppError, forbidden, notFound } from '../../../http/errors.ts';
import { ruNumber } from '../../../lib/ru-number.ts';
import { recordAudit } from '../../audit/service.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { letterText } from '../../mail/letter.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { loadJurorEntry, loadSheet, sheetRubric, sheetState, sheetView, type JurorEntryRow } from './entry-view.ts';
import { MAX_CRITERION_COMMENT, type ReopenedSheet, type SheetBody, type SheetResponse } from './juror-schemas.ts';
import { juryMembership } from '../members/membership.ts';

export interface JuryCtx {
  db: Db;
  now: Date;
  ip: string;
  /** Whether mail is to be delivered (SMTP_URL set) or only kept in the outbox. */
  deliverMail: boolean;
  publicUrl: string;
}

export const SHEET_LOCKED_MESSAGE =
  'Оценка отправлена; изменить её может только председатель жюри, вернув её на доработку.';
const locked = () => new AppError('sheet_submitted', SHEET_LOCKED_MESSAGE);

/** Once results are published the scores are part of the protocol and cannot change. */
export function refuseAfterPublication(entry: { results_published_at: Date | null }): void {
  if (entry.results_published_at)
    throw new AppError('results_published', 'Итоги конкурса опубликованы: оценки больше не меняются.');
}

/**
 * Checks a draft against the rubric: every value given within [min, max] and a multiple of the step, comments
 * within their length. Missing points are fine in a draft. Errors are keyed `points.<key>` / `comments.<key>`
 * and name the criterion.
 */
export function checkSheet(criteria: RubricCriterion[], body: SheetBody) {
  const errors: Record<string, string> = {};
  const known = new Set(criteria.map((c) => c.key));
  const stray = [...Object.keys(body.points ?? {}), ...Object.keys(body.comments ?? {})].filter((k) => !known.has(k));
  if (stray.length) errors._ = `В критериях оценки нет: ${[...new Set(stray)].join(', ')}. Обновите страницу.`;
  const points: Record<string, number> = {};
  const comments: Record<string, string> = {};
  for (const c of criteria) {
    const value = body.points?.[c.key];
    if (value !== undefined && value !== null) {
      if (!Number.isFinite(value) || value < c.min || value > c.max) {
        errors[`points.${c.key}`] =
          `Критерий «${c.title}»: оценка должна быть от ${ruNumber(c.min)} до ${ruNumber(c.max)}.`;
      } else if (Math.abs(value / c.step - Math.round(value / c.step)) > 1e-9) {
        errors[`points.${c.key}`] =
          c.step === 1
            ? `Критерий «${c.title}»: оценка должна быть целым числом.`
            : `Критерий «${c.title}»: оценка должна быть кратна ${ruNumber(c.step)}.`;
      } else {
        points[c.key] = value;
      }
    }
    const text = (body.comments?.[c.key] ?? '').replace(/\r\n/g, '\n').trim();
    if ([...text].length > MAX_CRITERION_COMMENT) {
      errors[`comments.${c.key}`] =
        `Комментарий к критерию «${c.title}» должен содержать не больше ${MAX_CRITERION_COMMENT} символов.`;
    } else if (text) {
      comments[c.key] = text;
    }
  }
  return { errors, points, comments, comment: (body.comment ?? '').replace(/\r\n/g, '\n').trim() };
}

function invalid(errors: Record<string, string>): AppError {
  return new AppError('validation', `Проверьте оценку. ${Object.values(errors)[0]}`, errors);
}

function noRubric(): never {
  throw new AppError(
    'no_rubric',
    'Критерии оценки для этой номинации ещё не утверждены. Обратитесь к организатору конкурса.',
  );
}

async function respond(db: Db, entry: JurorEntryRow, jurorId: string): Promise<SheetResponse> {
  const sheet = (await loadSheet(db, entry.id, jurorId))!;
  const rubric = (await sheetRubric(db, entry, sheet))!;
  return { sheet: sheetView(sheet, rubric.criteria), state: sheetState(sheet) };
}

/** Saves the juror's draft: exactly the points and comments sent (a partial sheet is fine). */
export async function saveSheet(
  ctx: JuryCtx,
  applicationId: string,
  juror: SessionUser,
  body: SheetBody,
): Promise<SheetResponse> {
  return ctx.db.transaction().execute(async (trx) => {
    const entry = await loadJurorEntry(trx, applicationId, juror.id, true);
    refuseAfterPublication(entry);
    let sheet = await loadSheet(trx, applicationId, juror.id, true);
    if (sheet?.status === 'submitted') throw locked();
    const rubric = (await sheetRubric(trx, entry, sheet)) ?? noRubric();
    const checked = checkSheet(rubric.criteria, body);
    if (Object.keys(checked.errors).length) throw invalid(checked.errors);
    if (!sheet) {
      // The sheet keeps the rubric version it was started under, even if the organizer adds a new one later.
      sheet = await trx
        .insertInto('score_sheets')
        .values({
          application_id: applicationId,
          juror_id: juror.id,
          contest_id: entry.contest_id,
          rubric_id: rubric.id,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await trx
      .updateTable('score_sheets')
      .set({
        points: JSON.stringify(checked.points),
        comments: JSON.stringify(checked.comments),
        comment: checked.comment,
        updated_at: ctx.now,
      })
      .where('id', '=', sheet.id)
      .execute();
    return respond(trx, entry, juror.id);
  });
}

/** Sends the sheet: every criterion must be scored; from then on it is locked until the chair reopens it. */
export async function submitSheet(ctx: JuryCtx, applicationId: string, juror: SessionUser): Promise<SheetResponse> {
  return ctx.db.transaction().execute(async (trx) => {
    const entry = await loadJurorEntry(trx, applicationId, juror.id, true);
    refuseAfterPublication(entry);
    const sheet = await loadSheet(trx, applicationId, juror.id, true);
    if (sheet?.status === 'submitted') throw locked();
    const rubric = (await sheetRubric(trx, entry, sheet)) ?? noRubric();
    const missing: Record<string, string> = {};
    for (const c of rubric.criteria)
      if (sheet?.points[c.key] === undefined) missing[`points.${c.key}`] = `Поставьте оценку по критерию «${c.title}».`;
    if (!sheet || Object.keys(missing).length) {
      const titles = rubric.criteria.filter((c) => missing[`points.${c.key}`]).map((c) => `«${c.title}»`);
      throw new AppError(
        'incomplete_sheet',
        `Чтобы отправить оценку, поставьте баллы по всем критериям. Не оценено: ${titles.join(', ')}.`,
        missing,
      );
    }
    await trx
      .updateTable('score_sheets')
      .set({ status: 'submitted', submitted_at: ctx.now, updated_at: ctx.now })
      .where('id', '=', sheet.id)
      .execute();
    await recordAudit(trx, {
      actorId: juror.id,
      action: 'jury.sheet.submit',
      entity: 'score_sheet',
      entityId: sheet.id,
      after: { applicationId, rubricId: sheet.rubric_id, points: sheet.points, comment: sheet.comment },
      ip: ctx.ip,
    });
    return respond(trx, entry, juror.id);
  });
}

/**
 * Returns a submitted sheet to its juror as a draft. Only the chair of that contest's jury or an organizer may, and
 * never their own sheet (so the chair's own sheet is reopened by an organizer); the reason goes to the audit log, from
 * which the results report and the protocol list every return. The juror is told by mail (naming the entry by its code only, as blind mode wants).
 */
export async function reopenSheet(
  ctx: JuryCtx,
  contestId: string,
  sheetId: string,
  user: SessionUser,
  reason: string,
): Promise<ReopenedSheet> {
  const isOrganizer = user.roles.includes('organizer');
  if (!isOrganizer && !(await juryMembership(ctx.db, contestId, user.id))?.isChair) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const sheet = await trx
      .selectFrom('score_sheets as s')
      .innerJoin('applications as a', 'a.id', 's.application_id')
      .innerJoin('contests as c', 'c.id', 's.contest_id')
      .innerJoin('users as u', 'u.id', 's.juror_id')
      .select([
        's.id',
        's.status',
        's.application_id',
        's.juror_id',
        's.points',
        's.submitted_at',
        'a.registration_number',
        'c.title',
        'c.results_published_at',
        'u.email',
        'u.first_name',
        'u.middle_name',
      ])
      .where('s.id', '=', sheetId)
      .where('s.contest_id', '=', contestId)
      .forUpdate(['s'])
      .executeTakeFirst();
    if (!sheet) throw notFound('Оценка не найдена.');
    refuseAfterPublication(sheet);
    if (sheet.status !== 'submitted')
      throw new AppError('sheet_not_submitted', 'Эта оценка ещё не отправлена: член жюри может изменить её сам.');
    // A sent sheet is not reopened by its own author (the chair, say): someone else decides, with a reason.
    if (sheet.juror_id === user.id)
      throw new AppError(
        'own_sheet',
        isOrganizer
          ? 'Свою отправленную оценку нельзя вернуть самому себе: её возвращает другой организатор, указав причину.'
          : 'Свою отправленную оценку председатель не возвращает себе сам: её возвращает организатор, указав причину. Причина попадёт в итоги и протокол.',
      );
    await trx
      .updateTable('score_sheets')
      .set({
        status: 'draft',
        submitted_at: null,
        reopened_at: ctx.now,
        reopened_by: user.id,
        reopen_reason: reason,
        updated_at: ctx.now,
      })
      .where('id', '=', sheet.id)
      .execute();
    await recordAudit(trx, {
      actorId: user.id,
      action: 'jury.sheet.reopen',
      entity: 'score_sheet',
      entityId: sheet.id,
      before: { status: 'submitted', submittedAt: sheet.submitted_at, points: sheet.points },
      after: { status: 'draft', reason, by: isOrganizer ? 'organizer' : 'chair' },
      ip: ctx.ip,
    });
    const who = isOrganizer ? 'Организатор конкурса' : 'Председатель жюри';
    await enqueueMail(
      trx,
      {
        to: sheet.email,
        subject: `Оценка работы ${sheet.registration_number ?? ''} возвращена на доработку`,
        text: letterText({ firstName: sheet.first_name, middleName: sheet.middle_name }, [
          `${who} вернул вашу оценку работы ${sheet.registration_number ?? ''} (конкурс «${sheet.title}») на доработку.\nПричина: ${reason}`,
          `Исправьте оценку и отправьте её снова: ${ctx.publicUrl}/jury/entries/${sheet.application_id}`,
        ]),
      },
      { deliver: ctx.deliverMail },
    );
    return {
      sheet: { id: sheet.id, status: 'draft' as const, reopenedAt: ctx.now.toISOString(), reopenReason: reason },
    };
  });
}
