import { error, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params, url } = event;
  if (!locals.user) redirect(303, `/code?next=${encodeURIComponent(url.pathname)}`);
  const api = apiFor(event);
  const my = await apiResult(
    api.GET('/api/olympiads/{olympiadId}/my', { params: { path: { olympiadId: params.id } } }),
  );
  if (!my.ok) error(my.status, my.error.message);
  if (!my.data.attempt) redirect(303, `/olympiads/${params.id}`);
  const view = await apiResult(
    api.GET('/api/attempts/{attemptId}', { params: { path: { attemptId: my.data.attempt.id } } }),
  );
  if (!view.ok) error(view.status, view.error.message);
  return { view: view.data };
};
