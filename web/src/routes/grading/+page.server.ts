import { error, redirect } from '@sveltejs/kit';
import type { GradingOlympiadList } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await api<GradingOlympiadList>(event, 'GET', '/api/grading/olympiads');
  if (!result.ok) error(result.status, result.error.message);
  return { olympiads: result.data.olympiads };
};
