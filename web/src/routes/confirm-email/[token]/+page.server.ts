import type { EmailConfirmed } from '@konkurs/server/api-types';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** Opening the link from the letter is the confirmation: nothing else to press. */
export const load: PageServerLoad = async (event) => {
  const result = await api<EmailConfirmed>(event, 'POST', `/api/auth/email-verification/${encodeURIComponent(event.params.token)}`);
  return { confirmed: result.ok ? result.data.message : null, problem: result.ok ? null : result.error.message, signedIn: !!event.locals.user };
};
