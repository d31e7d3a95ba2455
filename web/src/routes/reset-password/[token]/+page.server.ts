import { fail, redirect } from '@sveltejs/kit';
import type { MeResponse, ResetLinkView } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const link = await api<ResetLinkView>(event, 'GET', `/api/auth/password-reset/${encodeURIComponent(event.params.token)}`);
  // A link that no longer works is said on the page, with the way to a new one, not shown as an error page.
  return { problem: link.ok ? null : link.error.message };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const password = String(form.get('password') ?? '');
    const result = await api<MeResponse>(event, 'POST', `/api/auth/password-reset/${encodeURIComponent(event.params.token)}`, { password });
    if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields, linkGone: result.status === 410 });
    redirect(303, '/account?password=reset');
  },
};
