import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params, url } = event;
  if (!locals.user) redirect(303, `/code?next=${encodeURIComponent(url.pathname)}`);
  const api = apiFor(event);
  const path = { olympiadId: params.id };
  const my = await apiResult(api.GET('/api/olympiads/{olympiadId}/my', { params: { path } }));
  if (!my.ok) error(my.status, my.error.message);
  // The student's own result exists only after publication; before it the API answers 409 and nothing is shown.
  const result = my.data.participant
    ? await apiResult(api.GET('/api/olympiads/{olympiadId}/results/my', { params: { path } }))
    : null;
  return {
    my: my.data,
    isOrganizer: locals.user.roles.includes('organizer'),
    result: result?.ok ? result.data : null,
    saved: url.searchParams.has('saved'),
  };
};

export const actions: Actions = {
  appeal: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const text = String(form.get('text') ?? '');
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/appeals', {
        params: { path: { olympiadId: event.params.id } },
        body: { taskId, text },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        appealTask: taskId,
        message: result.error.message,
        fields: result.error.fields,
        text,
      });
    return { appealTask: taskId, done: 'Апелляция подана. Решение появится на этой странице.' };
  },
  start: async (event) => {
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/attempt', { params: { path: { olympiadId: event.params.id } } }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message });
    redirect(303, `/olympiads/${event.params.id}/attempt`);
  },
};
