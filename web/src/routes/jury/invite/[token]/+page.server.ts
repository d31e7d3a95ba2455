import { fail } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiResult(
    apiFor(event).GET('/api/jury/invitations/{token}', { params: { path: { token: event.params.token } } }),
  );
  // An unknown, used or expired link is shown as a message on the page, not as an error page: the person needs to know what to do.
  return {
    invitation: result.ok ? result.data : null,
    problem: result.ok ? null : result.error.message,
    user: event.locals.user,
    here: event.url.pathname,
  };
};

export const actions: Actions = {
  accept: async (event) => {
    const result = await apiResult(
      apiFor(event).POST('/api/jury/invitations/{token}/accept', { params: { path: { token: event.params.token } } }),
    );
    if (!result.ok) return fail(result.status, { message: result.error.message });
    return { accepted: result.data };
  },
  // The confirmation letter again, without leaving the invitation: its link brings the person back here.
  resend: async (event) => {
    const result = await apiResult(apiFor(event).POST('/api/auth/email-verification'));
    if (!result.ok) return fail(result.status, { message: result.error.message });
    return { resent: result.data.message };
  },
};
