import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { apiResult, type ApiError, type ApiResult } from './result';
import { formData } from './multipart';

export { apiResult, formData, type ApiError, type ApiResult };

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
 * The API's message, or the caller's own sentence when the answer carried none (a proxy's page, an empty body):
 * apiResult marks those with the code 'unknown', which the API itself never sends.
 */
export function messageOr(error: ApiError, fallback: string): string {
  return error.code === 'unknown' ? fallback : error.message;
}
