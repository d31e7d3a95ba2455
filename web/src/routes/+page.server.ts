import { error } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiResult(apiFor(event).GET('/api/events'));
  if (!result.ok) error(result.status, result.error.message);
  // A signed-in student is led to their own olympiad first.
  const mine = event.locals.user?.roles.includes('student')
    ? await apiResult(apiFor(event).GET('/api/olympiads/mine'))
    : null;
  return { events: result.data, myOlympiads: mine?.ok ? mine.data.olympiads : [] };
};
