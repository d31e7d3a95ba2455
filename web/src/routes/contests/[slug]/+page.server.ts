import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  const result = await apiResult(
    api.GET('/api/contests/by-slug/{slug}', { params: { path: { slug: event.params.slug } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  // The jury chair reaches the jury's results from here (organizers have the contest's admin page).
  const access = event.locals.user?.roles.includes('juror')
    ? await apiResult(
        api.GET('/api/contests/{id}/results/access', { params: { path: { id: result.data.contest.id } } }),
      )
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
    const result = await apiResult(apiFor(event).POST('/api/applications', { body: { nominationId } }));
    if (result.ok) redirect(303, `/applications/${result.data.application.id}`);
    // Already applied in this nomination: open that application.
    if (result.error.code === 'already_applied' && result.error.fields.applicationId)
      redirect(303, `/applications/${result.error.fields.applicationId}`);
    return fail(result.status, { nominationId, message: result.error.message });
  },
};
