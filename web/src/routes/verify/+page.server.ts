import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async ({ request }) => {
    const code = String((await request.formData()).get('code') ?? '').trim();
    redirect(303, `/verify/${encodeURIComponent(code.replace(/\s+/g, '') || '-')}`);
  },
};
