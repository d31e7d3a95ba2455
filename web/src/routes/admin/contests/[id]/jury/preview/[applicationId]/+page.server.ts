import { error, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/contests/{id}/jury/preview/{applicationId}', {
      params: { path: { id: event.params.id, applicationId: event.params.applicationId } },
    }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { preview: result.data };
};
