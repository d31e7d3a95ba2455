import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/olympiads/{olympiadId}/participants/{participantId}', {
      params: { path: { olympiadId: event.params.id, participantId: event.params.participantId } },
    }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { card: result.data };
};

export const actions: Actions = {
  accept: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/participants/{participantId}/late-answers/{taskId}/accept', {
        params: { path: { olympiadId: event.params.id, participantId: event.params.participantId, taskId } },
        body: { reason },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        acceptFor: taskId,
        message: result.error.message,
        fields: result.error.fields,
        reason,
      });
    const late = result.data.lateAnswers.find((l) => l.taskId === taskId);
    return { done: `Опоздавший ответ на задание ${late?.taskNumber ?? ''} засчитан, работа переоценена.` };
  },
};
