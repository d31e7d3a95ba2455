import type { Db, RubricCriterion } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { findContest } from '../../contests/service.ts';
import { letterText } from '../../mail/letter.ts';
import { enqueueMails } from '../../mail/outbox.ts';
import { mean } from './aggregate.ts';
import { maxWeightedTotal } from '../rubrics/rubrics.ts';
import {
  computeContestResults,
  describeApplications,
  METHOD_LABELS,
  publishProblem,
  type ContestRow,
} from './results-service.ts';
import type { ApplicationResult, OverrideBody, PublicResults } from './results-schemas.ts';

/**
 * Overrides, publication and what the public and the applicants see afterwards.
 * Decisions (documented in the report and the API summaries):
 * - overrides are refused while the results are published: the organizer unpublishes («снять с публикации»), changes,
 *   and publishes again; both acts are audited and publishing again replaces the snapshot;
 * - publishing twice without unpublishing is refused (409), so a double click never mails everyone twice;
 * - publishing again mails only the applicants whose result (nomination, place or score) differs from what they were
 *   last told (contest_result_notices), so a correction of one place does not send the same news to everyone again.
 */

export interface Actor {
  id: string;
  ip: string;
}

export interface PublishContext {
  now: Date;
  deliverMail: boolean;
  publicUrl: string;
}

const publishedConflict = () =>
  new AppError(
    'results_published',
    'Итоги уже опубликованы: чтобы изменить места, сначала снимите итоги с публикации.',
  );

async function acceptedEntryOfContest(db: Db, contest: ContestRow, applicationId: string) {
  const row = await db
    .selectFrom('applications')
    .select(['id', 'status'])
    .where('id', '=', applicationId)
    .where('contest_id', '=', contest.id)
    .executeTakeFirst();
  if (!row) throw notFound('Заявка не найдена в этом конкурсе.');
  if (row.status !== 'accepted') throw new AppError('not_an_entry', 'Место можно назначить только принятой заявке.');
  return row;
}

export async function setOverride(
  db: Db,
  contest: ContestRow,
  applicationId: string,
  body: OverrideBody,
  actor: Actor,
  now: Date,
): Promise<void> {
  await acceptedEntryOfContest(db, contest, applicationId);
  if (contest.results_published_at) throw publishedConflict();
  if (body.place !== null && body.place > contest.jury_places) {
    const message = `Место должно быть от 1 до ${contest.jury_places} или «без места».`;
    throw new AppError('validation', `Проверьте введённые данные. ${message}`, { place: message });
  }
  const reason = body.reason.trim();
  if (reason.length < 10) {
    const message = 'Поле «Основание решения» должно содержать не меньше 10 символов.';
    throw new AppError('validation', `Проверьте введённые данные. ${message}`, { reason: message });
  }
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('result_overrides')
      .select(['place', 'reason'])
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    await trx
      .insertInto('result_overrides')
      .values({
        application_id: applicationId,
        contest_id: contest.id,
        place: body.place,
        reason,
        set_by: actor.id,
        set_at: now,
      })
      .onConflict((oc) =>
        oc.column('application_id').doUpdateSet({ place: body.place, reason, set_by: actor.id, set_at: now }),
      )
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.result_override.set',
      entity: 'application',
      entityId: applicationId,
      before: before ?? null,
      after: { place: body.place, reason },
      ip: actor.ip,
    });
  });
}

export async function removeOverride(db: Db, contest: ContestRow, applicationId: string, actor: Actor): Promise<void> {
  const existing = await db
    .selectFrom('result_overrides')
    .select('application_id')
    .where('application_id', '=', applicationId)
    .where('contest_id', '=', contest.id)
    .executeTakeFirst();
  if (!existing) throw notFound('Для этой заявки место не меняли.');
  if (contest.results_published_at) throw publishedConflict();
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .deleteFrom('result_overrides')
      .where('application_id', '=', applicationId)
      .where('contest_id', '=', contest.id)
      .returning(['place', 'reason'])
      .executeTakeFirst();
    if (!before) throw notFound('Для этой заявки место не меняли.');
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.result_override.remove',
      entity: 'application',
      entityId: applicationId,
      before,
      after: null,
      ip: actor.ip,
    });
  });
}

/** Takes the snapshot every later reader uses (public page, applicants, certificates) and tells each applicant. */
export async function publishResults(
  db: Db,
  contest: ContestRow,
  options: { confirmIncomplete: boolean },
  actor: Actor,
  ctx: PublishContext,
): Promise<{ publishedAt: string; entries: number; mailed: number; unchanged: number }> {
  const table = await computeContestResults(db, contest, 'organizer');
  const problem = publishProblem(contest, table.nominations, table.progress);
  if (problem && !(problem.code === 'sheets_incomplete' && options.confirmIncomplete)) {
    throw new AppError(problem.code, problem.message);
  }
  const entries = table.nominations.flatMap((n) =>
    n.entries.map((e) => ({ ...e, nominationId: n.id, nominationTitle: n.title })),
  );
  const people = new Map(
    (await describeApplications(db, contest, { ids: entries.map((e) => e.applicationId) })).map((p) => [p.id, p]),
  );
  const publishedAt = ctx.now;
  let mailed = 0;
  let unchanged = 0;
  await db.transaction().execute(async (trx) => {
    // Claim the publication: a second request running at the same time finds it taken.
    const claimed = await trx
      .updateTable('contests')
      .set({ results_published_at: publishedAt })
      .where('id', '=', contest.id)
      .where('results_published_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('already_published', 'Итоги уже опубликованы.');
    await trx.deleteFrom('contest_results').where('contest_id', '=', contest.id).execute();
    await trx
      .insertInto('contest_results')
      .values(
        entries.map((e) => ({
          application_id: e.applicationId,
          contest_id: contest.id,
          nomination_id: e.nominationId,
          place: e.finalPlace,
          rank: e.rank,
          score: e.score,
          published_at: publishedAt,
        })),
      )
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.results.publish',
      entity: 'contest',
      entityId: contest.id,
      before: null,
      after: {
        publishedAt: publishedAt.toISOString(),
        confirmedIncomplete: table.progress.submitted < table.progress.expected,
        progress: table.progress,
        places: entries
          .filter((e) => e.finalPlace !== null)
          .map((e) => ({ applicationId: e.applicationId, place: e.finalPlace })),
      },
      ip: actor.ip,
    });
    const told = new Map(
      (
        await trx
          .selectFrom('contest_result_notices')
          .select(['application_id', 'nomination_id', 'place', 'score'])
          .where('contest_id', '=', contest.id)
          .execute()
      ).map((n) => [n.application_id, n]),
    );
    const changed = entries.filter((e) => {
      const last = told.get(e.applicationId);
      return !last || last.nomination_id !== e.nominationId || last.place !== e.finalPlace || last.score !== e.score;
    });
    unchanged = entries.length - changed.length;
    const letters = changed.flatMap((e) => {
      const person = people.get(e.applicationId);
      if (!person) return [];
      return [
        {
          to: person.email,
          subject: `Итоги конкурса «${contest.title}» опубликованы`,
          text: letterText(person.addressee, [
            `Жюри подвело итоги конкурса «${contest.title}», номинация «${e.nominationTitle}».\n` +
              `Результат вашей заявки ${e.registrationNumber ?? ''} — на её странице: ${ctx.publicUrl}/applications/${e.applicationId}\n` +
              `Все итоги: ${ctx.publicUrl}/contests/${contest.slug}/results`,
          ]),
        },
      ];
    });
    await enqueueMails(trx, letters, { deliver: ctx.deliverMail });
    if (changed.length)
      await trx
        .insertInto('contest_result_notices')
        .values(
          changed.map((e) => ({
            application_id: e.applicationId,
            contest_id: contest.id,
            nomination_id: e.nominationId,
            place: e.finalPlace,
            score: e.score,
            notified_at: publishedAt,
          })),
        )
        .onConflict((oc) =>
          oc.column('application_id').doUpdateSet((eb) => ({
            contest_id: eb.ref('excluded.contest_id'),
            nomination_id: eb.ref('excluded.nomination_id'),
            place: eb.ref('excluded.place'),
            score: eb.ref('excluded.score'),
            notified_at: eb.ref('excluded.notified_at'),
          })),
        )
        .execute();
    mailed = letters.length;
  });
  return { publishedAt: publishedAt.toISOString(), entries: entries.length, mailed, unchanged };
}

/** «Снять с публикации»: the public page and the applicants' results disappear until the organizer publishes again. */
export async function unpublishResults(db: Db, contest: ContestRow, actor: Actor): Promise<void> {
  if (!contest.results_published_at) throw new AppError('not_published', 'Итоги не опубликованы.');
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('contest_results')
      .where('contest_id', '=', contest.id)
      .returning(['application_id', 'place'])
      .execute();
    await trx.updateTable('contests').set({ results_published_at: null }).where('id', '=', contest.id).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.results.unpublish',
      entity: 'contest',
      entityId: contest.id,
      before: {
        publishedAt: contest.results_published_at!.toISOString(),
        places: removed.filter((r) => r.place !== null),
      },
      after: null,
      ip: actor.ip,
    });
  });
}

/** The published results for everyone: places and participants, names and titles, never a score. */
export async function publicResults(db: Db, slug: string): Promise<PublicResults> {
  const contest = await findContest(db, { slug }, { includeArchived: false });
  if (!contest.results_published_at) throw notFound('Итоги конкурса ещё не опубликованы.');
  const [rows, nominations] = await Promise.all([
    db
      .selectFrom('contest_results')
      .select(['application_id', 'nomination_id', 'place'])
      .where('contest_id', '=', contest.id)
      .execute(),
    db
      .selectFrom('nominations')
      .select(['id', 'title'])
      .where('contest_id', '=', contest.id)
      .orderBy('position')
      .orderBy('title')
      .execute(),
  ]);
  const people = new Map(
    (await describeApplications(db, contest, { ids: rows.map((r) => r.application_id) })).map((p) => [p.id, p]),
  );
  const person = (r: (typeof rows)[number]) => {
    const p = people.get(r.application_id)!;
    return { place: r.place, applicant: p.applicant, title: p.title, municipality: p.municipality };
  };
  const byName = (a: { applicant: string }, b: { applicant: string }) => a.applicant.localeCompare(b.applicant, 'ru');
  return {
    contest: {
      slug: contest.slug,
      title: contest.title,
      resultsPublishedAt: contest.results_published_at.toISOString(),
    },
    nominations: nominations
      .map((n) => {
        const mine = rows.filter((r) => r.nomination_id === n.id && people.has(r.application_id)).map(person);
        return {
          title: n.title,
          winners: mine.filter((p) => p.place !== null).sort((a, b) => a.place! - b.place! || byName(a, b)),
          participants: mine.filter((p) => p.place === null).sort(byName),
        };
      })
      .filter((n) => n.winners.length || n.participants.length),
  };
}

/** The applicant's own result: nothing before publication; then the place, and a summary when the contest shows scores. */
export async function applicationResult(db: Db, applicationId: string, user: SessionUser): Promise<ApplicationResult> {
  const app = await db
    .selectFrom('applications as a')
    .innerJoin('contests as c', 'c.id', 'a.contest_id')
    .innerJoin('nominations as n', 'n.id', 'a.nomination_id')
    .select([
      'a.id',
      'a.applicant_id',
      'c.title as contest_title',
      'c.results_published_at',
      'c.jury_show_scores',
      'c.jury_method',
      'n.title as nomination_title',
    ])
    .where('a.id', '=', applicationId)
    .executeTakeFirst();
  if (!app || (app.applicant_id !== user.id && !user.roles.includes('organizer'))) throw notFound('Заявка не найдена.');
  if (!app.results_published_at) return { published: false };
  const base = {
    published: true,
    contestTitle: app.contest_title,
    nominationTitle: app.nomination_title,
    publishedAt: app.results_published_at.toISOString(),
  };
  const row = await db
    .selectFrom('contest_results')
    .select(['place', 'score'])
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!row) return { ...base, ranked: false, place: null, summary: null };
  if (!app.jury_show_scores) return { ...base, ranked: true, place: row.place, summary: null };

  const sheets = await db
    .selectFrom('score_sheets as s')
    .innerJoin('rubrics as r', 'r.id', 's.rubric_id')
    .leftJoin('jury_conflicts as c', (join) =>
      join.onRef('c.application_id', '=', 's.application_id').onRef('c.juror_id', '=', 's.juror_id'),
    )
    .select(['s.points', 's.comment', 'r.criteria', 'r.version'])
    .where('s.application_id', '=', applicationId)
    .where('s.status', '=', 'submitted')
    .where('c.reason', 'is', null)
    .execute();
  const criteria: RubricCriterion[] = [...sheets].sort((a, b) => b.version - a.version)[0]?.criteria ?? [];
  return {
    ...base,
    ranked: true,
    place: row.place,
    summary: {
      score: row.score === null ? null : Math.round(row.score * 100) / 100,
      maxTotal: maxWeightedTotal(criteria),
      methodLabel: METHOD_LABELS[app.jury_method],
      criteria: criteria.map((c) => ({
        title: c.title,
        max: c.max,
        mean: sheets.length ? Math.round(mean(sheets.map((s) => s.points[c.key] ?? 0)) * 100) / 100 : null,
      })),
      // No names, and in an order that says nothing about who wrote what.
      comments: sheets
        .map((s) => s.comment.trim())
        .filter(Boolean)
        .sort((a, b) => a.localeCompare(b, 'ru')),
    },
  };
}
