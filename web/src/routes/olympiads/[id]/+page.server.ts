import { error, fail, redirect } from '@sveltejs/kit';
import type { AttemptView, MyOlympiad, MyResult } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params, url } = event;
  if (!locals.user) redirect(303, `/code?next=${encodeURIComponent(url.pathname)}`);
  const my = await api<MyOlympiad>(event, 'GET', `/api/olympiads/${params.id}/my`);
  if (!my.ok) error(my.status, my.error.message);
  // The student's own result exists only after publication; before it the API answers 409 and nothing is shown.
  const result = my.data.participant ? await api<MyResult>(event, 'GET', `/api/olympiads/${params.id}/results/my`) : null;
  return { my: my.data, isOrganizer: locals.user.roles.includes('organizer'), result: result?.ok ? result.data : null, saved: url.searchParams.has('saved') };
};

export const actions: Actions = {
  appeal: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const text = String(form.get('text') ?? '');
    const result = await api<MyResult>(event, 'POST', `/api/olympiads/${event.params.id}/appeals`, { taskId, text });
    if (!result.ok) return fail(result.status, { appealTask: taskId, message: result.error.message, fields: result.error.fields, text });
    return { appealTask: taskId, done: 'Апелляция подана. Решение появится на этой странице.' };
  },
  start: async (event) => {
    const result = await api<AttemptView>(event, 'POST', `/api/olympiads/${event.params.id}/attempt`);
    if (!result.ok) return fail(result.status, { message: result.error.message });
    redirect(303, `/olympiads/${event.params.id}/attempt`);
  },
};
