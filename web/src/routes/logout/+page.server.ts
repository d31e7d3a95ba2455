import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/format';
import { apiFor } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async (event) => {
    await apiFor(event).POST('/api/auth/logout');
    event.cookies.delete('konkurs_session', { path: '/' });
    // Signing out to sign in as someone else (an invitation to another address) leads to the sign-in page, then back.
    const next = event.url.searchParams.get('next');
    redirect(303, next ? `/login?next=${encodeURIComponent(safeNext(next))}` : '/');
  },
};
