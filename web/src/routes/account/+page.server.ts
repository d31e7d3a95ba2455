import { fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  const certificates = await apiResult(apiFor(event).GET('/api/certificates/mine'));
  return {
    user: locals.user,
    welcome: url.searchParams.has('welcome'),
    passwordReset: url.searchParams.get('password') === 'reset',
    certificates: certificates.ok ? certificates.data.certificates : [],
  };
};

export const actions: Actions = {
  password: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).PUT('/api/auth/password', {
        body: {
          currentPassword: String(form.get('currentPassword') ?? ''),
          newPassword: String(form.get('newPassword') ?? ''),
        },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        password: { done: null, message: result.error.message, fields: result.error.fields },
      });
    return { password: { done: result.data.message, message: null, fields: {} as Record<string, string> } };
  },
  resend: async (event) => {
    const result = await apiResult(apiFor(event).POST('/api/auth/email-verification'));
    if (!result.ok) return fail(result.status, { resend: { done: undefined, message: result.error.message } });
    return { resend: { done: result.data.message, message: undefined } };
  },
};
