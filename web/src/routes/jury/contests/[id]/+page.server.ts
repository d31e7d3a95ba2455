import { error, redirect } from '@sveltejs/kit';
import type { JuryContestEntries } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await api<JuryContestEntries>(event, 'GET', `/api/jury/contests/${encodeURIComponent(event.params.id)}/entries`);
  if (!result.ok) error(result.status, result.error.message);
  return { ...result.data, conflictDeclared: event.url.searchParams.has('conflict') };
};
