import { error, redirect } from '@sveltejs/kit';
import type { AttemptView, MyOlympiad } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params, url } = event;
  if (!locals.user) redirect(303, `/code?next=${encodeURIComponent(url.pathname)}`);
  const my = await api<MyOlympiad>(event, 'GET', `/api/olympiads/${params.id}/my`);
  if (!my.ok) error(my.status, my.error.message);
  if (!my.data.attempt) redirect(303, `/olympiads/${params.id}`);
  const view = await api<AttemptView>(event, 'GET', `/api/attempts/${my.data.attempt.id}`);
  if (!view.ok) error(view.status, view.error.message);
  return { view: view.data };
};
