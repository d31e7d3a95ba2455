import { error } from '@sveltejs/kit';
import type { PublicResults } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await api<PublicResults>(event, 'GET', `/api/public/contests/${encodeURIComponent(event.params.slug)}/results`);
  if (!result.ok) error(result.status, result.error.message);
  return { results: result.data };
};
