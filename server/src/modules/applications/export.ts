import type { Column } from '../../lib/spreadsheet.ts';
import { answerText, type AnswerValue, type FormField } from '../forms/definition.ts';
import { STATUS_LABELS } from './lifecycle.ts';
import type { ApplicationView } from './schemas.ts';

/**
 * The columns of the organizer's export of applications (XLSX and CSV, issue #13, items 9–10): one per field of the
 * form versions in use, typed so that a spreadsheet can sum the numbers and sort the dates.
 */
export function applicationExportColumns(views: ApplicationView[], publicUrl: string): Column<ApplicationView>[] {
  // Answers of older form versions fill the same keys.
  const fields = new Map<string, FormField>();
  for (const v of views)
    for (const f of v.form.fields) if (f.kind !== 'consent' && !fields.has(f.key)) fields.set(f.key, f as FormField);
  const page = (v: ApplicationView) => `${publicUrl}/applications/${v.id}`;
  return [
    { header: 'Рег. номер', value: (v) => v.registrationNumber, width: 16, link: page },
    { header: 'Статус', value: (v) => STATUS_LABELS[v.status], width: 22 },
    { header: 'Номинация', value: (v) => v.nomination.title, width: 40 },
    { header: 'Заявитель', value: (v) => v.applicant.fullName, width: 32 },
    { header: 'Электронная почта', value: (v) => v.applicant.email, width: 28 },
    {
      header: 'Подана (МСК)',
      value: (v) => (v.submittedAt ? new Date(v.submittedAt) : null),
      dates: 'datetime',
      width: 18,
    },
    ...[...fields.values()].map((f): Column<ApplicationView> => {
      const width = Math.min(40, Math.max(14, f.label.length + 2));
      if (f.kind === 'file') {
        const files = (v: ApplicationView) => v.files.filter((x) => x.fieldKey === f.key);
        return {
          header: f.label,
          width,
          value: (v) =>
            files(v)
              .map((x) => x.name)
              .join('; '),
          // One file: the file itself; several: the application's page, which lists them all.
          link: (v) => {
            const list = files(v);
            return list.length === 1 ? `${publicUrl}/api/files/${list[0].id}` : list.length ? page(v) : null;
          },
        };
      }
      if (f.kind === 'number') return { header: f.label, width, value: (v) => numberCell(f, v.answers[f.key]) };
      if (f.kind === 'date')
        return { header: f.label, width, dates: 'date', value: (v) => dateCell(f, v.answers[f.key]) };
      return { header: f.label, width, value: (v) => answerText(f, v.answers[f.key]) };
    }),
  ];
}

/** A number answer as a number (the form stores its text); anything else that got in stays text. */
function numberCell(f: FormField, value: AnswerValue | undefined): number | string {
  const text = answerText(f, value);
  const n = Number(text.replace(/\s/g, '').replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** A date answer (YYYY-MM-DD) as a calendar day. */
function dateCell(f: FormField, value: AnswerValue | undefined): Date | string {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : answerText(f, value);
}
