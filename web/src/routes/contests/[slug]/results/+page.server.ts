import { error } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiResult(
    apiFor(event).GET('/api/public/contests/{slug}/results', { params: { path: { slug: event.params.slug } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { results: result.data };
};
