import { error, fail } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiResult(
    apiFor(event).GET('/api/olympiads/{olympiadId}/registration', {
      params: { path: { olympiadId: event.params.id } },
    }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { info: result.data };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const text = (name: string) => String(form.get(name) ?? '');
    const values = {
      lastName: text('lastName'),
      firstName: text('firstName'),
      middleName: text('middleName'),
      school: text('school'),
      grade: text('grade'),
      className: text('className'),
      guardianName: text('guardianName'),
    };
    const grade = Number(values.grade);
    if (!Number.isInteger(grade) || grade < 1) {
      return fail(400, {
        values,
        message: 'Выберите класс (параллель).',
        fields: { grade: 'Выберите класс (параллель).' } as Record<string, string>,
      });
    }
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/register', {
        params: { path: { olympiadId: event.params.id } },
        body: {
          ...values,
          grade,
          guardianConsent: form.get('guardianConsent') === 'on',
          consentVersion: text('consentVersion'),
        },
      }),
    );
    if (!result.ok) return fail(result.status, { values, message: result.error.message, fields: result.error.fields });
    // The code is shown once, here; the student is signed in already (the API set the session cookie). This request
    // began signed out: the header, rendered after this action, must show the student.
    event.locals.user = result.data.user;
    return { accessCode: result.data.accessCode, fullName: result.data.user.fullName };
  },
};
