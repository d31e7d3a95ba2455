import { error, fail, redirect } from '@sveltejs/kit';
import type { OlympiadResponse } from '@konkurs/server/api-types';
import { olympiadBodyFromForm, olympiadFieldErrors } from '$lib/olympiad/olympiad-form';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await api<OlympiadResponse>(event, 'GET', `/api/olympiads/${encodeURIComponent(event.params.id)}`);
  if (!result.ok) error(result.status, result.error.message);
  return { olympiad: result.data.olympiad };
};

export const actions: Actions = {
  default: async (event) => {
    const body = olympiadBodyFromForm(await event.request.formData());
    const result = await api<OlympiadResponse>(event, 'PUT', `/api/olympiads/${encodeURIComponent(event.params.id)}`, body);
    if (!result.ok) return fail(result.status, { values: body, message: result.error.message, fields: olympiadFieldErrors(result.error.fields) });
    redirect(303, `/olympiads/${result.data.olympiad.id}?saved=1`);
  },
};
