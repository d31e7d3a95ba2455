import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { apiResult, type ApiError, type ApiResult } from './result';

export { apiResult, type ApiError, type ApiResult };

/**
 * The browser's way to the API (uploads, autosaves, downloads that do not go through a page's form): the same
 * typed client as the pages' apiFor(event), on the page's own origin, so the session cookie goes along.
 *
 *   const saved = await apiResult(browserApi.PUT('/api/applications/{id}/answers', { params: { path: { id } }, body }));
 *
 * A lost connection rejects, as fetch() does, so each caller keeps its own «нет связи» handling (an autosave's
 * message, an answer queue's retry) instead of getting a made-up status.
 */
export const browserApi = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/**
 * The body serializer of upload routes: their declared fields (the file in `file`) as multipart/form-data; the
 * browser sets the content type with its boundary.
 *
 *   browserApi.POST('/api/contests/{id}/rules-file', { params, body: { file }, bodySerializer: formData })
 */
export function formData(body: Record<string, Blob | string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) form.append(name, value);
  return form;
}

/**
 * The API's message, or the caller's own sentence when the answer carried none (a proxy's page, an empty body):
 * apiResult marks those with the code 'unknown', which the API itself never sends.
 */
export function messageOr(error: ApiError, fallback: string): string {
  return error.code === 'unknown' ? fallback : error.message;
}
