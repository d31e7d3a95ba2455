/** Words of the juror's pages. */
import type { EntryState, SheetBody } from '@konkurs/server/api-types';

export const ENTRY_STATE_LABELS: Record<EntryState, string> = {
  not_started: 'не начато',
  draft: 'черновик',
  submitted: 'отправлено',
  conflict: 'конфликт интересов',
};

/** «оценено 2 из 3» */
export function progressText(p: { submitted: number; total: number }): string {
  return `оценено ${p.submitted} из ${p.total}`;
}

/** What the juror typed, as the score form holds it (so a refused save loses nothing). */
export interface TypedSheet {
  points: Record<string, string>;
  comments: Record<string, string>;
  comment: string;
}

/**
 * Reads the score form against the rubric's criteria: what was typed, the API's body (scores left empty are not
 * sent), and a message per score that is not a number, naming the criterion. The page's autosave and its
 * «Сохранить черновик» both read the form this way.
 */
export function readScoreForm(
  form: FormData,
  criteria: Array<{ key: string; title: string }>,
): { typed: TypedSheet; body: SheetBody; fields: Record<string, string> } {
  const typed: TypedSheet = { points: {}, comments: {}, comment: String(form.get('comment') ?? '') };
  const points: Record<string, number> = {};
  const fields: Record<string, string> = {};
  for (const c of criteria) {
    const raw = String(form.get(`points.${c.key}`) ?? '').trim();
    typed.points[c.key] = raw;
    typed.comments[c.key] = String(form.get(`comments.${c.key}`) ?? '');
    if (raw === '') continue;
    const value = Number(raw.replace(',', '.'));
    if (!Number.isFinite(value))
      fields[`points.${c.key}`] = `Критерий «${c.title}»: введите число, например 7 или 4,5.`;
    else points[c.key] = value;
  }
  return { typed, body: { points, comments: { ...typed.comments }, comment: typed.comment }, fields };
}
