import { error, redirect } from '@sveltejs/kit';
import type { ContestApplications, ContestResponse } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const FILTERS = ['nominationId', 'status', 'municipality'] as const;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const id = encodeURIComponent(event.params.id);
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = event.url.searchParams.get(name);
    if (value) query.set(name, value);
  }
  const [contest, list] = await Promise.all([
    api<ContestResponse>(event, 'GET', `/api/admin/contests/${id}`),
    api<ContestApplications>(event, 'GET', `/api/contests/${id}/applications?${query}`),
  ]);
  if (!contest.ok) error(contest.status, contest.error.message);
  if (!list.ok) error(list.status, list.error.message);
  return { contest: contest.data.contest, ...list.data, query: query.toString(), filters: Object.fromEntries(query) as Record<string, string> };
};
