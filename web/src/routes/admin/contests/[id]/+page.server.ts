import { error, fail, redirect } from '@sveltejs/kit';
import { contestBodyFromForm } from '$lib/contest-form';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/admin/contests/{id}', { params: { path: { id: event.params.id } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { contest: result.data.contest, created: event.url.searchParams.has('created') };
};

export const actions: Actions = {
  save: async (event) => {
    const body = contestBodyFromForm(await event.request.formData());
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}', { params: { path: { id: event.params.id } }, body }),
    );
    if (!result.ok)
      return fail(result.status, { values: body, message: result.error.message, fields: result.error.fields });
    return { done: 'Изменения сохранены.' };
  },
  copy: async (event) => {
    const form = await event.request.formData();
    const body = {
      title: String(form.get('copyTitle') ?? '').trim() || undefined,
      slug: String(form.get('copySlug') ?? '').trim() || undefined,
      shiftYears: Number(form.get('shiftYears') ?? 1),
    };
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/copy', { params: { path: { id: event.params.id } }, body }),
    );
    if (!result.ok)
      return fail(result.status, { copy: body, message: result.error.message, copyFields: result.error.fields });
    redirect(303, `/admin/contests/${result.data.contest.id}?created=1`);
  },
  publish: async (event) => {
    const form = await event.request.formData();
    if (form.get('confirm') !== 'on') {
      const message = 'Отметьте, что конкурс готов к публикации.';
      return fail(400, { message, publishError: message });
    }
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/publication', {
        params: { path: { id: event.params.id } },
        body: { published: true },
      }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message });
    return { done: 'Конкурс опубликован: он виден на главной странице, заявители могут подавать заявки.' };
  },
  unpublish: async (event) => {
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/publication', {
        params: { path: { id: event.params.id } },
        body: { published: false },
      }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message });
    return { done: 'Конкурс снят с публикации: теперь его видят только организаторы.' };
  },
  archive: async (event) => {
    const form = await event.request.formData();
    const archived = form.get('archived') === 'true';
    const result = await apiResult(
      apiFor(event).POST('/api/contests/{id}/archive', {
        params: { path: { id: event.params.id } },
        body: { archived },
      }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message });
    return { done: archived ? 'Конкурс отправлен в архив.' : 'Конкурс возвращён из архива.' };
  },
};
