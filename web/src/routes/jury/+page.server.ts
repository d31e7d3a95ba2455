import { error, redirect } from '@sveltejs/kit';
import type { JuryContests } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await api<JuryContests>(event, 'GET', '/api/jury/contests');
  if (!result.ok) error(result.status, result.error.message);
  return { contests: result.data.contests };
};
