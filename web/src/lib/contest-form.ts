import type { ContestBody, ContestCreateBody } from '@konkurs/server/api-types';
import { fromMoscowInput } from './format';

/** Reads the contest form of the organizer's pages into the API's body (dates typed in Moscow time). */
export function contestBodyFromForm(form: FormData): ContestBody {
  const text = (name: string) => String(form.get(name) ?? '');
  const ids = form.getAll('nominationId').map(String);
  const nominations = form
    .getAll('nominationTitle')
    .map((t, i) => ({ id: ids[i] || undefined, title: String(t).trim() }))
    .filter((n) => n.title !== '')
    .map((n) => (n.id ? n : { title: n.title }));
  const resultsAt = text('resultsAt');
  return {
    title: text('title').trim(),
    slug: text('slug').trim() || undefined,
    description: text('description'),
    rulesMarkdown: text('rulesMarkdown'),
    applicationsOpenAt: fromMoscowInput(text('applicationsOpenAt')),
    applicationsCloseAt: fromMoscowInput(text('applicationsCloseAt')),
    reviewEndAt: fromMoscowInput(text('reviewEndAt')),
    resultsAt: resultsAt ? fromMoscowInput(resultsAt) : null,
    numberPrefix: text('numberPrefix').trim(),
    multiplePerNomination: form.get('multiplePerNomination') === 'on',
    nominations,
  };
}

/** The form of a new contest: also the required choice of blind or open review (left out when not chosen: refused). */
export function contestCreateBodyFromForm(form: FormData): ContestCreateBody {
  const choice = form.get('juryBlind');
  const juryBlind = choice === 'blind' ? true : choice === 'open' ? false : undefined;
  return { ...contestBodyFromForm(form), juryBlind } as ContestCreateBody;
}
