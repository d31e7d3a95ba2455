import { error, fail, redirect } from '@sveltejs/kit';
import type { paths } from '$lib/api/schema';
import { apiFor, apiResult } from '$lib/server/api';
import { isOneOf, notOneOf } from '$lib/one-of';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = apiFor(event);
  const params = { path: { olympiadId: event.params.id } };
  const [result, corrections] = await Promise.all([
    apiResult(api.GET('/api/olympiads/{olympiadId}/tasks', { params })),
    apiResult(api.GET('/api/olympiads/{olympiadId}/corrections', { params })),
  ]);
  if (!result.ok) error(result.status, result.error.message);
  return { list: result.data, corrections: corrections.ok ? corrections.data.corrections : [] };
};

/** Reads JSON typed or uploaded by the organizer; a syntax error is reported at the field. */
function parseJson(
  text: string,
  field: string,
): { ok: true; value: unknown } | { ok: false; fields: Record<string, string>; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const message = 'Это не JSON: проверьте кавычки, запятые и скобки.';
    return { ok: false, fields: { [field]: message }, message };
  }
}

/**
 * The organizer's JSON is sent as they wrote it: the API checks it against these bodies and names the fields at fault,
 * so the page does not repeat that check (it only catches JSON that does not parse).
 */
type TaskBody = paths['/api/olympiads/{olympiadId}/tasks']['post']['requestBody']['content']['application/json'];
type ImportBody =
  paths['/api/olympiads/{olympiadId}/tasks/import']['post']['requestBody']['content']['application/json'];
type CorrectionBody =
  paths['/api/olympiads/{olympiadId}/tasks/{taskId}/correction']['post']['requestBody']['content']['application/json'];
const CORRECTION_ACTIONS: readonly CorrectionBody['action'][] = ['key', 'void_full', 'void_zero'];

type Action = 'settings' | 'import' | 'add' | 'delete' | 'correct';
/** One shape for every refusal, so the page can show each message at its field. */
const refuse = (status: number, action: Action, message: string, fields: Record<string, string> = {}, task = '') =>
  fail(status, { action, message, fields, task });

export const actions: Actions = {
  /** A key corrected or a task voided after the start: every attempt is graded again (key-correction-service.ts). */
  correct: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const action = String(form.get('action') ?? '');
    if (!isOneOf(CORRECTION_ACTIONS, action)) {
      const message = notOneOf('Что сделать');
      return refuse(400, 'correct', `Проверьте введённые данные. ${message}`, { action: message }, taskId);
    }
    const reason = String(form.get('reason') ?? '');
    let key: Record<string, unknown> | undefined;
    if (action === 'key') {
      const parsed = parseJson(String(form.get('key') ?? ''), 'key');
      if (!parsed.ok) return refuse(400, 'correct', parsed.message, parsed.fields, taskId);
      key = parsed.value as Record<string, unknown>;
    }
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/tasks/{taskId}/correction', {
        params: { path: { olympiadId: event.params.id, taskId } },
        body: { action, key, reason },
      }),
    );
    if (!result.ok) return refuse(result.status, 'correct', result.error.message, result.error.fields, taskId);
    return {
      action: 'correct',
      task: taskId,
      done: `Задание ${result.data.taskNumber}: работы пересчитаны. Изменились итоги у участников: ${result.data.changes.length}${
        result.data.notified ? `; писем поставлено в очередь на отправку: ${result.data.notified}` : ''
      }.`,
      changes: result.data.changes,
    };
  },
  settings: async (event) => {
    const form = await event.request.formData();
    const body = {
      shuffleTasks: form.get('shuffleTasks') === 'on',
      shuffleOptions: form.get('shuffleOptions') === 'on',
    };
    const result = await apiResult(
      apiFor(event).PUT('/api/olympiads/{olympiadId}/settings', {
        params: { path: { olympiadId: event.params.id } },
        body,
      }),
    );
    if (!result.ok) return refuse(result.status, 'settings', result.error.message, result.error.fields);
    return { action: 'settings', done: 'Настройки сохранены.' };
  },
  import: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    const mode = form.get('mode') === 'replace' ? 'replace' : 'append';
    if (!(file instanceof File) || file.size === 0) {
      return refuse(400, 'import', 'Выберите файл с заданиями (JSON).', { file: 'Выберите файл с заданиями (JSON).' });
    }
    const parsed = parseJson(await file.text(), 'file');
    if (!parsed.ok) return refuse(400, 'import', parsed.message, parsed.fields);
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/tasks/import', {
        params: { path: { olympiadId: event.params.id }, query: { mode } },
        body: parsed.value as ImportBody,
      }),
    );
    if (!result.ok)
      return refuse(result.status, 'import', result.error.message, {
        file: result.error.message,
        ...result.error.fields,
      });
    return { action: 'import', done: `Загружено заданий: ${result.data.tasks.length}.` };
  },
  add: async (event) => {
    const form = await event.request.formData();
    const text = String(form.get('task') ?? '');
    const parsed = parseJson(text, 'task');
    if (!parsed.ok) return refuse(400, 'add', parsed.message, parsed.fields, text);
    const result = await apiResult(
      apiFor(event).POST('/api/olympiads/{olympiadId}/tasks', {
        params: { path: { olympiadId: event.params.id } },
        body: parsed.value as TaskBody,
      }),
    );
    if (!result.ok)
      return refuse(
        result.status,
        'add',
        result.error.message,
        { task: result.error.message, ...result.error.fields },
        text,
      );
    return { action: 'add', done: 'Задание добавлено.' };
  },
  delete: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const result = await apiResult(
      apiFor(event).DELETE('/api/olympiads/{olympiadId}/tasks/{taskId}', {
        params: { path: { olympiadId: event.params.id, taskId } },
      }),
    );
    if (!result.ok) return refuse(result.status, 'delete', result.error.message);
    return { action: 'delete', done: 'Задание удалено.' };
  },
};
