import { error, fail, redirect } from '@sveltejs/kit';
import type { Answers } from '@konkurs/server/api-types';
import { answersFromForm } from '$lib/answers';
import { fromMoscowInput } from '$lib/format';
import { isOneOf, notOneOf } from '$lib/one-of';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = apiFor(event);
  const result = await apiResult(api.GET('/api/applications/{id}', { params: application(event) }));
  if (!result.ok) error(result.status, result.error.message);
  // Only an accepted application takes part in the jury's results.
  const outcome =
    result.data.application.status === 'accepted'
      ? await apiResult(api.GET('/api/applications/{id}/result', { params: application(event) }))
      : null;
  return {
    application: { ...result.data.application, answers: typedAnswers(result.data.application.answers) },
    submitted: event.url.searchParams.has('submitted'),
    result: outcome?.ok ? outcome.data : null,
  };
};

const application = (event: { params: { id: string } }) => ({ path: { id: event.params.id } });
const DECISIONS = ['accept', 'return', 'reject'] as const;

/** The API document declares answer values without a type (server AnswerValue is Type.Unsafe); they are texts or lists of texts. */
function typedAnswers(answers: Record<string, unknown>): Answers {
  const typed: Answers = {};
  for (const [key, value] of Object.entries(answers)) {
    if (typeof value === 'string') typed[key] = value;
    else if (Array.isArray(value)) typed[key] = value.map(String);
  }
  return typed;
}

/** Saves what the form holds; returns the saved application or a failure to show. */
async function saveForm(event: RequestEvent, form: FormData) {
  const api = apiFor(event);
  const current = await apiResult(api.GET('/api/applications/{id}', { params: application(event) }));
  if (!current.ok)
    return { failure: fail(current.status, { message: current.error.message, fields: current.error.fields }) };
  const answers = answersFromForm(current.data.application.form.fields, form);
  const saved = await apiResult(
    api.PUT('/api/applications/{id}/answers', { params: application(event), body: { answers } }),
  );
  // What was typed goes back to the page, so a refused save loses nothing.
  if (!saved.ok)
    return { failure: fail(saved.status, { message: saved.error.message, fields: saved.error.fields, answers }) };
  return { application: saved.data.application, refused: saved.data.refused, answers };
}

const count = (refused: Record<string, string>) => Object.keys(refused).length;

export const actions: Actions = {
  save: async (event) => {
    const result = await saveForm(event, await event.request.formData());
    if (result.failure) return result.failure;
    // The rest is saved; what was typed in the refused fields goes back to the page with the reasons.
    if (count(result.refused))
      return fail(400, {
        message:
          count(result.refused) === 1
            ? 'Черновик сохранён, кроме неверно заполненного поля. Исправьте его:'
            : `Черновик сохранён, кроме неверно заполненных полей (${count(result.refused)}). Исправьте их:`,
        fields: result.refused,
        answers: result.answers,
      });
    return { saved: true };
  },
  submit: async (event) => {
    const result = await saveForm(event, await event.request.formData());
    if (result.failure) return result.failure;
    // Never submitted with an earlier answer in place of one just refused. The summary names every problem, as the
    // server's refusal of a submission does: the refused answers and the required fields still empty, in form order.
    if (count(result.refused)) {
      const { missing, form } = result.application;
      const fields = Object.fromEntries(
        form.fields.flatMap((f) => {
          const problem = result.refused[f.key] ?? missing[f.key];
          return problem ? [[f.key, problem]] : [];
        }),
      );
      return fail(400, {
        message: `Заявка не подана: исправьте ${count(fields) === 1 ? 'поле' : `поля (${count(fields)})`}.`,
        fields,
        answers: result.answers,
      });
    }
    const submitted = await apiResult(
      apiFor(event).POST('/api/applications/{id}/submit', { params: application(event) }),
    );
    if (!submitted.ok)
      return fail(submitted.status, { message: submitted.error.message, fields: submitted.error.fields });
    redirect(303, `/applications/${event.params.id}?submitted=1`);
  },
  withdraw: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).POST('/api/applications/{id}/withdraw', {
        params: application(event),
        body: { reason: String(form.get('reason') ?? '') },
      }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { done: 'Заявка отозвана.' };
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const extendUntil = String(form.get('extendUntil') ?? '');
    const action = String(form.get('action') ?? '');
    if (!isOneOf(DECISIONS, action)) {
      const fields: Record<string, string> = { action: notOneOf('Решение') };
      return fail(400, { message: `Проверьте введённые данные. ${fields.action}`, fields, decision: true });
    }
    const result = await apiResult(
      apiFor(event).POST('/api/applications/{id}/decision', {
        params: application(event),
        body: {
          action,
          comment: String(form.get('comment') ?? ''),
          extendUntil: extendUntil ? fromMoscowInput(extendUntil) : null,
        },
      }),
    );
    if (!result.ok)
      return fail(result.status, { message: result.error.message, fields: result.error.fields, decision: true });
    return { done: 'Решение сохранено, заявителю отправлено письмо.' };
  },
  extend: async (event) => {
    const form = await event.request.formData();
    const until = String(form.get('until') ?? '');
    const result = await apiResult(
      apiFor(event).PUT('/api/applications/{id}/extension', {
        params: application(event),
        body: { until: until ? fromMoscowInput(until) : null },
      }),
    );
    if (!result.ok)
      return fail(result.status, { message: result.error.message, fields: result.error.fields, extension: true });
    return { done: until ? 'Срок для этой заявки продлён.' : 'Продление отменено.' };
  },
};
