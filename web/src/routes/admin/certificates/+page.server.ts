import { error, fail, redirect } from '@sveltejs/kit';
import type { AwardKind, CertificateSummary, IssuingState } from '@konkurs/server/api-types';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

type Scope = { contestId: string } | { olympiadId: string } | { organisation: true };

/** ?event=contest:<id>, ?event=olympiad:<id> or ?event=organisation → the API's query parameters. */
function scopeOf(event: string | null): Scope | null {
  if (event === 'organisation') return { organisation: true };
  const m = /^(contest|olympiad):([0-9a-f-]{36})$/.exec(event ?? '');
  if (!m) return null;
  return m[1] === 'contest' ? { contestId: m[2] } : { olympiadId: m[2] };
}

/** An event's own scope (templates and images may also be the organisation's; certificates are an event's). */
const eventOf = (scope: Scope | null) => (scope && !('organisation' in scope) ? scope : null);

const signatoriesOf = (form: FormData) =>
  [0, 1, 2]
    .map((i) => ({
      position: String(form.get(`position${i}`) ?? '').trim(),
      name: String(form.get(`name${i}`) ?? '').trim(),
    }))
    .filter((s) => s.position || s.name);

const CASES = ['genitive', 'dative', 'accusative', 'instrumental', 'prepositional'] as const;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  if (!event.locals.user.roles.includes('organizer')) error(403, 'Эта страница — для организаторов.');
  const api = apiFor(event);
  const events = await apiResult(api.GET('/api/events'));
  if (!events.ok) error(events.status, events.error.message);
  const selected = event.url.searchParams.get('event');
  const scope = scopeOf(selected);
  const empty = { certificates: [] as CertificateSummary[], issuing: null as IssuingState | null };
  if (!scope)
    return {
      events: events.data,
      selected: null,
      query: null,
      scope: null,
      eventScope: null,
      templates: [],
      placeholders: {},
      images: [],
      organisation: null,
      ...empty,
    };
  // The same parameters as a query string, for the page's links (previews, the batch PDF).
  const query = new URLSearchParams(Object.entries(scope).map(([k, v]) => [k, String(v)])).toString();
  const eventScope = eventOf(scope);
  const [templates, certificates, issuing, images, organisation] = await Promise.all([
    apiResult(api.GET('/api/certificate-templates', { params: { query: scope } })),
    eventScope ? apiResult(api.GET('/api/certificates', { params: { query: eventScope } })) : null,
    eventScope ? apiResult(api.GET('/api/certificates/issuing', { params: { query: eventScope } })) : null,
    apiResult(api.GET('/api/certificate-images', { params: { query: scope } })),
    apiResult(api.GET('/api/certificate-organisation')),
  ]);
  for (const r of [templates, certificates, issuing, images, organisation])
    if (r && !r.ok) error(r.status, r.error.message);
  return {
    events: events.data,
    selected,
    query,
    scope,
    eventScope,
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
    const api = apiFor(event);
    const result = await apiResult(
      m[1] === 'contest'
        ? api.POST('/api/contests/{id}/certificates/issue', { params: { path: { id: m[2] }, query: { plan } } })
        : api.POST('/api/olympiads/{olympiadId}/certificates/issue', {
            params: { path: { olympiadId: m[2] }, query: { plan } },
          }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { issueResult: result.data };
  },
  saveOrganisation: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).PUT('/api/certificate-organisation', {
        body: {
          name: String(form.get('name') ?? ''),
          city: String(form.get('city') ?? ''),
          signatories: signatoriesOf(form),
        },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        organisationForm: true,
        message: result.error.message,
        fields: result.error.fields,
      });
    return { saved: 'Реквизиты организации сохранены.' };
  },
  nameForms: async (event) => {
    const scope = eventOf(scopeOf(event.url.searchParams.get('event')));
    const form = await event.request.formData();
    const recipientKey = String(form.get('recipientKey') ?? '');
    if (!scope) return fail(400, { message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const reset = form.get('reset') !== null;
    const forms = reset
      ? null
      : (Object.fromEntries(CASES.map((c) => [c, String(form.get(c) ?? '')])) as Record<
          (typeof CASES)[number],
          string
        >);
    const result = await apiResult(
      apiFor(event).PUT('/api/certificates/name-forms', { params: { query: scope }, body: { recipientKey, forms } }),
    );
    if (!result.ok)
      return fail(result.status, {
        namesKey: recipientKey,
        message: result.error.message,
        fields: result.error.fields,
      });
    return {
      namesKey: recipientKey,
      saved: reset ? 'Склонение снова автоматическое.' : 'Склонение исправлено: так оно будет напечатано.',
    };
  },
  removeImage: async (event) => {
    const scope = scopeOf(event.url.searchParams.get('event'));
    const kind = String((await event.request.formData()).get('kind') ?? '');
    if (!scope) return fail(400, { message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    if (kind !== 'logo' && kind !== 'signature')
      return fail(400, { message: 'Выберите логотип или подпись.', fields: {} as Record<string, string> });
    const result = await apiResult(
      apiFor(event).DELETE('/api/certificate-images/{kind}', { params: { path: { kind }, query: scope } }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
    return { imageRemoved: kind === 'logo' ? 'Логотип убран.' : 'Изображение подписи убрано.' };
  },
  saveTemplate: async (event) => {
    const scope = scopeOf(event.url.searchParams.get('event'));
    const form = await event.request.formData();
    const award = String(form.get('award') ?? '') as AwardKind;
    if (!scope) return fail(400, { award, message: 'Выберите мероприятие.', fields: {} as Record<string, string> });
    const result = await apiResult(
      apiFor(event).PUT('/api/certificate-templates/{award}', {
        params: { path: { award }, query: scope },
        body: {
          title: String(form.get('title') ?? ''),
          subtitle: String(form.get('subtitle') ?? ''),
          lead: String(form.get('lead') ?? ''),
          recipient: String(form.get('recipient') ?? '') || '{ФИО}',
          body: String(form.get('body') ?? ''),
          orientation: form.get('orientation') === 'portrait' ? 'portrait' : 'landscape',
          place: String(form.get('place') ?? ''),
          signatories: signatoriesOf(form),
        },
      }),
    );
    if (!result.ok) return fail(result.status, { award, message: result.error.message, fields: result.error.fields });
    return { award, saved: 'Шаблон сохранён.' };
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const reason = String(form.get('reason') ?? '');
    // «Отозвать и выдать новый»: the same reason, then a new document in its place.
    if (form.get('replace') !== null) {
      const result = await apiResult(
        apiFor(event).POST('/api/certificates/{id}/replace', { params: { path: { id } }, body: { reason } }),
      );
      if (!result.ok)
        return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
      return { revoked: `Документ отозван, взамен выдан № ${result.data.registryNumber}.` };
    }
    const result = await apiResult(
      apiFor(event).POST('/api/certificates/{id}/revoke', { params: { path: { id } }, body: { reason } }),
    );
    if (!result.ok)
      return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
    return { revoked: 'Документ отозван.' };
  },
  replace: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await apiResult(
      apiFor(event).POST('/api/certificates/{id}/replace', { params: { path: { id } }, body: {} }),
    );
    if (!result.ok)
      return fail(result.status, { revokeId: id, message: result.error.message, fields: result.error.fields });
    return { revoked: `Взамен выдан новый документ № ${result.data.registryNumber}.` };
  },
};
