import { error, fail, redirect } from '@sveltejs/kit';
import type { ApplicationResponse, ApplicationResult } from '@konkurs/server/api-types';
import { answersFromForm } from '$lib/answers';
import { fromMoscowInput } from '$lib/format';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await api<ApplicationResponse>(event, 'GET', `/api/applications/${encodeURIComponent(event.params.id)}`);
  if (!result.ok) error(result.status, result.error.message);
  // Only an accepted application takes part in the jury's results.
  const outcome = result.data.application.status === 'accepted' ? await api<ApplicationResult>(event, 'GET', `/api/applications/${encodeURIComponent(event.params.id)}/result`) : null;
  return { application: result.data.application, submitted: event.url.searchParams.has('submitted'), result: outcome?.ok ? outcome.data : null };
};

const path = (event: RequestEvent, tail = '') => `/api/applications/${encodeURIComponent(event.params.id)}${tail}`;

/** Saves what the form holds; returns the saved application or a failure to show. */
async function saveForm(event: RequestEvent, form: FormData) {
  const current = await api<ApplicationResponse>(event, 'GET', path(event));
  if (!current.ok) return { failure: fail(current.status, { message: current.error.message, fields: current.error.fields }) };
  const answers = answersFromForm(current.data.application.form.fields, form);
  const saved = await api<ApplicationResponse>(event, 'PUT', path(event, '/answers'), { answers });
  // What was typed goes back to the page, so a refused save loses nothing.
  if (!saved.ok) return { failure: fail(saved.status, { message: saved.error.message, fields: saved.error.fields, answers }) };
  return { application: saved.data.application };
}

export const actions: Actions = {
  save: async (event) => {
    const result = await saveForm(event, await event.request.formData());
    if (result.failure) return result.failure;
    return { saved: true };
  },
  submit: async (event) => {
    const result = await saveForm(event, await event.request.formData());
    if (result.failure) return result.failure;
    const submitted = await api<ApplicationResponse>(event, 'POST', path(event, '/submit'));
    if (!submitted.ok) return fail(submitted.status, { message: submitted.error.message, fields: submitted.error.fields });
    redirect(303, `/applications/${event.params.id}?submitted=1`);
  },
  withdraw: async (event) => {
    const form = await event.request.formData();
    const result = await api<ApplicationResponse>(event, 'POST', path(event, '/withdraw'), { reason: String(form.get('reason') ?? '') });
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { done: 'Заявка отозвана.' };
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const extendUntil = String(form.get('extendUntil') ?? '');
    const result = await api<ApplicationResponse>(event, 'POST', path(event, '/decision'), {
      action: String(form.get('action') ?? ''),
      comment: String(form.get('comment') ?? ''),
      extendUntil: extendUntil ? fromMoscowInput(extendUntil) : null,
    });
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields, decision: true });
    return { done: 'Решение сохранено, заявителю отправлено письмо.' };
  },
  extend: async (event) => {
    const form = await event.request.formData();
    const until = String(form.get('until') ?? '');
    const result = await api<ApplicationResponse>(event, 'PUT', path(event, '/extension'), { until: until ? fromMoscowInput(until) : null });
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields, extension: true });
    return { done: until ? 'Срок для этой заявки продлён.' : 'Продление отменено.' };
  },
};
