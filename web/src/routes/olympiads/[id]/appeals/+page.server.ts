import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import { parsePoints } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/olympiads/{olympiadId}/appeals', { params: { path: { olympiadId: event.params.id } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { list: result.data };
};

const DECISIONS = ['raise', 'keep', 'lower'] as const;

export const actions: Actions = {
  decide: async (event) => {
    const form = await event.request.formData();
    const appealId = String(form.get('appealId') ?? '');
    const decision = DECISIONS.find((d) => d === form.get('decision'));
    const reason = String(form.get('reason') ?? '');
    const pointsText = String(form.get('newPoints') ?? '');
    const fields: Record<string, string> = {};
    if (!decision) fields.decision = 'Выберите решение.';
    const newPoints = parsePoints(pointsText);
    if (decision && decision !== 'keep' && newPoints === null)
      fields.newPoints = 'Укажите новые баллы числом, например 7 или 7,5.';
    if (!decision || Object.keys(fields).length)
      return fail(400, { appealId, message: 'Проверьте решение по апелляции.', fields, reason, pointsText });
    const body = { decision, reason, ...(decision !== 'keep' && newPoints !== null ? { newPoints } : {}) };
    const result = await apiResult(
      apiFor(event).PUT('/api/olympiads/{olympiadId}/appeals/{appealId}/decision', {
        params: { path: { olympiadId: event.params.id, appealId } },
        body,
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        appealId,
        message: result.error.message,
        fields: result.error.fields,
        reason,
        pointsText,
      });
    return {
      appealId,
      done: 'Решение сохранено; баллы и итоги пересчитаны, участник увидит решение на своей странице.',
    };
  },
};
