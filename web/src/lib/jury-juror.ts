/** Words of the juror's pages. */
import type { EntryState, SheetBody } from '@konkurs/server/api-types';
import { formatPoints, parsePoints } from './format.ts';

export { parsePoints };

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

interface ScoredCriterion {
  key: string;
  title: string;
  min: number;
  max: number;
  step: number;
  weight: number;
}

/** Why a score cannot be saved (the server's words, sheets.ts checkSheet), or null when it can. */
export function pointsProblem(value: number, c: ScoredCriterion): string | null {
  if (value < c.min || value > c.max)
    return `Критерий «${c.title}»: оценка должна быть от ${formatPoints(c.min)} до ${formatPoints(c.max)}.`;
  if (Math.abs(value / c.step - Math.round(value / c.step)) > 1e-9)
    return c.step === 1
      ? `Критерий «${c.title}»: оценка должна быть целым числом.`
      : `Критерий «${c.title}»: оценка должна быть кратна ${formatPoints(c.step)}.`;
  return null;
}

/**
 * The scores typed so far that can be saved: their weighted total and how many criteria they are. Each typed score is
 * read once for both.
 */
export function typedScore(
  typed: Record<string, string>,
  criteria: ScoredCriterion[],
): { total: number; scored: number } {
  let sum = 0;
  let scored = 0;
  for (const c of criteria) {
    const value = parsePoints(typed[c.key] ?? '');
    if (value === null || pointsProblem(value, c)) continue;
    sum += value * c.weight;
    scored += 1;
  }
  return { total: Math.round(sum * 100) / 100, scored };
}

/** The weighted total of the scores typed so far, counting only those that can be saved. */
export function runningTotal(typed: Record<string, string>, criteria: ScoredCriterion[]): number {
  return typedScore(typed, criteria).total;
}

/**
 * Reads the score form against the rubric's criteria: what was typed, the API's body (scores left empty are not
 * sent), a message per score that is not a number, naming the criterion, and — for the autosave — the body with only
 * the scores that can be saved, with the reasons the others were left out. «Сохранить черновик» sends `body` (the
 * server refuses an out-of-range score, naming it); the autosave sends `valid`, so one bad score does not stop the
 * others from being saved.
 */
export function readScoreForm(
  form: FormData,
  criteria: ScoredCriterion[],
): { typed: TypedSheet; body: SheetBody; fields: Record<string, string>; valid: SheetBody; skipped: string[] } {
  const typed: TypedSheet = { points: {}, comments: {}, comment: String(form.get('comment') ?? '') };
  const points: Record<string, number> = {};
  const validPoints: Record<string, number> = {};
  const fields: Record<string, string> = {};
  const skipped: string[] = [];
  for (const c of criteria) {
    const raw = String(form.get(`points.${c.key}`) ?? '').trim();
    typed.points[c.key] = raw;
    typed.comments[c.key] = String(form.get(`comments.${c.key}`) ?? '');
    if (raw === '') continue;
    const value = parsePoints(raw);
    if (value === null) {
      fields[`points.${c.key}`] = `Критерий «${c.title}»: введите число, например 7 или 4,5.`;
      skipped.push(fields[`points.${c.key}`]);
      continue;
    }
    points[c.key] = value;
    const problem = pointsProblem(value, c);
    if (problem) skipped.push(problem);
    else validPoints[c.key] = value;
  }
  const comments = { ...typed.comments };
  return {
    typed,
    body: { points, comments, comment: typed.comment },
    fields,
    valid: { points: validPoints, comments: { ...comments }, comment: typed.comment },
    skipped,
  };
}
