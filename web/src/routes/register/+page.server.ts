import { error, fail, redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/format';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const next = event.url.searchParams.get('next');
  if (event.locals.user) redirect(303, next ? safeNext(next) : '/account');
  const consent = await apiResult(apiFor(event).GET('/api/auth/consent-text'));
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
    const result = await apiResult(
      apiFor(event).POST('/api/auth/register', {
        body: {
          ...values,
          password: String(form.get('password') ?? ''),
          // Sent as it is, ticked or not: the API accepts only `true` and names the checkbox's field otherwise.
          consent: (form.get('consent') === 'on') as true,
          consentVersion: String(form.get('consentVersion') ?? ''),
        },
      }),
    );
    if (!result.ok) return fail(result.status, { values, message: result.error.message, fields: result.error.fields });
    // Back to where the person came from (e.g. an invitation to a jury), else to the profile.
    const next = event.url.searchParams.get('next');
    redirect(303, next ? safeNext(next) : '/account?welcome=1');
  },
};
