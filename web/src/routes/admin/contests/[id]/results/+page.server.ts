import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The jury's results: the organizer works here; the jury chair reads the same page (the API decides who may). */
export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/contests/{id}/results', { params: { path: contestPath(event) } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  // The meeting's details for the protocol are the organizer's to set; the chair only reads the table.
  const meeting =
    result.data.viewer === 'organizer'
      ? await apiResult(apiFor(event).GET('/api/contests/{id}/jury/meeting', { params: { path: contestPath(event) } }))
      : null;
  return { results: result.data, userId: event.locals.user.id, meeting: meeting?.ok ? meeting.data : null };
};

const contestPath = (event: RequestEvent) => ({ id: event.params.id });

export const actions: Actions = {
  override: async (event) => {
    const form = await event.request.formData();
    const applicationId = String(form.get('applicationId') ?? '');
    const placeText = String(form.get('place') ?? '');
    const values = { applicationId, place: placeText, reason: String(form.get('reason') ?? '') };
    if (!applicationId)
      return fail(400, {
        action: 'override',
        message: 'Выберите работу.',
        fields: { applicationId: 'Выберите работу.' },
        values,
      });
    const body = { place: placeText === '' ? null : Number(placeText), reason: values.reason };
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/results/overrides/{applicationId}', {
        params: { path: { ...contestPath(event), applicationId } },
        body,
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        action: 'override',
        message: result.error.message,
        fields: result.error.fields,
        values,
      });
    return { action: 'override', done: 'Место изменено, решение записано в журнал.' };
  },
  removeOverride: async (event) => {
    const form = await event.request.formData();
    const applicationId = String(form.get('applicationId') ?? '');
    const result = await apiResult(
      apiFor(event).DELETE('/api/contests/{id}/results/overrides/{applicationId}', {
        params: { path: { ...contestPath(event), applicationId } },
      }),
    );
    if (!result.ok) return fail(result.status, { action: 'override', message: result.error.message });
    return { action: 'override', done: 'Расчётное место восстановлено.' };
  },
  reopen: async (event) => {
    const form = await event.request.formData();
    const sheetId = String(form.get('sheetId') ?? '');
    const values = { sheetId, reason: String(form.get('reason') ?? '') };
    if (!sheetId)
      return fail(400, {
        action: 'reopen',
        message: 'Выберите оценочный лист.',
        fields: { sheetId: 'Выберите оценочный лист.' },
        values,
      });
    const path = { ...contestPath(event), sheetId };
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/sheets/{sheetId}/reopen', {
        params: { path },
        body: { reason: values.reason },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        action: 'reopen',
        message: result.error.message,
        fields: result.error.fields,
        values,
      });
    return { action: 'reopen', done: 'Оценочный лист возвращён члену жюри на доработку; он получил письмо.' };
  },
  publish: async (event) => {
    const form = await event.request.formData();
    if (form.get('confirm') !== 'on') {
      const message = 'Отметьте, что проверили итоги и согласны их опубликовать.';
      return fail(400, { action: 'publish', message, fields: { confirm: message } });
    }
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/results/publish', {
        params: { path: contestPath(event) },
        body: { confirmIncomplete: true },
      }),
    );
    if (!result.ok) return fail(result.status, { action: 'publish', message: result.error.message });
    const { mailed, unchanged } = result.data;
    const quiet = unchanged ? ` Результат не изменился у ${unchanged} — им письмо не отправляется.` : '';
    return { action: 'publish', done: `Итоги опубликованы. Писем заявителям: ${mailed}.${quiet}` };
  },
  meeting: async (event) => {
    const form = await event.request.formData();
    const values = {
      number: String(form.get('number') ?? ''),
      date: String(form.get('date') ?? ''),
      place: String(form.get('place') ?? ''),
      secretary: String(form.get('secretary') ?? ''),
      absentJurorIds: form.getAll('absent').map(String),
    };
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/jury/meeting', {
        params: { path: contestPath(event) },
        body: { ...values, date: values.date || null },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        action: 'meeting',
        message: result.error.message,
        fields: result.error.fields,
        values,
      });
    return { action: 'meeting', done: 'Сведения о заседании сохранены: они войдут в протокол.' };
  },
  check: async (event) => {
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/results/check', { params: { path: contestPath(event) } }),
    );
    if (!result.ok) return fail(result.status, { action: 'check', message: result.error.message });
    return { action: 'check', check: result.data };
  },
  unpublish: async (event) => {
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/results/unpublish', { params: { path: contestPath(event) } }),
    );
    if (!result.ok) return fail(result.status, { action: 'publish', message: result.error.message });
    return { action: 'publish', done: 'Итоги сняты с публикации. Исправьте их и опубликуйте заново.' };
  },
};
