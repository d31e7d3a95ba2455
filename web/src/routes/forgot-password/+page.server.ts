import { fail } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ email: url.searchParams.get('email') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const result = await apiResult(apiFor(event).POST('/api/auth/password-reset', { body: { email } }));
    if (!result.ok) return fail(result.status, { email, message: result.error.message, fields: result.error.fields });
    return { email, sent: result.data.message };
  },
};
