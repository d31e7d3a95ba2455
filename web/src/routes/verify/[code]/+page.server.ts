import { apiFor, apiResult } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** What the page says when the check itself did not go through: each known refusal in its own words. */
const FAILURE_TITLES: Record<number, string> = {
  400: 'Код не распознан',
  404: 'Документ не найден',
  429: 'Слишком много проверок подряд',
  503: 'Проверка временно недоступна',
};

export const load: PageServerLoad = async (event) => {
  const result = await apiResult(
    apiFor(event).GET('/api/verify/{code}', { params: { path: { code: event.params.code } } }),
  );
  if (result.ok) return { certificate: result.data, failure: null };
  // The API's own message (e.g. «Слишком много проверок подряд. Повторите через 42 с.»), never a generic error page.
  const message =
    result.status === 400
      ? 'Код проверки — 16 букв и цифр, как под QR-кодом на документе, например 7K2M-9QXD-P4TA-2WFE. Проверьте, что он введён полностью.'
      : result.error.message;
  return {
    certificate: null,
    failure: { status: result.status, title: FAILURE_TITLES[result.status] ?? 'Проверка не удалась', message },
  };
};
