import { error, fail, redirect } from '@sveltejs/kit';
import { formatDateTime } from '$lib/format';
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
  extend: async (event) => {
    const form = await event.request.formData();
    const minutes = String(form.get('minutes') ?? '').trim();
    const reason = String(form.get('reason') ?? '').trim();
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/participants/{participantId}/extend', {
        params: { path: { olympiadId: event.params.id, participantId: event.params.participantId } },
        // Not a number (or empty) goes as such: the server names the field and says what it wants.
        body: { minutes: minutes === '' ? Number.NaN : Number(minutes), reason },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        extend: true,
        message: result.error.message,
        fields: result.error.fields,
        minutes,
        reason,
      });
    const deadline = result.data.attempt?.deadlineAt;
    return {
      done: deadline
        ? `Время продлено на ${minutes} мин: новый срок — ${formatDateTime(deadline)}. Страница участника узнает об этом сама.`
        : `Время продлено на ${minutes} мин: оно добавится к времени на работу, когда участник начнёт.`,
    };
  },
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
