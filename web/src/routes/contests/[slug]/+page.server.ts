import { error, fail, redirect } from '@sveltejs/kit';
import type { ApplicationResponse, ContestResponse } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await api<ContestResponse>(event, 'GET', `/api/contests/by-slug/${encodeURIComponent(event.params.slug)}`);
  if (!result.ok) error(result.status, result.error.message);
  return { contest: result.data.contest };
};

export const actions: Actions = {
  apply: async (event) => {
    if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
    const form = await event.request.formData();
    const nominationId = String(form.get('nominationId') ?? '');
    const result = await api<ApplicationResponse>(event, 'POST', '/api/applications', { nominationId });
    if (result.ok) redirect(303, `/applications/${result.data.application.id}`);
    // Already applied in this nomination: open that application.
    if (result.error.code === 'already_applied' && result.error.fields.applicationId) redirect(303, `/applications/${result.error.fields.applicationId}`);
    return fail(result.status, { nominationId, message: result.error.message });
  },
};
