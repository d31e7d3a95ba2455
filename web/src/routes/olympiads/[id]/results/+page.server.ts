import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(
    apiFor(event).GET('/api/olympiads/{olympiadId}/results', { params: { path: { olympiadId: event.params.id } } }),
  );
  if (!result.ok) error(result.status, result.error.message);
  return { results: result.data };
};

/** "45" or "45,5" (per cent) → 0.455; NaN when it is not a number. */
const share = (value: FormDataEntryValue | null) =>
  Number(
    String(value ?? '')
      .trim()
      .replace(',', '.'),
  ) / 100;

export const actions: Actions = {
  work: async (event) => {
    const form = await event.request.formData();
    const result = await apiResult(
      apiFor(event).PUT('/api/olympiads/{olympiadId}/work-settings', {
        params: { path: { olympiadId: event.params.id } },
        body: { showKeysToStudents: form.get('showKeys') === 'on' },
      }),
    );
    if (!result.ok)
      return fail(result.status, { action: 'work', message: result.error.message, fields: result.error.fields });
    return {
      action: 'work',
      done: result.data.showKeysToStudents
        ? 'Участники увидят верные ответы и критерии в показе работ.'
        : 'Верные ответы и критерии участникам не показываются.',
      fields: {} as Record<string, string>,
    };
  },
  rule: async (event) => {
    const form = await event.request.formData();
    const body = {
      thresholdShare: share(form.get('threshold')),
      quotaShare: share(form.get('quota')),
      winners: Number(String(form.get('winners') ?? '').trim()),
      perGrade: form.get('perGrade') === 'on',
    };
    const fields: Record<string, string> = {};
    // Shares are typed in per cent: the limits are said in per cent too (the API's own message speaks of shares).
    for (const [field, label, accusative, example] of [
      ['thresholdShare', 'Порог', 'порог', '50'],
      ['quotaShare', 'Квота', 'квоту', '45'],
    ] as const) {
      const value = body[field];
      if (!Number.isFinite(value)) fields[field] = `Укажите ${accusative} числом процентов, например ${example}.`;
      else if (value > 1) fields[field] = `Поле «${label}»: не больше 100 %.`;
      else if (value < 0) fields[field] = `Поле «${label}»: не меньше 0 %.`;
    }
    if (!Number.isInteger(body.winners)) fields.winners = 'Укажите число победителей целым числом.';
    if (Object.keys(fields).length)
      return fail(400, { action: 'rule', message: 'Проверьте правило награждения.', fields });
    const result = await apiResult(
      apiFor(event).PUT('/api/olympiads/{olympiadId}/award-rule', {
        params: { path: { olympiadId: event.params.id } },
        body,
      }),
    );
    if (!result.ok)
      return fail(result.status, { action: 'rule', message: result.error.message, fields: result.error.fields });
    return {
      action: 'rule',
      done: 'Правило награждения сохранено, итоги пересчитаны.',
      fields: {} as Record<string, string>,
    };
  },
  publish: async (event) => {
    const form = await event.request.formData();
    if (form.get('confirm') !== 'on')
      return fail(400, {
        action: 'publish',
        message: 'Подтвердите публикацию: отметьте, что таблица проверена.',
        fields: { confirm: 'Отметьте, что таблица проверена: после публикации её увидят участники.' } as Record<
          string,
          string
        >,
      });
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/results/publish', {
        params: { path: { olympiadId: event.params.id } },
      }),
    );
    if (!result.ok)
      return fail(result.status, {
        action: 'publish',
        message: result.error.message,
        fields: {} as Record<string, string>,
      });
    return {
      action: 'publish',
      done: 'Итоги опубликованы: участники видят свои результаты.',
      fields: {} as Record<string, string>,
    };
  },
};
