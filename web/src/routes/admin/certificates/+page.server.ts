import { error, fail, redirect } from '@sveltejs/kit';
import type { CertificateImages, CertificateSummary, EventsResponse, IssueResult, IssuingState, TemplateResponse } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** ?event=contest:<id> or ?event=olympiad:<id> → the API's query string. */
function eventQuery(event: string | null): string | null {
  const m = /^(contest|olympiad):([0-9a-f-]{36})$/.exec(event ?? '');
  return m ? `${m[1] === 'contest' ? 'contestId' : 'olympiadId'}=${m[2]}` : null;
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  if (!event.locals.user.roles.includes('organizer')) error(403, 'Эта страница — для организаторов.');
  const events = await api<EventsResponse>(event, 'GET', '/api/events');
  if (!events.ok) error(events.status, events.error.message);
  const selected = event.url.searchParams.get('event');
  const query = eventQuery(selected);
  if (!query) return { events: events.data, selected: null, query: null, templates: [], placeholders: {}, certificates: [], issuing: null, images: [] };
  const [templates, certificates, issuing, images] = await Promise.all([
    api<{ templates: TemplateResponse[]; placeholders: Record<string, string> }>(event, 'GET', `/api/certificate-templates?${query}`),
    api<{ certificates: CertificateSummary[] }>(event, 'GET', `/api/certificates?${query}`),
    api<IssuingState>(event, 'GET', `/api/certificates/issuing?${query}`),
    api<CertificateImages>(event, 'GET', `/api/certificate-images?${query}`),
  ]);
  if (!templates.ok) error(templates.status, templates.error.message);
  if (!certificates.ok) error(certificates.status, certificates.error.message);
  if (!issuing.ok) error(issuing.status, issuing.error.message);
  if (!images.ok) error(images.status, images.error.message);
  return {
    events: events.data, selected, query, ...templates.data, certificates: certificates.data.certificates, issuing: issuing.data, images: images.data.images,
  };
};

export const actions: Actions = {
  issue: async (event) => {
    const m = /^(contest|olympiad):([0-9a-f-]{36})$/.exec(event.url.searchParams.get('event') ?? '');
    if (!m) return fail(400, { message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const result = await api<IssueResult>(event, 'POST', `/api/${m[1] === 'contest' ? 'contests' : 'olympiads'}/${m[2]}/certificates/issue`);
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { issueResult: result.data };
  },
  removeImage: async (event) => {
    const query = eventQuery(event.url.searchParams.get('event'));
    const kind = String((await event.request.formData()).get('kind') ?? '');
    if (!query) return fail(400, { message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const result = await api(event, 'DELETE', `/api/certificate-images/${encodeURIComponent(kind)}?${query}`);
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { imageRemoved: kind === 'logo' ? 'Логотип убран.' : 'Изображение подписи убрано.' };
  },
  saveTemplate: async (event) => {
    const query = eventQuery(event.url.searchParams.get('event'));
    const form = await event.request.formData();
    const award = String(form.get('award') ?? '');
    if (!query) return fail(400, { award, message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const signatories = [0, 1, 2]
      .map((i) => ({ position: String(form.get(`position${i}`) ?? '').trim(), name: String(form.get(`name${i}`) ?? '').trim() }))
      .filter((s) => s.position || s.name);
    const result = await api(event, 'PUT', `/api/certificate-templates/${encodeURIComponent(award)}?${query}`, {
      title: String(form.get('title') ?? ''),
      subtitle: String(form.get('subtitle') ?? ''),
      lead: String(form.get('lead') ?? ''),
      body: String(form.get('body') ?? ''),
      orientation: String(form.get('orientation') ?? 'landscape'),
      place: String(form.get('place') ?? ''),
      signatories,
    });
    if (!result.ok) return fail(result.status, { award, message: result.error.message, fields: result.error.fields });
    return { award, saved: 'Шаблон сохранён.' };
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const result = await api(event, 'POST', `/api/certificates/${encodeURIComponent(id)}/revoke`, { reason: String(form.get('reason') ?? '') });
    if (!result.ok) return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
    return { revoked: 'Документ отозван.' };
  },
};
