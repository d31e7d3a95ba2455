import { error, fail, redirect } from '@sveltejs/kit';
import type { paths } from '$lib/api/schema';
import { apiFor, apiResult } from '$lib/server/api';
import { isOneOf, notOneOf } from '$lib/one-of';
import { definitionFromDraft, draftFromForm, KINDS } from '$lib/olympiad/task-draft';
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
  const kind = event.url.searchParams.get('kind') ?? '';
  return {
    list: result.data,
    corrections: corrections.ok ? corrections.data.corrections : [],
    /** The task open in the editor (?edit=…), the kind chosen for a new one (?kind=…, without the page's script). */
    editId: event.url.searchParams.get('edit') ?? '',
    kind: KINDS.find((k) => k === kind) ?? 'single',
    saved: event.url.searchParams.get('saved') ?? '',
    added: event.url.searchParams.has('added'),
  };
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
type ImportBody =
  paths['/api/olympiads/{olympiadId}/tasks/import']['post']['requestBody']['content']['application/json'];
type CorrectionBody =
  paths['/api/olympiads/{olympiadId}/tasks/{taskId}/correction']['post']['requestBody']['content']['application/json'];
const CORRECTION_ACTIONS: readonly CorrectionBody['action'][] = ['key', 'void_full', 'void_zero'];

type Action = 'settings' | 'import' | 'delete' | 'move' | 'correct';
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
  /** A new task or a changed one, from the editor's form; what was typed comes back with a refusal. */
  save: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const draft = draftFromForm(form);
    const refused = (status: number, message: string, fields: Record<string, string> = {}) =>
      fail(status, { action: 'save' as const, message, fields, draft, task: taskId });
    const def = definitionFromDraft(draft);
    if (!def.ok) return refused(400, `Проверьте задание. ${Object.values(def.fields)[0]}`, def.fields);
    const api = apiFor(event);
    const result = taskId
      ? await apiResult(
          api.PUT('/api/olympiads/{olympiadId}/tasks/{taskId}', {
            params: { path: { olympiadId: event.params.id, taskId } },
            body: def.body,
          }),
        )
      : await apiResult(
          api.POST('/api/olympiads/{olympiadId}/tasks', {
            params: { path: { olympiadId: event.params.id } },
            body: def.body,
          }),
        );
    if (!result.ok) return refused(result.status, result.error.message, result.error.fields);
    // Stored: the page is shown anew, with the task in the list (and the editor empty for the next one).
    const saved = result.data.id;
    redirect(303, `/olympiads/${event.params.id}/tasks?saved=${saved}${taskId ? '' : '&added'}#task-${saved}`);
  },
  /** One task one place up or down: the whole new order goes to the API, which checks it names every task. */
  move: async (event) => {
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const by = form.get('direction') === 'up' ? -1 : 1;
    const api = apiFor(event);
    const params = { path: { olympiadId: event.params.id } };
    const list = await apiResult(api.GET('/api/olympiads/{olympiadId}/tasks', { params }));
    if (!list.ok) return refuse(list.status, 'move', list.error.message);
    const ids = list.data.tasks.map((t) => t.id);
    const from = ids.indexOf(taskId);
    const to = from + by;
    if (from < 0 || to < 0 || to >= ids.length)
      return refuse(400, 'move', 'Это задание нельзя сдвинуть дальше. Обновите страницу.');
    [ids[from], ids[to]] = [ids[to], ids[from]];
    const result = await apiResult(
      api.PUT('/api/olympiads/{olympiadId}/tasks/order', { params, body: { taskIds: ids } }),
    );
    if (!result.ok) return refuse(result.status, 'move', result.error.message);
    return { action: 'move', task: taskId, done: `Задание ${from + 1} теперь под номером ${to + 1}.` };
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
