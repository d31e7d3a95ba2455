import { fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import { safeNext } from '$lib/format';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const code = String(form.get('code') ?? '').trim();
    const result = await apiResult(apiFor(event).POST('/api/auth/access-code', { body: { code } }));
    if (!result.ok) return fail(result.status, { code, message: result.error.message, fields: result.error.fields });
    const next = event.url.searchParams.get('next');
    redirect(303, next ? safeNext(next) : `/olympiads/${result.data.olympiadId}`);
  },
};
