import type { Db } from '@konkurs/db';
import { notFound } from '../../../http/errors.ts';
import { ruNumber } from '../../../lib/ru-number.ts';
import { fullName } from '../../auth/present.ts';
import { jurorTotal, type EntryResult } from './aggregate.ts';
import { juryMembers } from './meeting.ts';
import type { EntryReport } from './results-schemas.ts';
import { computeContestResultsWithDerivations, type ContestRow } from './results-service.ts';

/**
 * The report of one entry (issue #11, item 8): every juror's sheet, the declared conflicts, how the method turned the
 * sheets into the score (z-scores, trimmed totals), the rank and the tie-breaker, and the organizer's overrides and
 * returned sheets from the audit log. The numbers are the results table's own: aggregateNomination's result for the
 * entry, with its derivation, is read from the same computation, never redone here.
 */

const STATE_LABELS: Record<EntryReport['sheets'][number]['state'], string> = {
  submitted: 'отправлен',
  draft: 'черновик (не отправлен)',
  missing: 'не заполнен',
  conflict: 'конфликт интересов: не оценивает',
};

/** z-scores and the scale they come from need more than the two decimals of the table to be redone by hand. */
const precise = (x: number) => String(Math.round(x * 10000) / 10000).replace('.', ',');

export async function entryReport(db: Db, contest: ContestRow, applicationId: string): Promise<EntryReport> {
  const { table, aggregated } = await computeContestResultsWithDerivations(db, contest, 'organizer');
  const nomination = table.nominations.find((n) => n.entries.some((e) => e.applicationId === applicationId));
  if (!nomination) throw notFound('Работа не найдена среди принятых заявок этого конкурса.');
  const row = nomination.entries.find((e) => e.applicationId === applicationId)!;
  const computed = aggregated.get(applicationId);

  const [sheets, assignments, conflicts, members, overrideLog] = await Promise.all([
    db
      .selectFrom('score_sheets')
      .select(['juror_id', 'points', 'comments', 'comment', 'status', 'submitted_at', 'updated_at'])
      .where('application_id', '=', applicationId)
      .where('contest_id', '=', contest.id)
      .execute(),
    db
      .selectFrom('jury_assignments')
      .select('juror_id')
      .where('application_id', '=', applicationId)
      .where('contest_id', '=', contest.id)
      .execute(),
    db
      .selectFrom('jury_conflicts as c')
      .leftJoin('users as u', 'u.id', 'c.declared_by')
      .select([
        'c.juror_id',
        'c.reason',
        'c.declared_at',
        'c.declared_by',
        'u.last_name',
        'u.first_name',
        'u.middle_name',
      ])
      .where('c.application_id', '=', applicationId)
      .where('c.contest_id', '=', contest.id)
      .execute(),
    juryMembers(db, contest.id),
    db
      .selectFrom('audit_log as l')
      .leftJoin('users as u', 'u.id', 'l.actor_id')
      .select(['l.action', 'l.at', 'l.before', 'l.after', 'u.last_name', 'u.first_name', 'u.middle_name'])
      .where('l.entity', '=', 'application')
      .where('l.entity_id', '=', applicationId)
      .where('l.action', 'in', ['jury.result_override.set', 'jury.result_override.remove'])
      .orderBy('l.at')
      .orderBy('l.id')
      .execute(),
  ]);

  // Anyone not (or no longer) in the jury but with a sheet or a conflict on this entry is named from the users table.
  const memberName = new Map(members.map((m) => [m.id, m.name]));
  const strangers = [...sheets, ...conflicts].map((s) => s.juror_id).filter((id) => !memberName.has(id));
  if (strangers.length) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'last_name', 'first_name', 'middle_name'])
      .where('id', 'in', strangers)
      .execute();
    for (const u of rows)
      memberName.set(u.id, fullName({ lastName: u.last_name, firstName: u.first_name, middleName: u.middle_name }));
  }
  const nameOf = (id: string) => memberName.get(id) ?? 'член жюри';
  const chairId = members.find((m) => m.chair)?.id;

  const criteria = nomination.criteria;
  const rubric = criteria.map((c) => ({ id: c.key, weight: c.weight, min: 0, max: c.max }));
  const fullCriteria = await criteriaWithMin(db, nomination.rubric?.id ?? null, criteria);
  const conflicted = new Set(conflicts.map((c) => c.juror_id));
  const sheetOf = new Map(sheets.map((s) => [s.juror_id, s]));
  const derivation = computed?.derivation;
  const jurorIds = [
    ...new Set([...assignments.map((a) => a.juror_id), ...sheets.map((s) => s.juror_id), ...conflicted]),
  ];
  const reportSheets: EntryReport['sheets'] = jurorIds
    .map((jurorId) => {
      const s = sheetOf.get(jurorId);
      const state = conflicted.has(jurorId)
        ? 'conflict'
        : s
          ? s.status === 'submitted'
            ? 'submitted'
            : 'draft'
          : 'missing';
      const counted = row.jurorTotals[jurorId] !== undefined;
      return {
        jurorId,
        juror: nameOf(jurorId),
        chair: jurorId === chairId,
        state,
        stateLabel: STATE_LABELS[state],
        counted,
        criteria: criteria.map((c) => {
          const points = s?.points[c.key];
          return {
            key: c.key,
            points: points ?? null,
            weighted: points === undefined ? null : Math.round(points * c.weight * 1e9) / 1e9,
            comment: s?.comments[c.key] ?? '',
          };
        }),
        // A counted sheet's total is the table's; a draft's is worked out by the same rule, for information only.
        total: counted ? row.jurorTotals[jurorId] : s ? jurorTotal(rubric, s.points) : null,
        comment: s?.comment ?? '',
        submittedAt: s?.submitted_at?.toISOString() ?? null,
        updatedAt: s?.updated_at.toISOString() ?? null,
        standardized: derivation?.z[jurorId] ?? null,
        trimmed: derivation?.trimmed.includes(jurorId) ?? false,
      } satisfies EntryReport['sheets'][number];
    })
    .sort((a, b) => Number(b.chair) - Number(a.chair) || a.juror.localeCompare(b.juror, 'ru'));

  const titleOf = (key: string) => criteria.find((c) => c.key === key)?.title ?? key;
  const label = (e: { registrationNumber: string | null; title: string | null }) =>
    [e.registrationNumber, e.title].filter(Boolean).join(' ') || '—';
  const tieGroup =
    row.score === null ? [] : nomination.entries.filter((e) => e.score !== null && e.score === row.score);
  const tie =
    tieGroup.length > 1
      ? {
          text: tieText(row, tieGroup, contest.jury_tie_breakers, titleOf, aggregated, label),
          entries: tieGroup.map((e) => ({
            applicationId: e.applicationId,
            registrationNumber: e.registrationNumber,
            title: e.title,
            rank: e.rank,
            tieBreakerMeans: aggregated.get(e.applicationId)?.derivation.tieBreakerMeans ?? {},
          })),
        }
      : null;

  const byWhom = (r: { last_name: string | null; first_name: string | null; middle_name: string | null }) =>
    r.last_name
      ? fullName({ lastName: r.last_name, firstName: r.first_name!, middleName: r.middle_name })
      : 'неизвестно кто';
  type OverrideState = { place?: number | null; reason?: string } | null;
  const overrides: EntryReport['overrides'] = overrideLog.map((l) => {
    const before = l.before as OverrideState;
    const after = l.after as OverrideState;
    const set = l.action === 'jury.result_override.set';
    return {
      action: set ? 'set' : 'remove',
      place: set ? (after?.place ?? null) : null,
      previousPlace: before?.place ?? null,
      reason: (set ? after?.reason : before?.reason) ?? '',
      by: byWhom(l),
      at: l.at.toISOString(),
    };
  });

  return {
    contest: {
      id: contest.id,
      slug: contest.slug,
      title: contest.title,
      blind: contest.jury_blind,
      method: contest.jury_method,
      methodLabel: table.contest.methodLabel,
      places: contest.jury_places,
      tieBreakers: contest.jury_tie_breakers.map((key) => ({ key, title: titleOf(key) })),
      resultsPublishedAt: table.contest.resultsPublishedAt,
    },
    nomination: {
      id: nomination.id,
      title: nomination.title,
      rubricVersion: nomination.rubric?.version ?? null,
      maxTotal: nomination.maxTotal,
      entries: nomination.entries.length,
    },
    entry: {
      applicationId,
      registrationNumber: row.registrationNumber,
      title: row.title,
      applicant: row.applicant ?? '',
      municipality: row.municipality,
    },
    criteria: fullCriteria,
    sheets: reportSheets,
    conflicts: conflicts.map((c) => ({
      jurorId: c.juror_id,
      juror: nameOf(c.juror_id),
      declaredAt: c.declared_at.toISOString(),
      declaredBy: c.declared_by === c.juror_id ? 'сам член жюри' : `${byWhom(c)} (организатор)`,
      reason: c.reason,
    })),
    result: {
      score: row.score,
      calculation: calculation(contest.jury_method, reportSheets, row.score, derivation),
      rank: row.rank,
      sharedRank: row.sharedRank,
      computedPlace: row.computedPlace,
      finalPlace: row.finalPlace,
      decidedBy: row.decidedBy,
      tie,
    },
    overrides,
    reopened: nomination.reopened
      .filter((x) => x.applicationId === applicationId)
      .map((x) => ({ jurorId: x.jurorId, juror: x.juror, by: x.by, at: x.at, reason: x.reason })),
  };
}

/** The rubric's criteria with their minimum (the table carries only the maximum and the weight). */
async function criteriaWithMin(
  db: Db,
  rubricId: string | null,
  criteria: Array<{ key: string; title: string; max: number; weight: number }>,
): Promise<EntryReport['criteria']> {
  const rubric = rubricId
    ? await db.selectFrom('rubrics').select('criteria').where('id', '=', rubricId).executeTakeFirst()
    : undefined;
  return criteria.map((c) => ({ ...c, min: rubric?.criteria.find((r) => r.key === c.key)?.min ?? 0 }));
}

/** The score worked out step by step from the values the method used, as a person would redo it. */
export function calculation(
  method: string,
  sheets: EntryReport['sheets'],
  score: number | null,
  derivation: EntryResult['derivation'] | undefined,
): string[] {
  if (score === null || !derivation)
    return ['Отправленных оценочных листов нет: итоговой оценки нет, место не присуждается.'];
  const totalOf = new Map(sheets.map((s) => [s.jurorId, s.total ?? 0]));
  const nameOf = new Map(sheets.map((s) => [s.jurorId, s.juror]));
  const used = derivation.used.map((j) => totalOf.get(j) ?? 0);
  // The mean reads in the order of the sheets above, so each term is found in its column.
  const inSheetOrder = sheets.filter((s) => derivation.used.includes(s.jurorId)).map((s) => s.total ?? 0);
  const list = (xs: number[], f = ruNumber) => xs.map(f).join(' + ');
  const lines: string[] = [];
  const n = derivation.used.length;
  switch (method) {
    case 'mean':
      lines.push(
        `Среднее арифметическое итогов ${n} членов жюри: (${list(inSheetOrder)}) / ${n} = ${ruNumber(score)}.`,
      );
      break;
    case 'median':
      lines.push(
        `Медиана итогов ${n} членов жюри (по возрастанию: ${used.map(ruNumber).join('; ')}) = ${ruNumber(score)}.`,
      );
      break;
    case 'trimmed_mean':
      if (derivation.trimmed.length)
        lines.push(
          `Оценок ${n + derivation.trimmed.length}: отброшены самый низкий и самый высокий итоги — ${derivation.trimmed
            .map((j) => `${ruNumber(totalOf.get(j) ?? 0)} (${nameOf.get(j)})`)
            .join(' и ')}.`,
        );
      else lines.push(`Оценок ${n}, меньше пяти: ничего не отбрасывается.`);
      lines.push(`Среднее оставшихся итогов: (${list(used)}) / ${n} = ${ruNumber(score)}.`);
      break;
    case 'standardized':
      for (const j of sheets.map((s) => s.jurorId).filter((id) => derivation.used.includes(id))) {
        const z = derivation.z[j];
        lines.push(
          z.sd > 0
            ? `${nameOf.get(j)}: z = (${ruNumber(totalOf.get(j) ?? 0)} − ${precise(z.mean)}) / ${precise(z.sd)} = ${precise(z.z)} (средний итог и стандартное отклонение по ${z.entries} работам номинации).`
            : `${nameOf.get(j)}: все его итоги в номинации одинаковы (стандартное отклонение 0), z = 0.`,
        );
      }
      lines.push(
        `Итоговая оценка — среднее z: (${sheets
          .filter((s) => derivation.used.includes(s.jurorId))
          .map((s) => precise(derivation.z[s.jurorId].z))
          .join(' + ')}) / ${n} = ${precise(score)}.`,
      );
      break;
  }
  return lines;
}

function tieText(
  row: { applicationId: string; rank: number | null; decidedBy: string | null; sharedRank: boolean },
  group: Array<{
    applicationId: string;
    registrationNumber: string | null;
    title: string | null;
    score: number | null;
  }>,
  tieBreakers: string[],
  titleOf: (key: string) => string,
  aggregated: Map<string, EntryResult>,
  label: (e: { registrationNumber: string | null; title: string | null }) => string,
): string {
  const others = group.filter((e) => e.applicationId !== row.applicationId).map(label);
  const head = `Та же итоговая оценка (${ruNumber(group[0].score!)}) у ${others.length === 1 ? 'работы' : 'работ'} ${others.join(', ')}.`;
  if (!tieBreakers.length) return `${head} Критерии для равных оценок не заданы: работы делят ранг ${row.rank}.`;
  // The criteria up to the one that decided (all of them when none did): later ones played no part.
  const decisive = tieBreakers.findIndex((key) => titleOf(key) === row.decidedBy);
  const means = tieBreakers
    .slice(0, decisive === -1 ? tieBreakers.length : decisive + 1)
    .map(
      (key) =>
        `«${titleOf(key)}» — ${group
          .map((e) => `${label(e)}: ${ruNumber(aggregated.get(e.applicationId)?.derivation.tieBreakerMeans[key] ?? 0)}`)
          .join('; ')}`,
    )
    .join('. ');
  const verdict = row.decidedBy
    ? `Порядок определил критерий «${row.decidedBy}»: у этой работы ранг ${row.rank}.`
    : row.sharedRank
      ? `Критерии для равных оценок работы не развели: они делят ранг ${row.rank}.`
      : `Ранг этой работы — ${row.rank}.`;
  return `${head} Средний балл жюри по критериям для равных оценок: ${means}. ${verdict}`;
}
