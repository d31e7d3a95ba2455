import { error } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiResult(apiFor(event).GET('/api/events'));
  if (!result.ok) error(result.status, result.error.message);
  return { events: result.data };
};
