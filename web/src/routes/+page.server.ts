import { error } from '@sveltejs/kit';
import type { EventsResponse } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await api<EventsResponse>(event, 'GET', '/api/events');
  if (!result.ok) error(result.status, result.error.message);
  return { events: result.data };
};
