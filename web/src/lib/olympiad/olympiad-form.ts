import type { OlympiadBody } from '@konkurs/server/api-types';
import { fromMoscowInput } from '../format';

/** The grades offered as checkboxes: the olympiad is for the senior school. */
export const OLYMPIAD_GRADE_CHOICES = [5, 6, 7, 8, 9, 10, 11];

/** Reads the olympiad form of the organizer's pages into the API's body (the window typed in Moscow time). */
export function olympiadBodyFromForm(form: FormData): OlympiadBody {
  const text = (name: string) => String(form.get(name) ?? '');
  const minutes = text('timeLimitMinutes').trim();
  const grace = text('graceSeconds').trim();
  return {
    title: text('title').trim(),
    description: text('description'),
    grades: form.getAll('grades').map(Number),
    windowStartAt: fromMoscowInput(text('windowStartAt')),
    windowEndAt: fromMoscowInput(text('windowEndAt')),
    timeLimitMinutes: minutes === '' ? 0 : Number(minutes),
    // An empty field keeps the olympiad's grace as it is (60 s for a new one).
    ...(grace === '' ? {} : { graceSeconds: Number(grace) }),
  };
}

/** The API names a wrong grade by its place in the list (grades.0); the form shows it at the group. */
export function olympiadFieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields ?? {}))
    errors[field.startsWith('grades.') ? 'grades' : field] ??= message;
  return errors;
}
