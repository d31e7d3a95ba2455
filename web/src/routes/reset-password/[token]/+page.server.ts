import { fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const link = await apiResult(
    apiFor(event).GET('/api/auth/password-reset/{token}', { params: { path: { token: event.params.token } } }),
  );
  // A link that no longer works is said on the page, with the way to a new one, not shown as an error page.
  return { problem: link.ok ? null : link.error.message };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const password = String(form.get('password') ?? '');
    const result = await apiResult(
      apiFor(event).POST('/api/auth/password-reset/{token}', {
        params: { path: { token: event.params.token } },
        body: { password },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        message: result.error.message,
        fields: result.error.fields,
        linkGone: result.status === 410,
      });
    redirect(303, '/account?password=reset');
  },
};
