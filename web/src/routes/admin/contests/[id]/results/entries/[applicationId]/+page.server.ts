import { error, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** The report of one entry, for the organizer: the API refuses everyone else. */
export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const path = { id: event.params.id, applicationId: event.params.applicationId };
  const result = await apiResult(
    apiFor(event).GET('/api/contests/{id}/entries/{applicationId}/report', { params: { path } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { report: result.data };
};
