import { error, fail, redirect } from '@sveltejs/kit';
import type { FormField } from '@konkurs/server/api-types';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = apiFor(event);
  const id = event.params.id;
  const nominationId = event.url.searchParams.get('nomination') ?? '';
  const [contest, form] = await Promise.all([
    apiResult(api.GET('/api/admin/contests/{id}', { params: { path: { id } } })),
    apiResult(
      api.GET('/api/contests/{id}/form', { params: { path: { id }, query: nominationId ? { nominationId } : {} } }),
    ),
  ]);
  if (!contest.ok) error(contest.status, contest.error.message);
  if (!form.ok) error(form.status, form.error.message);
  return { contest: contest.data.contest, form: form.data.form, own: form.data.own, nominationId };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    let fields: FormField[];
    try {
      fields = JSON.parse(String(data.get('fields') ?? '[]')) as FormField[];
    } catch {
      return fail(400, {
        message: 'Форма не прочитана. Обновите страницу и повторите.',
        fields: {} as Record<string, string>,
        draft: undefined as FormField[] | undefined,
      });
    }
    const nominationId = String(data.get('nominationId') ?? '') || null;
    const result = await apiResult(
      apiFor(event).PUT('/api/contests/{id}/form', {
        params: { path: { id: event.params.id } },
        body: { nominationId, fields },
      }),
    );
    if (!result.ok)
      return fail(result.status, { message: result.error.message, fields: result.error.fields, draft: fields });
    return { done: `Форма сохранена (версия ${result.data.form.version}). Уже начатые заявки сохраняют свою версию.` };
  },
};
