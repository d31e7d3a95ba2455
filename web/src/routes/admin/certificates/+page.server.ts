import { error, fail, redirect } from '@sveltejs/kit';
import type {
  CertificateImages, CertificateSummary, EventsResponse, IssueResult, IssuingState, OrganisationDetails, TemplateResponse,
} from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** ?event=contest:<id>, ?event=olympiad:<id> or ?event=organisation → the API's query string. */
function eventQuery(event: string | null): string | null {
  if (event === 'organisation') return 'organisation=true';
  const m = /^(contest|olympiad):([0-9a-f-]{36})$/.exec(event ?? '');
  return m ? `${m[1] === 'contest' ? 'contestId' : 'olympiadId'}=${m[2]}` : null;
}

const signatoriesOf = (form: FormData) =>
  [0, 1, 2]
    .map((i) => ({ position: String(form.get(`position${i}`) ?? '').trim(), name: String(form.get(`name${i}`) ?? '').trim() }))
    .filter((s) => s.position || s.name);

const CASES = ['genitive', 'dative', 'accusative', 'instrumental', 'prepositional'] as const;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  if (!event.locals.user.roles.includes('organizer')) error(403, 'Эта страница — для организаторов.');
  const events = await api<EventsResponse>(event, 'GET', '/api/events');
  if (!events.ok) error(events.status, events.error.message);
  const selected = event.url.searchParams.get('event');
  const query = eventQuery(selected);
  const empty = { certificates: [] as CertificateSummary[], issuing: null as IssuingState | null };
  if (!query) return { events: events.data, selected: null, query: null, templates: [], placeholders: {}, images: [], organisation: null, ...empty };
  const isEvent = selected !== 'organisation';
  const [templates, certificates, issuing, images, organisation] = await Promise.all([
    api<{ templates: TemplateResponse[]; placeholders: Record<string, string> }>(event, 'GET', `/api/certificate-templates?${query}`),
    isEvent ? api<{ certificates: CertificateSummary[] }>(event, 'GET', `/api/certificates?${query}`) : null,
    isEvent ? api<IssuingState>(event, 'GET', `/api/certificates/issuing?${query}`) : null,
    api<CertificateImages>(event, 'GET', `/api/certificate-images?${query}`),
    api<OrganisationDetails>(event, 'GET', '/api/certificate-organisation'),
  ]);
  for (const r of [templates, certificates, issuing, images, organisation]) if (r && !r.ok) error(r.status, r.error.message);
  return {
    events: events.data, selected, query,
    ...(templates.ok ? templates.data : { templates: [], placeholders: {} }),
    certificates: certificates?.ok ? certificates.data.certificates : [],
    issuing: issuing?.ok ? issuing.data : null,
    images: images.ok ? images.data.images : [],
    organisation: organisation.ok ? organisation.data : null,
  };
};

export const actions: Actions = {
  issue: async (event) => {
    const m = /^(contest|olympiad):([0-9a-f-]{36})$/.exec(event.url.searchParams.get('event') ?? '');
    if (!m) return fail(400, { message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const plan = String((await event.request.formData()).get('plan') ?? '');
    const result = await api<IssueResult>(event, 'POST', `/api/${m[1] === 'contest' ? 'contests' : 'olympiads'}/${m[2]}/certificates/issue?plan=${encodeURIComponent(plan)}`);
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { issueResult: result.data };
  },
  saveOrganisation: async (event) => {
    const form = await event.request.formData();
    const result = await api(event, 'PUT', '/api/certificate-organisation', {
      name: String(form.get('name') ?? ''), city: String(form.get('city') ?? ''), signatories: signatoriesOf(form),
    });
    if (!result.ok) return fail(result.status, { organisationForm: true, message: result.error.message, fields: result.error.fields });
    return { saved: 'Реквизиты организации сохранены.' };
  },
  nameForms: async (event) => {
    const query = eventQuery(event.url.searchParams.get('event'));
    const form = await event.request.formData();
    const recipientKey = String(form.get('recipientKey') ?? '');
    if (!query) return fail(400, { message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const reset = form.get('reset') !== null;
    const forms = reset ? null : Object.fromEntries(CASES.map((c) => [c, String(form.get(c) ?? '')]));
    const result = await api(event, 'PUT', `/api/certificates/name-forms?${query}`, { recipientKey, forms });
    if (!result.ok) return fail(result.status, { namesKey: recipientKey, message: result.error.message, fields: result.error.fields });
    return { namesKey: recipientKey, saved: reset ? 'Склонение снова автоматическое.' : 'Склонение исправлено: так оно будет напечатано.' };
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
    const result = await api(event, 'PUT', `/api/certificate-templates/${encodeURIComponent(award)}?${query}`, {
      title: String(form.get('title') ?? ''),
      subtitle: String(form.get('subtitle') ?? ''),
      lead: String(form.get('lead') ?? ''),
      recipient: String(form.get('recipient') ?? '') || '{ФИО}',
      body: String(form.get('body') ?? ''),
      orientation: String(form.get('orientation') ?? 'landscape'),
      place: String(form.get('place') ?? ''),
      signatories: signatoriesOf(form),
    });
    if (!result.ok) return fail(result.status, { award, message: result.error.message, fields: result.error.fields });
    return { award, saved: 'Шаблон сохранён.' };
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const reason = String(form.get('reason') ?? '');
    // «Отозвать и выдать новый»: the same reason, then a new document in its place.
    if (form.get('replace') !== null) {
      const result = await api<CertificateSummary>(event, 'POST', `/api/certificates/${encodeURIComponent(id)}/replace`, { reason });
      if (!result.ok) return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
      return { revoked: `Документ отозван, взамен выдан № ${result.data.registryNumber}.` };
    }
    const result = await api(event, 'POST', `/api/certificates/${encodeURIComponent(id)}/revoke`, { reason });
    if (!result.ok) return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
    return { revoked: 'Документ отозван.' };
  },
  replace: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await api<CertificateSummary>(event, 'POST', `/api/certificates/${encodeURIComponent(id)}/replace`, {});
    if (!result.ok) return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
    return { revoked: `Взамен выдан новый документ № ${result.data.registryNumber}.` };
  },
};
