import { error, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/olympiads/{olympiadId}/participants/{participantId}/work', {
      params: { path: { olympiadId: event.params.id, participantId: event.params.participantId } },
    }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { work: result.data };
};
