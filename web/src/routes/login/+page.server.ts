import { fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import { safeNext } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const result = await apiResult(apiFor(event).POST('/api/auth/login', { body: { email, password } }));
    if (!result.ok) return fail(result.status, { email, message: result.error.message, fields: result.error.fields });
    redirect(303, safeNext(event.url.searchParams.get('next')));
  },
};
