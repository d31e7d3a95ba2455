import { fail, redirect } from '@sveltejs/kit';
import { contestCreateBodyFromForm } from '$lib/contest-form';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const body = contestCreateBodyFromForm(await event.request.formData());
    const result = await apiResult(apiFor(event).POST('/api/contests', { body }));
    if (!result.ok)
      return fail(result.status, { values: body, message: result.error.message, fields: result.error.fields });
    redirect(303, `/admin/contests/${result.data.contest.id}?created=1`);
  },
};
