import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** Opening the link from the letter is the confirmation: nothing else to press. */
export const load: PageServerLoad = async (event) => {
  const result = await apiResult(
    apiFor(event).POST('/api/auth/email-verification/{token}', { params: { path: { token: event.params.token } } }),
  );
  return {
    confirmed: result.ok ? result.data.message : null,
    problem: result.ok ? null : result.error.message,
    signedIn: !!event.locals.user,
  };
};
