import { error, fail, redirect } from '@sveltejs/kit';
import { readScoreForm } from '$lib/jury-juror';
import { apiFor, apiResult } from '$lib/server/api';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const entry = (event: { params: { id: string } }) => ({ path: { applicationId: event.params.id } });

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiResult(apiFor(event).GET('/api/jury/entries/{applicationId}', { params: entry(event) }));
  if (!result.ok) error(result.status, result.error.message);
  return { entry: result.data.entry, sent: event.url.searchParams.has('sent') };
};

/** Reads the score form against the entry's rubric; a value that is not a number is refused here, naming the criterion. */
async function readSheet(event: RequestEvent) {
  const form = await event.request.formData();
  const current = await apiResult(apiFor(event).GET('/api/jury/entries/{applicationId}', { params: entry(event) }));
  if (!current.ok)
    return {
      ok: false as const,
      failure: fail(current.status, { message: current.error.message, fields: current.error.fields }),
    };
  const { typed, body, fields } = readScoreForm(form, current.data.entry.rubric?.criteria ?? []);
  if (Object.keys(fields).length) {
    return {
      ok: false as const,
      failure: fail(400, { message: `Проверьте оценку. ${Object.values(fields)[0]}`, fields, values: typed }),
    };
  }
  return { ok: true as const, body, typed, entry: current.data.entry };
}

async function saveDraft(event: RequestEvent) {
  const read = await readSheet(event);
  if (!read.ok) return read;
  const saved = await apiResult(
    apiFor(event).PUT('/api/jury/entries/{applicationId}/sheet', { params: entry(event), body: read.body }),
  );
  if (!saved.ok)
    return {
      ok: false as const,
      failure: fail(saved.status, { message: saved.error.message, fields: saved.error.fields, values: read.typed }),
    };
  return { ok: true as const, sheet: saved.data.sheet, maxTotal: read.entry.rubric?.maxTotal ?? 0 };
}

export const actions: Actions = {
  save: async (event) => {
    const result = await saveDraft(event);
    if (!result.ok) return result.failure;
    return { saved: true };
  },
  /** Saves the draft and asks to confirm: a sent sheet can only be changed by the chair. */
  submit: async (event) => {
    const result = await saveDraft(event);
    if (!result.ok) return result.failure;
    return { confirm: true, total: result.sheet.total, maxTotal: result.maxTotal };
  },
  confirm: async (event) => {
    const sent = await apiResult(
      apiFor(event).POST('/api/jury/entries/{applicationId}/sheet/submit', { params: entry(event) }),
    );
    if (!sent.ok) return fail(sent.status, { message: sent.error.message, fields: sent.error.fields });
    redirect(303, `/jury/entries/${event.params.id}?sent=1`);
  },
  conflict: async (event) => {
    const form = await event.request.formData();
    const reason = String(form.get('reason') ?? '');
    const api = apiFor(event);
    const current = await apiResult(api.GET('/api/jury/entries/{applicationId}', { params: entry(event) }));
    if (!current.ok)
      return fail(current.status, {
        conflictMessage: current.error.message,
        conflictFields: current.error.fields,
        reason,
      });
    const declared = await apiResult(
      api.POST('/api/jury/entries/{applicationId}/conflict', { params: entry(event), body: { reason } }),
    );
    if (!declared.ok)
      return fail(declared.status, {
        conflictMessage: declared.error.message,
        conflictFields: declared.error.fields,
        reason,
      });
    redirect(303, `/jury/contests/${current.data.entry.contest.id}?conflict=1`);
  },
};
