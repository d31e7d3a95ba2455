import { error, fail, redirect } from '@sveltejs/kit';
import type { ApplicationResponse, ContestResponse, ResultsAccess } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await api<ContestResponse>(event, 'GET', `/api/contests/by-slug/${encodeURIComponent(event.params.slug)}`);
  if (!result.ok) error(result.status, result.error.message);
  // The jury chair reaches the jury's results from here (organizers have the contest's admin page).
  const access = event.locals.user?.roles.includes('juror')
    ? await api<ResultsAccess>(event, 'GET', `/api/contests/${result.data.contest.id}/results/access`)
    : null;
  // Shown to the chair only: a link when the results are open to them, otherwise why not yet.
  const chair = access?.ok && (access.data.viewer === 'chair' || access.data.message) ? access.data : null;
  return { contest: result.data.contest, juryResults: chair };
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
