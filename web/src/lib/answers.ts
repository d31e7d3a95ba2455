import type { Answers, FormField } from '@konkurs/server/api-types';

/** The name of a form input that holds the answer of a field. */
export const inputName = (key: string) => `a_${key}`;

/** Reads the answers of an application form (page or FormData) in the shape the API takes. */
export function answersFromForm(fields: FormField[], data: FormData): Answers {
  const answers: Answers = {};
  for (const f of fields) {
    if (f.kind === 'file') continue;
    const name = inputName(f.key);
    if (f.kind === 'multichoice') answers[f.key] = data.getAll(name).map(String);
    else if (f.kind === 'consent') answers[f.key] = data.get(name) === 'yes' ? 'yes' : '';
    else answers[f.key] = String(data.get(name) ?? '');
  }
  return answers;
}
