import type { Db } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { loadJurorEntry, loadSheet } from '../sheets/entry-view.ts';
import type { ConflictResult } from '../sheets/juror-schemas.ts';
import { refuseAfterPublication, type JuryCtx } from '../sheets/sheets.ts';

const alreadySubmitted = () =>
  new AppError(
    'sheet_submitted',
    'Оценка этой работы уже отправлена: конфликт интересов можно заявить только до отправки. Обратитесь к председателю жюри.',
  );

/** Inserts the conflict and drops the juror's draft: from now on the entry is closed to them. */
async function addConflict(
  trx: Db,
  row: { applicationId: string; jurorId: string; contestId: string; reason: string; declaredBy: string },
  ctx: JuryCtx,
): Promise<ConflictResult> {
  const sheet = await loadSheet(trx, row.applicationId, row.jurorId, true);
  if (sheet?.status === 'submitted') throw alreadySubmitted();
  const inserted = await trx
    .insertInto('jury_conflicts')
    .values({
      application_id: row.applicationId,
      juror_id: row.jurorId,
      contest_id: row.contestId,
      reason: row.reason,
      declared_by: row.declaredBy,
      declared_at: ctx.now,
    })
    .onConflict((oc) => oc.columns(['application_id', 'juror_id']).doNothing())
    .returning(['declared_at'])
    .executeTakeFirst();
  if (!inserted) throw new AppError('conflict_exists', 'Конфликт интересов по этой работе уже записан.');
  if (sheet) await trx.deleteFrom('score_sheets').where('id', '=', sheet.id).execute();
  await recordAudit(trx, {
    actorId: row.declaredBy,
    action: 'jury.conflict.add',
    entity: 'application',
    entityId: row.applicationId,
    before: sheet ? { draftSheet: { points: sheet.points, comment: sheet.comment } } : undefined,
    after: { jurorId: row.jurorId, reason: row.reason },
    ip: ctx.ip,
  });
  return {
    conflict: {
      applicationId: row.applicationId,
      jurorId: row.jurorId,
      reason: row.reason,
      declaredAt: inserted.declared_at.toISOString(),
    },
  };
}

/** The juror declares a conflict of interest on an entry assigned to them (before they submitted a sheet for it). */
export async function declareConflict(
  ctx: JuryCtx,
  applicationId: string,
  juror: SessionUser,
  reason: string,
): Promise<ConflictResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const entry = await loadJurorEntry(trx, applicationId, juror.id, true);
    refuseAfterPublication(entry);
    return addConflict(
      trx,
      { applicationId, jurorId: juror.id, contestId: entry.contest_id, reason, declaredBy: juror.id },
      ctx,
    );
  });
}

/** The organizer records a conflict known in advance (e.g. a relative), so the juror never scores that entry. */
export async function recordConflict(
  ctx: JuryCtx,
  contestId: string,
  organizer: SessionUser,
  body: { applicationId: string; jurorId: string; reason: string },
): Promise<ConflictResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const application = await trx
      .selectFrom('applications as a')
      .innerJoin('contests as c', 'c.id', 'a.contest_id')
      .select(['a.id', 'c.results_published_at'])
      .where('a.id', '=', body.applicationId)
      .where('a.contest_id', '=', contestId)
      .forUpdate(['a'])
      .executeTakeFirst();
    if (!application) throw notFound('Заявка этого конкурса не найдена.');
    refuseAfterPublication(application);
    const member = await trx
      .selectFrom('jury_members')
      .select('user_id')
      .where('contest_id', '=', contestId)
      .where('user_id', '=', body.jurorId)
      .executeTakeFirst();
    if (!member)
      throw new AppError('validation', 'Этот пользователь не входит в жюри конкурса.', {
        jurorId: 'Выберите члена жюри этого конкурса.',
      });
    return addConflict(trx, { ...body, contestId, declaredBy: organizer.id }, ctx);
  });
}

/** The organizer removes a conflict recorded by mistake: the entry opens to the juror again (if assigned). */
export async function removeConflict(
  ctx: JuryCtx,
  contestId: string,
  applicationId: string,
  jurorId: string,
  organizer: SessionUser,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('jury_conflicts')
      .where('contest_id', '=', contestId)
      .where('application_id', '=', applicationId)
      .where('juror_id', '=', jurorId)
      .returning(['reason', 'declared_by'])
      .executeTakeFirst();
    if (!removed) throw notFound('Такой конфликт интересов не записан.');
    await recordAudit(trx, {
      actorId: organizer.id,
      action: 'jury.conflict.remove',
      entity: 'application',
      entityId: applicationId,
      before: { jurorId, reason: removed.reason, declaredBy: removed.declared_by },
      ip: ctx.ip,
    });
  });
}
