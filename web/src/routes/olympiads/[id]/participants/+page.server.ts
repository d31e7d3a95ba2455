import { error, fail, redirect } from '@sveltejs/kit';
import type { ParticipantList, RegistrationInfo, RosterImportResult } from '@konkurs/server/api-types';
import { api, apiUpload } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await api<ParticipantList>(event, 'GET', `/api/olympiads/${event.params.id}/participants`);
  if (!result.ok) error(result.status, result.error.message);
  const registration = await api<RegistrationInfo>(event, 'GET', `/api/olympiads/${event.params.id}/registration`);
  return { list: result.data, registration: registration.ok ? registration.data : null };
};

export const actions: Actions = {
  registration: async (event) => {
    const form = await event.request.formData();
    const schools = String(form.get('schools') ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    const body = { selfRegistration: form.get('selfRegistration') === 'on', schools };
    const result = await api<RegistrationInfo>(event, 'PUT', `/api/olympiads/${event.params.id}/registration`, body);
    if (!result.ok) return fail(result.status, { registrationMessage: result.error.message, registrationFields: result.error.fields });
    return { registrationDone: result.data.selfRegistration ? 'Самостоятельная регистрация включена.' : 'Самостоятельная регистрация выключена.' };
  },
  import: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, { message: 'Выберите файл со списком участников (CSV или XLSX).', fields: { file: 'Выберите файл со списком участников (CSV или XLSX).' } });
    }
    const upload = new FormData();
    upload.append('file', file, file.name);
    const result = await apiUpload<RosterImportResult>(event, `/api/olympiads/${event.params.id}/participants/import`, upload);
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { report: result.data };
  },
  remove: async (event) => {
    const form = await event.request.formData();
    const participantId = String(form.get('participantId') ?? '');
    const name = String(form.get('fullName') ?? '');
    const result = await api<ParticipantList>(event, 'DELETE', `/api/olympiads/${event.params.id}/participants/${encodeURIComponent(participantId)}`);
    if (!result.ok) return fail(result.status, { actionMessage: result.error.message, actionFor: participantId });
    return { actionDone: `${name} удалён(а) из списка участников.` };
  },
  void: async (event) => {
    const form = await event.request.formData();
    const attemptId = String(form.get('attemptId') ?? '');
    const participantId = String(form.get('participantId') ?? '');
    const name = String(form.get('fullName') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    const result = await api<ParticipantList>(event, 'POST', `/api/olympiads/${event.params.id}/attempts/${encodeURIComponent(attemptId)}/void`, { reason });
    if (!result.ok) return fail(result.status, { actionMessage: result.error.message, actionFields: result.error.fields, actionFor: participantId, reason });
    return { actionDone: `Работа участника ${name} аннулирована: она не учитывается в итогах.` };
  },
};
