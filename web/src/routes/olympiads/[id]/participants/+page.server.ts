import { error, fail, redirect } from '@sveltejs/kit';
import { formData } from '$lib/api/multipart';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = apiFor(event);
  const path = { olympiadId: event.params.id };
  const result = await apiResult(api.GET('/api/olympiads/{olympiadId}/participants', { params: { path } }));
  if (!result.ok) error(result.status, result.error.message);
  const registration = await apiResult(api.GET('/api/olympiads/{olympiadId}/registration', { params: { path } }));
  return { list: result.data, registration: registration.ok ? registration.data : null };
};

export const actions: Actions = {
  registration: async (event) => {
    const form = await event.request.formData();
    const schools = String(form.get('schools') ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    const body = { selfRegistration: form.get('selfRegistration') === 'on', schools };
    const result = await apiResult(
      apiFor(event).PUT('/api/olympiads/{olympiadId}/registration', {
        params: { path: { olympiadId: event.params.id } },
        body,
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        registrationMessage: result.error.message,
        registrationFields: result.error.fields,
      });
    return {
      registrationDone: result.data.selfRegistration
        ? 'Самостоятельная регистрация включена.'
        : 'Самостоятельная регистрация выключена.',
    };
  },
  import: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, {
        message: 'Выберите файл со списком участников (CSV или XLSX).',
        fields: { file: 'Выберите файл со списком участников (CSV или XLSX).' },
      });
    }
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/participants/import', {
        params: { path: { olympiadId: event.params.id } },
        body: { file },
        bodySerializer: formData,
      }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { report: result.data };
  },
  remove: async (event) => {
    const form = await event.request.formData();
    const participantId = String(form.get('participantId') ?? '');
    const name = String(form.get('fullName') ?? '');
    const result = await apiResult(
      apiFor(event).DELETE('/api/olympiads/{olympiadId}/participants/{participantId}', {
        params: { path: { olympiadId: event.params.id, participantId } },
      }),
    );
    if (!result.ok) return fail(result.status, { actionMessage: result.error.message, actionFor: participantId });
    return { actionDone: `${name} удалён(а) из списка участников.` };
  },
  void: async (event) => {
    const form = await event.request.formData();
    const attemptId = String(form.get('attemptId') ?? '');
    const participantId = String(form.get('participantId') ?? '');
    const name = String(form.get('fullName') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/attempts/{attemptId}/void', {
        params: { path: { olympiadId: event.params.id, attemptId } },
        body: { reason },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        actionMessage: result.error.message,
        actionFields: result.error.fields,
        actionFor: participantId,
        reason,
      });
    return { actionDone: `Работа участника ${name} аннулирована: она не учитывается в итогах.` };
  },
};
