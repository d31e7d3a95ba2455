import type { Db, RubricCriterion } from '@konkurs/db';
import { notFound } from '../../../http/errors.ts';
import { fullName } from '../../auth/present.ts';
import { answerText, type Answers, type FormField } from '../../forms/definition.ts';
import type { EntryState, JuryEntry, JuryPreview, SheetView } from './juror-schemas.ts';
import { jurorMayRead } from '../members/membership.ts';
import { currentRubric, maxWeightedTotal } from '../rubrics/rubrics.ts';

/**
 * An entry as its juror may see it. Everything a juror route shows of an entry comes from here, so blind mode
 * is decided in one place: no applicant's name, no personal field, no original file name.
 */
export async function loadJurorEntry(db: Db, applicationId: string, jurorId: string, lock = false) {
  // The same 404 for an entry that does not exist, is not assigned, or is closed by a conflict: ids cannot be probed.
  const gone = () => notFound('Работа не найдена или не назначена вам.');
  if (!(await jurorMayRead(db, applicationId, jurorId))) throw gone();
  const row = await entryRow(db, applicationId, lock);
  // Only accepted applications are entries; an archived contest is closed to its jury.
  if (!row || row.status !== 'accepted' || row.archived_at) throw gone();
  return row;
}
export type JurorEntryRow = NonNullable<Awaited<ReturnType<typeof entryRow>>>;

/** An application with what a juror's view of it needs, whoever asks (the juror, or the organizer's preview). */
async function entryRow(db: Db, applicationId: string, lock = false) {
  let q = db
    .selectFrom('applications as a')
    .innerJoin('contests as c', 'c.id', 'a.contest_id')
    .innerJoin('nominations as n', 'n.id', 'a.nomination_id')
    .innerJoin('application_forms as f', 'f.id', 'a.form_id')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .select([
      'a.id',
      'a.status',
      'a.answers',
      'a.registration_number',
      'a.contest_id',
      'a.nomination_id',
      'c.title as contest_title',
      'c.jury_blind',
      'c.jury_show_scores',
      'c.results_published_at',
      'c.archived_at',
      'n.title as nomination_title',
      'f.fields as form_fields',
      'u.last_name',
      'u.first_name',
      'u.middle_name',
    ])
    .where('a.id', '=', applicationId);
  if (lock) q = q.forUpdate(['a']);
  return q.executeTakeFirst();
}

/** The juror's sheet of an entry, if they have one. */
export function loadSheet(db: Db, applicationId: string, jurorId: string, lock = false) {
  let q = db
    .selectFrom('score_sheets')
    .selectAll()
    .where('application_id', '=', applicationId)
    .where('juror_id', '=', jurorId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type SheetRow = NonNullable<Awaited<ReturnType<typeof loadSheet>>>;

export async function rubricById(db: Db, id: string) {
  const row = await db
    .selectFrom('rubrics')
    .select(['id', 'version', 'criteria'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id: row.id, version: row.version, criteria: row.criteria };
}

/** The rubric an entry is scored by: the one the juror's sheet was started under, otherwise the current one. */
export async function sheetRubric(db: Db, entry: JurorEntryRow, sheet: SheetRow | undefined) {
  if (sheet) return rubricById(db, sheet.rubric_id);
  const current = await currentRubric(db, entry.contest_id, entry.nomination_id);
  return current ? { id: current.id, version: current.version, criteria: current.criteria } : null;
}

/** The weighted total of the points given so far. */
export function weightedTotal(criteria: RubricCriterion[], points: Record<string, number>): number {
  const sum = criteria.reduce((acc, c) => acc + (points[c.key] ?? 0) * c.weight, 0);
  return Math.round(sum * 100) / 100;
}

export function sheetView(sheet: SheetRow, criteria: RubricCriterion[]): SheetView {
  return {
    id: sheet.id,
    rubricId: sheet.rubric_id,
    status: sheet.status,
    points: sheet.points,
    comments: sheet.comments,
    comment: sheet.comment,
    total: weightedTotal(criteria, sheet.points),
    submittedAt: sheet.submitted_at ? sheet.submitted_at.toISOString() : null,
    updatedAt: sheet.updated_at.toISOString(),
    reopenedAt: sheet.reopened_at ? sheet.reopened_at.toISOString() : null,
    reopenReason: sheet.reopen_reason,
  };
}

export function sheetState(sheet: { status: 'draft' | 'submitted' } | undefined): EntryState {
  return !sheet ? 'not_started' : sheet.status === 'submitted' ? 'submitted' : 'draft';
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
};

/** The files a juror may open: those of the entry's file fields that are not personal, numbered in order. */
export async function entryFiles(db: Db, entry: JurorEntryRow) {
  const fileFields = (entry.form_fields as FormField[])
    .filter((f) => f.kind === 'file' && !f.personal)
    .map((f) => f.key);
  const rows = await db
    .selectFrom('application_files as af')
    .innerJoin('stored_files as s', 's.id', 'af.file_id')
    .select(['s.id', 'af.field_key', 's.original_name', 's.mime_type', 's.size_bytes', 's.storage_key'])
    .where('af.application_id', '=', entry.id)
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
  // Numbered in the order of the form's fields, then as they were attached, so «Файл 1» stays the same file.
  return rows
    .filter((r) => fileFields.includes(r.field_key))
    .sort((a, b) => fileFields.indexOf(a.field_key) - fileFields.indexOf(b.field_key))
    .map((r, i) => ({
      id: r.id,
      fieldKey: r.field_key,
      // In blind mode a file is «Файл 2.pdf»: an original name often holds the applicant's surname.
      name: entry.jury_blind
        ? `Файл ${i + 1}${EXTENSIONS[r.mime_type] ? `.${EXTENSIONS[r.mime_type]}` : ''}`
        : r.original_name,
      mimeType: r.mime_type,
      size: Number(r.size_bytes),
      storageKey: r.storage_key,
    }));
}

/** The entry page's data for the juror. */
export async function jurorEntryView(db: Db, applicationId: string, jurorId: string): Promise<JuryEntry> {
  const entry = await loadJurorEntry(db, applicationId, jurorId);
  const sheet = await loadSheet(db, applicationId, jurorId);
  return entryView(db, entry, sheet);
}

/** The fields a juror is shown, and those kept from the jury with why (personal, a consent). */
function fieldsForJury(fields: FormField[]) {
  const visible = fields.filter((f) => !f.personal && f.kind !== 'consent');
  const hidden = fields
    .filter((f) => f.personal || f.kind === 'consent')
    .map((f) => ({
      key: f.key,
      label: f.label,
      reason: f.kind === 'consent' ? 'согласие заявителя' : 'отмечено в форме как персональное',
    }));
  return { visible, hidden };
}

async function entryView(db: Db, entry: JurorEntryRow, sheet: SheetRow | undefined): Promise<JuryEntry> {
  const rubric = await sheetRubric(db, entry, sheet);
  const files = await entryFiles(db, entry);
  const answers = entry.answers as Answers;
  const { visible } = fieldsForJury(entry.form_fields as FormField[]);
  return {
    id: entry.id,
    code: entry.registration_number ?? '',
    contest: {
      id: entry.contest_id,
      title: entry.contest_title,
      blind: entry.jury_blind,
      resultsPublished: !!entry.results_published_at,
      commentShownToApplicant: entry.jury_show_scores,
    },
    nomination: { id: entry.nomination_id, title: entry.nomination_title },
    applicant: entry.jury_blind
      ? null
      : fullName({ lastName: entry.last_name, firstName: entry.first_name, middleName: entry.middle_name }),
    fields: visible
      .filter((f) => f.kind !== 'file' && answers[f.key] !== undefined)
      .map((f) => ({ key: f.key, label: f.label, kind: f.kind, text: answerText(f, answers[f.key]) })),
    fileFields: visible.filter((f) => f.kind === 'file').map((f) => ({ key: f.key, label: f.label })),
    files: files.map(({ storageKey: _key, ...f }) => ({ ...f, url: `/api/jury/entries/${entry.id}/files/${f.id}` })),
    rubric: rubric
      ? {
          id: rubric.id,
          version: rubric.version,
          criteria: rubric.criteria,
          maxTotal: maxWeightedTotal(rubric.criteria),
        }
      : null,
    sheet: sheet && rubric ? sheetView(sheet, rubric.criteria) : null,
    state: sheetState(sheet),
  };
}

/**
 * «Как видит жюри»: the organizer's look at an application exactly as a juror's page would show it (any submitted
 * application of the contest, before review too), with the form's fields that are shown and those kept from the jury.
 */
export async function juryPreview(db: Db, contestId: string, applicationId: string): Promise<JuryPreview> {
  const entry = await entryRow(db, applicationId);
  if (!entry || entry.contest_id !== contestId || entry.status === 'draft')
    throw notFound('Заявка не найдена в этом конкурсе.');
  const { visible, hidden } = fieldsForJury(entry.form_fields as FormField[]);
  return {
    entry: await entryView(db, entry, undefined),
    shownFields: visible.map((f) => ({ key: f.key, label: f.label })),
    hiddenFields: [
      ...hidden,
      ...(entry.jury_blind
        ? [
            { key: 'applicant', label: 'ФИО заявителя', reason: 'слепая оценка' },
            { key: 'file_names', label: 'Имена файлов', reason: 'слепая оценка: жюри видит «Файл 1», «Файл 2»' },
          ]
        : []),
    ],
  };
}
