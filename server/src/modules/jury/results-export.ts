import type { Db } from '@konkurs/db';
import { moscowDate } from '../../lib/moscow.ts';
import { toXlsx, type Column } from '../../lib/spreadsheet.ts';
import { fullName } from '../auth/present.ts';
import type { ProtocolInput } from './protocol.ts';
import { ruNumber } from '../../lib/ru-number.ts';
import type { ContestRow } from './results-service.ts';
import type { ContestResultsTable, ResultEntry } from './results-schemas.ts';

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
  const [members, template] = await Promise.all([
    db
      .selectFrom('jury_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.is_chair', 'u.last_name', 'u.first_name', 'u.middle_name'])
      .where('m.contest_id', '=', contest.id)
      .execute(),
    db.selectFrom('certificate_templates').select('place').where('contest_id', '=', contest.id).executeTakeFirst(),
  ]);
  const jury = members
    .map((m) => ({
      name: fullName({ lastName: m.last_name, firstName: m.first_name, middleName: m.middle_name }),
      chair: m.is_chair,
    }))
    // The chair first, then by name.
    .sort((a, b) => Number(b.chair) - Number(a.chair) || a.name.localeCompare(b.name, 'ru'));
  return {
    contestTitle: contest.title,
    date: moscowDate(now),
    place: template?.place ?? '',
    methodLabel: table.contest.methodLabel,
    jury: jury.map((j) => ({ name: j.name, role: j.chair ? 'председатель жюри' : 'член жюри' })),
    chairName: jury.find((j) => j.chair)?.name ?? '',
    nominations: table.nominations
      .filter((n) => n.entries.length)
      .map((n) => ({
        title: n.title,
        jurorNames: n.jurors.map((j) => j.name),
        rows: n.entries.map((e) => ({
          place: e.finalPlace,
          rank: e.rank,
          registrationNumber: e.registrationNumber ?? '—',
          participant: participant(e),
          score: scoreText(e),
          jurorTotals: n.jurors.map((j) => (e.jurorTotals[j.id] === undefined ? '—' : ruNumber(e.jurorTotals[j.id]))),
        })),
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
      })),
  };
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
