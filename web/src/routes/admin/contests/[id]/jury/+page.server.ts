import { error, fail, redirect } from '@sveltejs/kit';
import type { JurySettingsResponse } from '@konkurs/server/api-types';
import { isOneOf, notOneOf } from '$lib/one-of';
import { apiFor, apiResult } from '$lib/server/api';
import { criteriaFromDrafts, type CriterionDraft } from './rubric-draft';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = apiFor(event);
  const params = { path: { id: event.params.id } };
  const [contest, settings, rubrics, jury, matrix] = await Promise.all([
    apiResult(api.GET('/api/admin/contests/{id}', { params })),
    apiResult(api.GET('/api/contests/{id}/jury/settings', { params })),
    apiResult(api.GET('/api/contests/{id}/rubrics', { params })),
    apiResult(api.GET('/api/contests/{id}/jury', { params })),
    apiResult(api.GET('/api/contests/{id}/assignments', { params })),
  ]);
  for (const r of [contest, settings, rubrics, jury, matrix]) if (!r.ok) error(r.status, r.error.message);
  if (!contest.ok || !settings.ok || !rubrics.ok || !jury.ok || !matrix.ok) error(500);
  return {
    contest: contest.data.contest,
    settings: settings.data,
    rubrics: rubrics.data,
    jury: jury.data,
    matrix: matrix.data,
    nominationId: event.url.searchParams.get('nomination') ?? '',
  };
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
const contestPath = (event: { params: { id: string } }) => ({ id: event.params.id });
const METHODS: readonly JurySettingsResponse['settings']['method'][] = [
  'mean',
  'median',
  'trimmed_mean',
  'standardized',
];

export const actions: Actions = {
  settings: async (event) => {
    const form = await event.request.formData();
    const municipalityField = text(form, 'municipalityField');
    const method = text(form, 'method');
    if (!isOneOf(METHODS, method)) {
      const message = notOneOf('Способ подсчёта');
      return fail(400, {
        section: 'settings',
        message: `Проверьте введённые данные. ${message}`,
        fields: { method: message },
      });
    }
    const body = {
      method,
      tieBreakers: form.getAll('tieBreakers').map(String).filter(Boolean),
      places: Number(text(form, 'places')),
      blind: form.get('blind') === 'on',
      perEntry: Number(text(form, 'perEntry')),
      avoidOwnMunicipality: form.get('avoidOwnMunicipality') === 'on',
      municipalityField: municipalityField || null,
      showScores: form.get('showScores') === 'on',
      disagreementShare: Number(text(form, 'disagreementPercent').replace(',', '.')) / 100,
    };
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/jury/settings', { params: { path: contestPath(event) }, body }),
    );
    if (!result.ok)
      return fail(result.status, { section: 'settings', message: result.error.message, fields: result.error.fields });
    return { section: 'settings', done: 'Настройки жюри сохранены.' };
  },

  rubric: async (event) => {
    const form = await event.request.formData();
    const nominationId = text(form, 'nominationId') || null;
    let drafts: CriterionDraft[];
    try {
      drafts = JSON.parse(String(form.get('criteria') ?? '[]')) as CriterionDraft[];
    } catch {
      return fail(400, {
        section: 'rubric',
        message: 'Критерии не прочитаны. Обновите страницу и повторите.',
        fields: {} as Record<string, string>,
      });
    }
    const parsed = criteriaFromDrafts(drafts);
    if (!parsed.ok)
      return fail(400, {
        section: 'rubric',
        message: `Проверьте критерии оценки. ${Object.values(parsed.fields)[0]}`,
        fields: parsed.fields,
        drafts,
      });
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/rubrics', {
        params: { path: contestPath(event) },
        body: { nominationId, criteria: parsed.criteria },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        section: 'rubric',
        message: result.error.message,
        fields: result.error.fields,
        drafts,
      });
    const removed = result.data.removedTieBreakers.length
      ? ` Из критериев для равных баллов убраны удалённые: ${result.data.removedTieBreakers.join(', ')}.`
      : '';
    return { section: 'rubric', done: `Критерии сохранены (версия ${result.data.rubric.version}).${removed}` };
  },

  addMember: async (event) => {
    const form = await event.request.formData();
    const values = { email: text(form, 'email'), municipality: text(form, 'municipality') };
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/jury/members', {
        params: { path: contestPath(event) },
        body: { email: values.email, municipality: values.municipality || null },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        section: 'members',
        message: result.error.message,
        fields: result.error.fields,
        values,
      });
    return { section: 'members', done: result.data.message };
  },

  chair: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/jury/chair', {
        params: { path: contestPath(event) },
        body: { userId: text(form, 'userId') || null },
      }),
    );
    if (!result.ok) return fail(result.status, { section: 'members', message: result.error.message });
    return { section: 'members', done: result.data.message };
  },

  removeMember: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).DELETE('/api/contests/{id}/jury/members/{userId}', {
        params: { path: { ...contestPath(event), userId: text(form, 'userId') } },
      }),
    );
    if (!result.ok) return fail(result.status, { section: 'members', message: result.error.message });
    return { section: 'members', done: result.data.message };
  },

  memberMunicipality: async (event) => {
    const form = await event.request.formData();
    const path = { ...contestPath(event), userId: text(form, 'userId') };
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/jury/members/{userId}/municipality', {
        params: { path },
        body: { municipality: text(form, 'municipality') },
      }),
    );
    if (!result.ok) return fail(result.status, { section: 'members', message: result.error.message });
    return { section: 'members', done: result.data.message };
  },

  cancelInvitation: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).DELETE('/api/contests/{id}/jury/invitations/{invitationId}', {
        params: { path: { ...contestPath(event), invitationId: text(form, 'invitationId') } },
      }),
    );
    if (!result.ok) return fail(result.status, { section: 'members', message: result.error.message });
    return { section: 'members', done: result.data.message };
  },

  auto: async (event) => {
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/assignments/auto', { params: { path: contestPath(event) } }),
    );
    if (!result.ok) return fail(result.status, { section: 'assignments', message: result.error.message });
    return { section: 'assignments', done: result.data.message, shortfalls: result.data.shortfalls };
  },

  assign: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/assignments', {
        params: { path: contestPath(event) },
        body: { applicationId: text(form, 'applicationId'), jurorId: text(form, 'jurorId') },
      }),
    );
    if (!result.ok) return fail(result.status, { section: 'assignments', message: result.error.message });
    return { section: 'assignments', done: result.data.message };
  },

  unassign: async (event) => {
    const form = await event.request.formData();
    const path = { ...contestPath(event), applicationId: text(form, 'applicationId'), jurorId: text(form, 'jurorId') };
    const result = await apiResult(
      apiFor(event).DELETE('/api/contests/{id}/assignments/{applicationId}/{jurorId}', { params: { path } }),
    );
    if (!result.ok) return fail(result.status, { section: 'assignments', message: result.error.message });
    return { section: 'assignments', done: result.data.message };
  },

  conflict: async (event) => {
    const form = await event.request.formData();
    const values = {
      applicationId: text(form, 'applicationId'),
      jurorId: text(form, 'jurorId'),
      reason: text(form, 'reason'),
    };
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/conflicts', { params: { path: contestPath(event) }, body: values }),
    );
    if (!result.ok)
      return fail(result.status, {
        section: 'conflicts',
        message: result.error.message,
        fields: result.error.fields,
        values,
      });
    return {
      section: 'conflicts',
      done: 'Конфликт интересов записан: член жюри не увидит эту заявку и не будет на неё назначен.',
    };
  },

  removeConflict: async (event) => {
    const form = await event.request.formData();
    const path = { ...contestPath(event), applicationId: text(form, 'applicationId'), jurorId: text(form, 'jurorId') };
    const result = await apiResult(
      apiFor(event).DELETE('/api/contests/{id}/conflicts/{applicationId}/{jurorId}', { params: { path } }),
    );
    if (!result.ok) return fail(result.status, { section: 'conflicts', message: result.error.message });
    return { section: 'conflicts', done: 'Конфликт интересов снят.' };
  },
};
