import type { Db, RubricCriterion } from '@konkurs/db';
import { AppError, type ErrorCode } from '../../../http/errors.ts';
import { fullName } from '../../auth/present.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { findContest } from '../../contests/service.ts';
import type { FormField } from '../../forms/definition.ts';
import { pointsWord, ruNumber } from '../../../lib/ru-number.ts';
import { aggregateNomination, mean, type AggregationMethod, type EntryResult } from './aggregate.ts';
import { juryMembership } from '../members/membership.ts';
import { currentRubric, maxWeightedTotal } from '../rubrics/rubrics.ts';
import type { ContestResultsTable, NominationResults, ResultEntry } from './results-schemas.ts';
import type { Addressee } from '../../mail/letter.ts';

/**
 * The jury's results table of a contest: per nomination, the submitted score sheets (conflicted ones left out) put
 * through aggregateNomination with the contest's settings, the organizer's overrides on top, and everything a person
 * needs to trust or question it (spread, leniency, agreement, warnings, progress).
 */

export type ContestRow = Awaited<ReturnType<typeof findContest>>;

export const METHOD_LABELS: Record<AggregationMethod, string> = {
  mean: 'среднее арифметическое итогов членов жюри',
  median: 'медиана итогов членов жюри',
  trimmed_mean: 'среднее итогов членов жюри без самого высокого и самого низкого (при пяти и более оценках)',
  standardized: 'среднее стандартизованных итогов (поправка на строгость каждого члена жюри)',
};

const round2 = (x: number) => Math.round(x * 100) / 100;
/** 7.25 → «7,25»: numbers in Russian text. */

/** Who is asking for the results table: an organizer, or the jury chair who has sent all of their own sheets. */
export async function resultsViewer(db: Db, contestId: string, user: SessionUser): Promise<'organizer' | 'chair'> {
  if (user.roles.includes('organizer')) return 'organizer';
  const member = await juryMembership(db, contestId, user.id);
  if (!member?.isChair)
    throw new AppError('forbidden', 'Итоги работы жюри видят организаторы конкурса и председатель жюри.');
  const pending = await db
    .selectFrom('jury_assignments as a')
    .innerJoin('applications as ap', 'ap.id', 'a.application_id')
    .leftJoin('jury_conflicts as c', (join) =>
      join.onRef('c.application_id', '=', 'a.application_id').onRef('c.juror_id', '=', 'a.juror_id'),
    )
    .leftJoin('score_sheets as s', (join) =>
      join.onRef('s.application_id', '=', 'a.application_id').onRef('s.juror_id', '=', 'a.juror_id'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .where('a.contest_id', '=', contestId)
    .where('a.juror_id', '=', user.id)
    .where('ap.status', '=', 'accepted')
    .where('c.reason', 'is', null)
    .where((eb) => eb.or([eb('s.status', 'is', null), eb('s.status', '!=', 'submitted')]))
    .executeTakeFirstOrThrow();
  const n = Number(pending.n);
  if (n > 0) {
    throw new AppError(
      'chair_sheets_pending',
      `Председатель жюри видит итоги после того, как отправит все свои оценочные листы. Осталось отправить: ${n}.`,
    );
  }
  return 'chair';
}

interface EntryInfo {
  id: string;
  nominationId: string;
  registrationNumber: string | null;
  applicantId: string;
  applicant: string;
  /** Whom a letter to the applicant greets. */
  addressee: Addressee;
  email: string;
  title: string | null;
  municipality: string | null;
}

/** The entry's name for people: the form's «tos_name» if there is one, otherwise the first non-personal text field. */
async function describeApplications(
  db: Db,
  contest: ContestRow,
  where: { ids?: string[]; accepted?: boolean },
): Promise<EntryInfo[]> {
  let q = db
    .selectFrom('applications as a')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .select([
      'a.id',
      'a.nomination_id',
      'a.registration_number',
      'a.answers',
      'a.form_id',
      'a.applicant_id',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
      'u.email',
    ])
    .where('a.contest_id', '=', contest.id);
  if (where.accepted) q = q.where('a.status', '=', 'accepted');
  if (where.ids) {
    if (!where.ids.length) return [];
    q = q.where('a.id', 'in', where.ids);
  }
  const rows = await q.orderBy('a.registration_number').execute();
  const formIds = [...new Set(rows.map((r) => r.form_id))];
  const forms = formIds.length
    ? await db.selectFrom('application_forms').select(['id', 'fields']).where('id', 'in', formIds).execute()
    : [];
  const titleKey = new Map(
    forms.map((f) => {
      const fields = f.fields as FormField[];
      return [
        f.id,
        fields.some((x) => x.key === 'tos_name')
          ? 'tos_name'
          : fields.find((x) => x.kind === 'text' && !x.personal)?.key,
      ];
    }),
  );
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return rows.map((r) => {
    const key = titleKey.get(r.form_id);
    return {
      id: r.id,
      nominationId: r.nomination_id,
      registrationNumber: r.registration_number,
      applicantId: r.applicant_id,
      applicant: fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name }),
      addressee: { firstName: r.first_name, middleName: r.middle_name },
      email: r.email,
      title: key ? text(r.answers[key]) : null,
      municipality: contest.jury_municipality_field ? text(r.answers[contest.jury_municipality_field]) : null,
    };
  });
}

/** Thresholds for an ICC after Koo & Li (2016): below 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, above 0.9 excellent. */
const reliabilityWord = (icc: number) =>
  icc >= 0.9 ? 'очень высокая' : icc >= 0.75 ? 'высокая' : icc >= 0.5 ? 'умеренная' : 'низкая';

export function agreementText(w: number | null, icc: number | null, iccMean: number | null = null): string {
  const parts: string[] = [];
  if (w === null)
    parts.push('Коэффициент Кендалла (W) не рассчитан: для него каждый член жюри должен оценить каждую работу.');
  else
    parts.push(
      `W Кендалла = ${ruNumber(w)}: согласованность ${w >= 0.7 ? 'высокая' : w >= 0.5 ? 'средняя' : w >= 0.3 ? 'слабая' : 'низкая'}.`,
    );
  if (icc === null) parts.push('ICC не рассчитан: слишком мало оценок.');
  else {
    parts.push(
      `ICC(1,1) = ${ruNumber(icc)} (согласие оценок отдельных членов жюри, однофакторная модель со случайными эффектами): ${icc >= 0.75 ? 'оценки членов жюри хорошо согласуются' : icc >= 0.5 ? 'согласованность оценок умеренная' : 'согласованность оценок низкая'}.`,
    );
    if (iccMean !== null)
      parts.push(`ICC(1,k) = ${ruNumber(iccMean)} (надёжность среднего балла жюри): ${reliabilityWord(iccMean)}.`);
  }
  return parts.join(' ');
}

function leniencyText(leniency: number | null): string {
  if (leniency === null) return 'сравнить не с кем: эти работы больше никто не оценивал';
  if (Math.abs(leniency) < 0.5) return 'оценивает в среднем как коллеги';
  return `${leniency > 0 ? 'мягче' : 'строже'} коллег в среднем на ${ruNumber(Math.abs(leniency))} ${pointsWord(Math.abs(leniency))}`;
}

export async function computeContestResults(
  db: Db,
  contest: ContestRow,
  viewer: 'organizer' | 'chair',
): Promise<ContestResultsTable> {
  return (await computeContestResultsWithDerivations(db, contest, viewer)).table;
}

/**
 * The results table and, per entry, aggregateNomination's own result with its derivation (z-scores, trimmed jurors,
 * tie-breaking means): the per-entry report shows these, so its numbers are the table's by construction.
 */
export async function computeContestResultsWithDerivations(
  db: Db,
  contest: ContestRow,
  viewer: 'organizer' | 'chair',
): Promise<{ table: ContestResultsTable; aggregated: Map<string, EntryResult> }> {
  const aggregatedById = new Map<string, EntryResult>();
  const [nominations, entries, sheets, conflicts, assignments, overrides] = await Promise.all([
    db
      .selectFrom('nominations')
      .select(['id', 'title'])
      .where('contest_id', '=', contest.id)
      .orderBy('position')
      .orderBy('title')
      .execute(),
    describeApplications(db, contest, { accepted: true }),
    db
      .selectFrom('score_sheets')
      .select(['id', 'application_id', 'juror_id', 'rubric_id', 'points'])
      .where('contest_id', '=', contest.id)
      .where('status', '=', 'submitted')
      .execute(),
    db
      .selectFrom('jury_conflicts')
      .select(['application_id', 'juror_id'])
      .where('contest_id', '=', contest.id)
      .execute(),
    db
      .selectFrom('jury_assignments')
      .select(['application_id', 'juror_id'])
      .where('contest_id', '=', contest.id)
      .execute(),
    db
      .selectFrom('result_overrides')
      .select(['application_id', 'place', 'reason', 'set_at'])
      .where('contest_id', '=', contest.id)
      .execute(),
  ]);
  const conflicted = new Set(conflicts.map((c) => `${c.application_id}/${c.juror_id}`));
  const submitted = new Set(sheets.map((s) => `${s.application_id}/${s.juror_id}`));
  const overrideOf = new Map(overrides.map((o) => [o.application_id, o]));
  const rubricIds = [...new Set(sheets.map((s) => s.rubric_id))];
  const sheetRubrics = rubricIds.length
    ? await db.selectFrom('rubrics').select(['id', 'version', 'criteria']).where('id', 'in', rubricIds).execute()
    : [];
  const jurorIds = [...new Set(sheets.map((s) => s.juror_id))];
  const jurorRows = jurorIds.length
    ? await db
        .selectFrom('users')
        .select(['id', 'last_name', 'first_name', 'middle_name'])
        .where('id', 'in', jurorIds)
        .execute()
    : [];
  const jurorName = new Map(
    jurorRows.map((u) => [
      u.id,
      fullName({ lastName: u.last_name, firstName: u.first_name, middleName: u.middle_name }),
    ]),
  );

  const reopenings = await reopenedSheets(db, contest.id);
  // Blind review stays blind for the chair until publication: the entries are codes only (issue #11, item 2).
  const namesHidden = viewer === 'chair' && contest.jury_blind && !contest.results_published_at;
  const method = contest.jury_method;
  const result: NominationResults[] = [];
  for (const nomination of nominations) {
    const mine = entries.filter((e) => e.nominationId === nomination.id);
    const ids = new Set(mine.map((e) => e.id));
    const nominationSheets = sheets.filter((s) => ids.has(s.application_id));
    // The rubric the sheets were made under (edits are refused once a sheet uses a version); otherwise the current one.
    const used = sheetRubrics
      .filter((r) => nominationSheets.some((s) => s.rubric_id === r.id))
      .sort((a, b) => b.version - a.version);
    const rubric = used[0] ?? (await currentRubric(db, contest.id, nomination.id));
    const criteria: RubricCriterion[] = rubric?.criteria ?? [];
    const title = (key: string) => criteria.find((c) => c.key === key)?.title ?? key;

    const aggregated = aggregateNomination(
      criteria.map((c) => ({ id: c.key, weight: c.weight, min: c.min, max: c.max })),
      nominationSheets.map((s) => ({
        jurorId: s.juror_id,
        entryId: s.application_id,
        points: s.points,
        conflict: conflicted.has(`${s.application_id}/${s.juror_id}`),
      })),
      {
        method,
        tieBreakers: contest.jury_tie_breakers,
        places: contest.jury_places,
        disagreementShare: contest.jury_disagreement_share,
      },
    );
    const counted = nominationSheets.filter((s) => !conflicted.has(`${s.application_id}/${s.juror_id}`));
    const byId = new Map(aggregated.entries.map((e) => [e.entryId, e]));
    for (const [id, e] of byId) aggregatedById.set(id, e);
    const ordered = [
      ...aggregated.entries.map((e) => mine.find((m) => m.id === e.entryId)!),
      // Unscored entries by registration number, never by name: a blind chair must not learn the names' order.
      ...mine
        .filter((m) => !byId.has(m.id))
        .sort((a, b) => (a.registrationNumber ?? '').localeCompare(b.registrationNumber ?? '')),
    ];
    const rows: ResultEntry[] = ordered.map((info) => {
      const e = byId.get(info.id);
      const o = overrideOf.get(info.id);
      const computedPlace = e?.place ?? null;
      const own = counted.filter((s) => s.application_id === info.id);
      return {
        applicationId: info.id,
        registrationNumber: info.registrationNumber,
        title: namesHidden ? null : info.title,
        applicant: namesHidden ? null : info.applicant,
        municipality: namesHidden ? null : info.municipality,
        jurorTotals: e?.jurorTotals ?? {},
        sheetIds: Object.fromEntries(own.map((s) => [s.juror_id, s.id])),
        jurorCount: e?.jurorCount ?? 0,
        score: e?.score ?? null,
        spread: e?.spread ?? null,
        disagreement: e?.disagreement ?? false,
        rank: e?.rank ?? null,
        computedPlace,
        sharedRank: e?.sharedRank ?? false,
        decidedBy: e?.decidedBy ? title(e.decidedBy) : null,
        override: o ? { place: o.place, reason: o.reason, setAt: o.set_at.toISOString() } : null,
        finalPlace: o ? o.place : computedPlace,
        criterionMeans: own.length
          ? Object.fromEntries(criteria.map((c) => [c.key, round2(mean(own.map((s) => s.points[c.key] ?? 0)))]))
          : {},
      };
    });
    const expected = assignments.filter(
      (a) => ids.has(a.application_id) && !conflicted.has(`${a.application_id}/${a.juror_id}`),
    );
    const warnings: NominationResults['warnings'] = aggregated.warnings.map((w) => ({
      kind: w.kind,
      message: w.message,
      applicationIds: w.entryIds,
    }));
    if (used.length > 1)
      warnings.push({
        kind: 'rubric_versions',
        message: 'Оценочные листы номинации заполнены по разным версиям критериев; итоги считаются по последней.',
        applicationIds: [],
      });
    warnings.push(...overrideWarnings(rows));
    const unscored = rows.filter((r) => r.score === null);
    if (unscored.length)
      warnings.push({
        kind: 'unscored',
        message: `Работ без отправленных оценочных листов: ${unscored.length}. Они не получают места.`,
        applicationIds: unscored.map((r) => r.applicationId),
      });
    result.push({
      id: nomination.id,
      title: nomination.title,
      rubric: rubric ? { id: rubric.id, version: rubric.version } : null,
      criteria: criteria.map((c) => ({ key: c.key, title: c.title, max: c.max, weight: c.weight })),
      maxTotal: maxWeightedTotal(criteria),
      jurors: aggregated.jurors
        .map((j) => ({
          id: j.jurorId,
          name: jurorName.get(j.jurorId) ?? '—',
          entries: j.entries,
          meanTotal: round2(j.meanTotal),
          leniency: j.leniency === null ? null : round2(j.leniency),
          leniencyText: leniencyText(j.leniency),
        }))
        .sort((a, b) => a.name.localeCompare(b.name, 'ru')),
      entries: rows,
      agreement: {
        ...aggregated.agreement,
        text: agreementText(aggregated.agreement.kendallW, aggregated.agreement.icc, aggregated.agreement.iccMean),
      },
      warnings,
      progress: {
        submitted: expected.filter((a) => submitted.has(`${a.application_id}/${a.juror_id}`)).length,
        expected: expected.length,
      },
      reopened: reopenings
        .filter((x) => ids.has(x.applicationId))
        .map((x) => ({ ...x, registrationNumber: mine.find((m) => m.id === x.applicationId)!.registrationNumber })),
    });
  }

  const progress = {
    submitted: result.reduce((n, r) => n + r.progress.submitted, 0),
    expected: result.reduce((n, r) => n + r.progress.expected, 0),
  };
  const problem = publishProblem(contest, result, progress);
  const publishWarnings = result.flatMap((n) =>
    n.warnings.filter((w) => w.kind.startsWith('override_')).map((w) => `«${n.title}»: ${w.message}`),
  );
  const table: ContestResultsTable = {
    contest: {
      id: contest.id,
      slug: contest.slug,
      title: contest.title,
      method,
      methodLabel: METHOD_LABELS[method],
      places: contest.jury_places,
      showScores: contest.jury_show_scores,
      resultsPublishedAt: contest.results_published_at?.toISOString() ?? null,
      namesHidden,
    },
    viewer,
    nominations: result,
    progress,
    canPublish: !problem || problem.code === 'sheets_incomplete',
    publishWarnings,
    publishProblem: problem?.message ?? null,
  };
  return { table, aggregated: aggregatedById };
}

/**
 * What the organizer's overrides did to the order (issue #11, item 7): two entries on one place, or an entry ranked
 * higher by the jury's scores standing below (or without a place under) one ranked lower. Not refused — the jury may
 * mean it — but said in the table, the protocol and before publication.
 */
export function overrideWarnings(
  rows: Array<{
    applicationId: string;
    registrationNumber: string | null;
    rank: number | null;
    finalPlace: number | null;
    override: unknown;
  }>,
): NominationResults['warnings'] {
  if (!rows.some((r) => r.override)) return [];
  const warnings: NominationResults['warnings'] = [];
  const code = (r: (typeof rows)[number]) => r.registrationNumber ?? r.applicationId;
  const byPlace = new Map<number, typeof rows>();
  for (const r of rows) if (r.finalPlace !== null) byPlace.set(r.finalPlace, [...(byPlace.get(r.finalPlace) ?? []), r]);
  for (const [place, same] of [...byPlace].sort((a, b) => a[0] - b[0]))
    if (same.length > 1)
      warnings.push({
        kind: 'override_duplicate_place',
        message: `${place} место присуждено нескольким работам (${same.map(code).join(', ')}) после изменения мест вручную.`,
        applicationIds: same.map((r) => r.applicationId),
      });
  const ranked = rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!);
  for (let i = 0; i < ranked.length; i++)
    for (let j = i + 1; j < ranked.length; j++) {
      const [better, worse] = [ranked[i], ranked[j]];
      if (better.rank === worse.rank || worse.finalPlace === null) continue;
      if (better.finalPlace === null || better.finalPlace > worse.finalPlace)
        warnings.push({
          kind: 'override_order',
          message: `Порядок мест расходится с оценками: ${code(worse)} (ранг ${worse.rank}) — ${worse.finalPlace} место, а ${code(better)} (ранг ${better.rank}) — ${better.finalPlace === null ? 'без места' : `${better.finalPlace} место`}.`,
          applicationIds: [worse.applicationId, better.applicationId],
        });
    }
  return warnings;
}

/**
 * Every return of a sent sheet to its juror, from the audit log (the sheet keeps only the latest): whose sheet, who
 * returned it in which role, when and why. The report and the protocol list them.
 */
async function reopenedSheets(db: Db, contestId: string) {
  const rows = await db
    .selectFrom('audit_log as l')
    .innerJoin('score_sheets as s', (join) => join.on((eb) => eb('l.entity_id', '=', eb.cast<string>('s.id', 'text'))))
    .innerJoin('users as j', 'j.id', 's.juror_id')
    .leftJoin('users as a', 'a.id', 'l.actor_id')
    .select([
      'l.at',
      'l.after',
      's.application_id',
      's.juror_id',
      'j.last_name as juror_last',
      'j.first_name as juror_first',
      'j.middle_name as juror_middle',
      'a.last_name',
      'a.first_name',
      'a.middle_name',
      'a.roles',
    ])
    .where('l.action', '=', 'jury.sheet.reopen')
    .where('l.entity', '=', 'score_sheet')
    .where('s.contest_id', '=', contestId)
    .orderBy('l.at')
    .orderBy('l.id')
    .execute();
  return rows.map((r) => {
    const after = (r.after ?? {}) as { reason?: string; by?: 'organizer' | 'chair' };
    const role = (after.by ?? (r.roles?.includes('organizer') ? 'organizer' : 'chair')) === 'organizer';
    const actor = r.last_name
      ? fullName({ lastName: r.last_name, firstName: r.first_name!, middleName: r.middle_name })
      : 'неизвестно кто';
    return {
      applicationId: r.application_id,
      jurorId: r.juror_id,
      juror: fullName({ lastName: r.juror_last, firstName: r.juror_first, middleName: r.juror_middle }),
      by: `${actor} (${role ? 'организатор' : 'председатель жюри'})`,
      at: r.at.toISOString(),
      reason: after.reason ?? '',
    };
  });
}

/** What stands in the way of publication; 'sheets_incomplete' only asks the organizer to confirm. */
export function publishProblem(
  contest: ContestRow,
  nominations: NominationResults[],
  progress: { submitted: number; expected: number },
): { code: ErrorCode; message: string } | null {
  if (contest.results_published_at)
    return {
      code: 'already_published',
      message: 'Итоги уже опубликованы. Чтобы опубликовать их заново, сначала снимите их с публикации.',
    };
  const withEntries = nominations.filter((n) => n.entries.length);
  if (!withEntries.length)
    return { code: 'no_entries', message: 'В конкурсе нет принятых заявок: публиковать нечего.' };
  const noRubric = withEntries.find((n) => !n.rubric);
  if (noRubric)
    return {
      code: 'no_rubric',
      message: `В номинации «${noRubric.title}» нет критериев оценки: итоги подвести нельзя.`,
    };
  if (progress.submitted < progress.expected) {
    return {
      code: 'sheets_incomplete',
      message: `Отправлено ${progress.submitted} из ${progress.expected} оценочных листов. Опубликовать итоги можно, только подтвердив это.`,
    };
  }
  return null;
}

export { describeApplications };
