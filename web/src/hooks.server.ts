import { error, type Handle } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';

/** Every page learns who is signed in from the API. */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  if (event.cookies.get('konkurs_session')) {
    const me = await apiResult(apiFor(event).GET('/api/auth/me'));
    if (me.ok) event.locals.user = me.data.user;
    // The API cannot tell who it is (its database is restarting): say so, rather than treat the person as signed out.
    else if (me.status === 503) error(503, me.error.message);
  }
  return resolve(event);
};
