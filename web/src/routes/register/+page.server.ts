import { error, fail, redirect } from '@sveltejs/kit';
import type { ConsentText, MeResponse } from '@konkurs/server/api-types';
import { safeNext } from '$lib/format';
import { api } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const next = event.url.searchParams.get('next');
  if (event.locals.user) redirect(303, next ? safeNext(next) : '/account');
  const consent = await api<ConsentText>(event, 'GET', '/api/auth/consent-text');
  if (!consent.ok) error(consent.status, consent.error.message);
  return { consent: consent.data };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = {
      lastName: String(form.get('lastName') ?? '').trim(),
      firstName: String(form.get('firstName') ?? '').trim(),
      middleName: String(form.get('middleName') ?? '').trim(),
      email: String(form.get('email') ?? '').trim(),
    };
    const result = await api<MeResponse>(event, 'POST', '/api/auth/register', {
      ...values,
      password: String(form.get('password') ?? ''),
      // The API names the checkbox's field when it is not ticked.
      consent: form.get('consent') === 'on',
      consentVersion: String(form.get('consentVersion') ?? ''),
    });
    if (!result.ok) return fail(result.status, { values, message: result.error.message, fields: result.error.fields });
    // Back to where the person came from (e.g. an invitation to a jury), else to the profile.
    const next = event.url.searchParams.get('next');
    redirect(303, next ? safeNext(next) : '/account?welcome=1');
  },
};
