import { error } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  // A signed-in student is led to their own olympiad first; both are asked at once.
  const [result, mine] = await Promise.all([
    apiResult(api.GET('/api/events')),
    event.locals.user?.roles.includes('student') ? apiResult(api.GET('/api/olympiads/mine')) : null,
  ]);
  if (!result.ok) error(result.status, result.error.message);
  return { events: result.data, myOlympiads: mine?.ok ? mine.data.olympiads : [] };
};
