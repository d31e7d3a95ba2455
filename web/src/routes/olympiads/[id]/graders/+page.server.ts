import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import { parsePoints } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/olympiads/{olympiadId}/graders', { params: { path: { olympiadId: event.params.id } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { list: result.data };
};

const none = {} as Record<string, string>;

export const actions: Actions = {
  add: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '');
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/graders', {
        params: { path: { olympiadId: event.params.id } },
        body: { email, isChair: form.get('isChair') === 'on' },
      }),
    );
    if (!result.ok)
      return fail(result.status, { action: 'add', message: result.error.message, fields: result.error.fields, email });
    return { action: 'add', done: 'Проверяющий добавлен.', fields: none };
  },
  remove: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).DELETE('/api/olympiads/{olympiadId}/graders/{userId}', {
        params: { path: { olympiadId: event.params.id, userId: String(form.get('userId') ?? '') } },
      }),
    );
    if (!result.ok) return fail(result.status, { action: 'remove', message: result.error.message, fields: none });
    return { action: 'remove', done: 'Проверяющий убран. Его оценки сохранены.', fields: none };
  },
  settings: async (event) => {
    const form = await event.request.formData();
    const openGradeThreshold = parsePoints(String(form.get('threshold') ?? ''));
    const appealHours = Number(String(form.get('appealHours') ?? '').trim() || NaN);
    const fields: Record<string, string> = {};
    if (openGradeThreshold === null) fields.openGradeThreshold = 'Укажите расхождение числом баллов, например 2.';
    if (!Number.isInteger(appealHours)) fields.appealHours = 'Укажите срок целым числом часов, например 48.';
    if (openGradeThreshold === null || Object.keys(fields).length)
      return fail(400, { action: 'settings', message: 'Проверьте настройки проверки.', fields });
    const body = { openGradeThreshold, appealHours };
    const result = await apiResult(
      apiFor(event).PUT('/api/olympiads/{olympiadId}/grading-settings', {
        params: { path: { olympiadId: event.params.id } },
        body,
      }),
    );
    if (!result.ok)
      return fail(result.status, { action: 'settings', message: result.error.message, fields: result.error.fields });
    return { action: 'settings', done: 'Настройки сохранены.', fields: none };
  },
};
