import type { Db } from '@konkurs/db';
import { moscowDate, moscowLongDate } from '../../../lib/moscow.ts';
import { toXlsx, type Column } from '../../../lib/spreadsheet.ts';
import { juryMembers, meetingOf } from './meeting.ts';
import type { ProtocolInput } from './protocol.ts';
import { ruNumber } from '../../../lib/ru-number.ts';
import type { ContestRow } from './results-service.ts';
import type { ContestResultsTable, NominationResults, ResultEntry } from './results-schemas.ts';

/** The results table as the protocol and the spreadsheet present it. */

const participant = (e: ResultEntry) =>
  e.applicant === null ? 'скрыт до публикации итогов' : e.title ? `${e.title} (${e.applicant})` : e.applicant;
const scoreText = (e: ResultEntry) => (e.score === null ? '—' : ruNumber(e.score));

export async function protocolInput(
  db: Db,
  contest: ContestRow,
  table: ContestResultsTable,
  now: Date,
): Promise<ProtocolInput> {
  const [members, template, conflicts, assignments] = await Promise.all([
    juryMembers(db, contest.id),
    db.selectFrom('certificate_templates').select('place').where('contest_id', '=', contest.id).executeTakeFirst(),
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
  ]);
  const meeting = meetingOf(contest);
  const absent = new Set(meeting.absentJurorIds);
  const nameOf = new Map(members.map((m) => [m.id, m.name]));
  const pair = (applicationId: string, jurorId: string) => `${applicationId}/${jurorId}`;
  const conflicted = new Set(conflicts.map((c) => pair(c.application_id, c.juror_id)));
  const assigned = new Set(assignments.map((a) => pair(a.application_id, a.juror_id)));
  // Without a meeting date: the day of publication, or today for a draft protocol.
  const day = meeting.date ? new Date(`${meeting.date}T12:00:00Z`) : (contest.results_published_at ?? now);
  const criterionTitle = new Map(table.nominations.flatMap((n) => n.criteria.map((c) => [c.key, c.title] as const)));
  const tieBreakers = contest.jury_tie_breakers.map((key) => `«${criterionTitle.get(key) ?? key}»`);
  return {
    contestTitle: contest.title,
    number: meeting.number || undefined,
    date: moscowLongDate(day),
    place: meeting.place || template?.place || '',
    methodLabel: table.contest.methodLabel,
    tieRule: tieBreakers.length
      ? `при равенстве итоговых оценок выше та работа, у которой больше средний балл жюри по критерию ${tieBreakers.join(', затем ')}`
      : undefined,
    jury: members.map((m) => ({
      name: m.name,
      role: m.chair ? 'председатель жюри' : 'член жюри',
      present: !absent.has(m.id),
    })),
    chairName: members.find((m) => m.chair)?.name ?? '',
    secretaryName: meeting.secretary || undefined,
    nominations: table.nominations
      .filter((n) => n.entries.length)
      .map((n) => {
        const entryIds = new Set(n.entries.map((e) => e.applicationId));
        // Everyone who had a part in this nomination: scored, was assigned, or declared a conflict.
        const jurorIds = [
          ...new Set([
            ...n.jurors.map((j) => j.id),
            ...[...assignments, ...conflicts].filter((a) => entryIds.has(a.application_id)).map((a) => a.juror_id),
          ]),
        ].sort((a, b) => (nameOf.get(a) ?? '').localeCompare(nameOf.get(b) ?? '', 'ru'));
        const cell = (e: ResultEntry, jurorId: string) => {
          if (conflicted.has(pair(e.applicationId, jurorId))) return 'конфл.';
          if (e.jurorTotals[jurorId] !== undefined) return ruNumber(e.jurorTotals[jurorId]);
          return assigned.has(pair(e.applicationId, jurorId)) ? 'не сдан' : '—';
        };
        const missing = n.entries.flatMap((e) =>
          jurorIds
            .filter((j) => cell(e, j) === 'не сдан')
            .map((j) => `${e.registrationNumber ?? '—'} — ${nameOf.get(j) ?? 'член жюри'}`),
        );
        return {
          title: n.title,
          jurorNames: jurorIds.map((id) => nameOf.get(id) ?? '—'),
          rows: n.entries.map((e) => ({
            place: e.finalPlace,
            rank: e.rank,
            registrationNumber: e.registrationNumber ?? '—',
            participant: participant(e),
            score: scoreText(e),
            jurorTotals: jurorIds.map((j) => cell(e, j)),
          })),
          sheets: { submitted: n.progress.submitted, expected: n.progress.expected, missing },
          ties: tiesOf(n),
          overrides: n.entries
            .filter((e) => e.override)
            .map((e) => ({
              registrationNumber: e.registrationNumber ?? '—',
              participant: participant(e),
              computedPlace: e.computedPlace,
              place: e.override!.place,
              reason: e.override!.reason,
            })),
          warnings: n.warnings.filter((w) => w.kind.startsWith('override_')).map((w) => w.message),
          reopened: n.reopened.map((x) => ({
            registrationNumber: x.registrationNumber ?? '—',
            juror: x.juror,
            by: x.by,
            at: moscowDate(new Date(x.at)),
            reason: x.reason,
          })),
        };
      }),
  };
}

/** Each group of entries with the same total, and what ordered them: a tie-breaking criterion, or a shared rank. */
function tiesOf(n: NominationResults): string[] {
  const groups = new Map<number, ResultEntry[]>();
  for (const e of n.entries) if (e.score !== null) groups.set(e.score, [...(groups.get(e.score) ?? []), e]);
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => {
      const numbers = g.map((e) => e.registrationNumber ?? '—').join(', ');
      const score = scoreText(g[0]);
      const decidedBy = g.find((e) => e.decidedBy)?.decidedBy;
      if (decidedBy) {
        const key = n.criteria.find((c) => c.title === decidedBy)?.key;
        const means = key
          ? ` (средний балл по нему: ${g.map((e) => `${e.registrationNumber ?? '—'} — ${ruNumber(e.criterionMeans[key] ?? 0)}`).join(', ')})`
          : '';
        return `${numbers}: равная итоговая оценка ${score}; порядок определил критерий «${decidedBy}»${means}.`;
      }
      return `${numbers}: равная итоговая оценка ${score}; критерии для равных оценок их не развели, работы делят ранг.`;
    });
}

type Row = ResultEntry & { nomination: string };

/** One sheet with a nomination column; a column for each juror of any nomination (empty where they did not score). */
export async function resultsXlsx(table: ContestResultsTable): Promise<Buffer> {
  const jurors = new Map<string, string>();
  for (const n of table.nominations) for (const j of n.jurors) jurors.set(j.id, j.name);
  const rows: Row[] = table.nominations.flatMap((n) => n.entries.map((e) => ({ ...e, nomination: n.title })));
  const columns: Column<Row>[] = [
    { header: 'Номинация', value: (r) => r.nomination, width: 36 },
    { header: 'Итоговое место', value: (r) => r.finalPlace, width: 10 },
    { header: 'Расчётное место', value: (r) => r.computedPlace, width: 10 },
    { header: 'Ранг', value: (r) => r.rank, width: 8 },
    { header: 'Рег. номер', value: (r) => r.registrationNumber, width: 16 },
    { header: 'Название', value: (r) => r.title, width: 28 },
    { header: 'Заявитель', value: (r) => r.applicant, width: 32 },
    { header: 'Муниципальное образование', value: (r) => r.municipality, width: 24 },
    { header: 'Оценка', value: (r) => r.score, width: 10 },
    { header: 'Разброс итогов', value: (r) => r.spread?.range, width: 10 },
    { header: 'Сильное расхождение', value: (r) => (r.disagreement ? 'да' : ''), width: 12 },
    { header: 'Решил критерий', value: (r) => r.decidedBy, width: 24 },
    { header: 'Изменение места: основание', value: (r) => r.override?.reason, width: 40 },
    ...[...jurors].map(([id, name]): Column<Row> => ({ header: name, value: (r) => r.jurorTotals[id], width: 18 })),
  ];
  return toXlsx(table.contest.resultsPublishedAt ? 'Итоги' : 'Предварительные итоги', columns, rows);
}
