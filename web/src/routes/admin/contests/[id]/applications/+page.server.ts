import { error, redirect } from '@sveltejs/kit';
import type { ApplicationStatus } from '@konkurs/server/api-types';
import { isOneOf, notOneOf } from '$lib/one-of';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const FILTERS = ['q', 'nominationId', 'status', 'municipality'] as const;
const STATUSES: readonly ApplicationStatus[] = ['draft', 'submitted', 'returned', 'accepted', 'rejected', 'withdrawn'];

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const id = event.params.id;
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = event.url.searchParams.get(name);
    if (value) query.set(name, value);
  }
  const status = query.get('status');
  if (status !== null && !isOneOf(STATUSES, status)) error(400, `Проверьте введённые данные. ${notOneOf('Статус')}`);
  const filter = {
    q: query.get('q') ?? undefined,
    nominationId: query.get('nominationId') ?? undefined,
    status: status ?? undefined,
    municipality: query.get('municipality') ?? undefined,
  };
  const api = apiFor(event);
  const [contest, list] = await Promise.all([
    apiResult(api.GET('/api/admin/contests/{id}', { params: { path: { id } } })),
    apiResult(api.GET('/api/contests/{id}/applications', { params: { path: { id }, query: filter } })),
  ]);
  if (!contest.ok) error(contest.status, contest.error.message);
  if (!list.ok) error(list.status, list.error.message);
  // The query string stays for the export links, which the browser follows itself.
  return {
    contest: contest.data.contest,
    ...list.data,
    query: query.toString(),
    filters: Object.fromEntries(query) as Record<string, string>,
  };
};
