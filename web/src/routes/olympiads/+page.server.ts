import { error, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/code?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(apiFor(event).GET('/api/olympiads/mine'));
  if (!result.ok) error(result.status, result.error.message);
  // One olympiad (the usual case for a student's account): straight to it.
  if (result.data.olympiads.length === 1) redirect(303, `/olympiads/${result.data.olympiads[0].id}`);
  return { olympiads: result.data.olympiads };
};
