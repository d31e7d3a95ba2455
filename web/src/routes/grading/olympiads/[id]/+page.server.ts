import { error, fail, redirect } from '@sveltejs/kit';
import type { GradeResult } from '@konkurs/server/api-types';
import { apiFor, apiResult } from '$lib/server/api';
import { parsePoints } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/grading/olympiads/{olympiadId}/queue', {
      params: { path: { olympiadId: event.params.id } },
    }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { queue: result.data };
};

const STATE_DONE: Record<GradeResult['state'], string> = {
  waiting: 'Оценка сохранена. Ответ ждёт второго проверяющего.',
  final: 'Оценка сохранена. Баллы за ответ определены.',
  disputed:
    'Оценка сохранена. Оценки расходятся больше допустимого: решает председатель (или третий проверяющий, если председатель оценивал этот ответ).',
};

export const actions: Actions = {
  grade: async (event) => {
    const form = await event.request.formData();
    const cipher = String(form.get('cipher') ?? '');
    const taskId = String(form.get('taskId') ?? '');
    const key = `${cipher}/${taskId}`;
    const comment = String(form.get('comment') ?? '');
    const count = Number(form.get('criteriaCount') ?? 0);
    let points: { points: number } | { criteria: number[] };
    if (count > 0) {
      // Per criterion: each typed value, «3» or «2,5»; the server checks each against its part and sums them.
      const typed = Array.from({ length: count }, (_, i) => String(form.get(`criterion-${i}`) ?? ''));
      const criteria: number[] = [];
      const fields: Record<string, string> = {};
      typed.forEach((v, i) => {
        const p = parsePoints(v);
        if (p === null) fields[`criteria.${i}`] = 'Укажите баллы числом, например 3 или 2,5.';
        else criteria.push(p);
      });
      if (Object.keys(fields).length)
        return fail(400, { key, message: 'Проверьте баллы по критериям.', fields, comment, typed });
      points = { criteria };
    } else {
      const value = parsePoints(String(form.get('points') ?? ''));
      if (value === null) {
        return fail(400, {
          key,
          message: 'Укажите баллы числом, например 7 или 7,5.',
          fields: { points: 'Укажите баллы числом, например 7 или 7,5.' } as Record<string, string>,
          comment,
        });
      }
      points = { points: value };
    }
    const result = await apiResult(
      apiFor(event).PUT('/api/grading/olympiads/{olympiadId}/grades', {
        params: { path: { olympiadId: event.params.id } },
        body: { cipher, taskId, ...points, comment },
      }),
    );
    if (!result.ok)
      return fail(result.status, { key, message: result.error.message, fields: result.error.fields, comment });
    return {
      key,
      done: result.data.round === 3 ? 'Решение по спорному ответу сохранено.' : STATE_DONE[result.data.state],
    };
  },
};
