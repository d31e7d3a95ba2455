import type { components } from './schema';

type ServerError = components['schemas']['ErrorResponse']['error'];
/**
 * The API's one error shape: a stable code, a Russian message a person can act on, and the fields at fault. The codes
 * are the server's (http/errors.ts ERROR_STATUS), plus 'unknown' for an answer that was not the API's own (a proxy's
 * error page, a lost connection mid-answer).
 */
export type ApiError = Omit<ServerError, 'code'> & { code: ServerError['code'] | 'unknown' };
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

/** What an openapi-fetch call resolves to: its data or the error body, and the response. */
type Answer = { data?: unknown; error?: unknown; response: Response };

const UNKNOWN: ApiError = { code: 'unknown', message: 'Не удалось выполнить запрос. Попробуйте ещё раз.', fields: {} };

function isApiError(value: unknown): value is { error: ApiError } {
  const error = (value as { error?: Partial<ApiError> } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/**
 * One result for every call, typed by the call's path: its data, or the API's error (a proxy's HTML page or an
 * empty body becomes a generic Russian message), with the status either way.
 */
export async function apiResult<A extends Answer>(call: Promise<A>): Promise<ApiResult<NonNullable<A['data']>>> {
  const { data, error, response } = await call;
  if (response.ok) return { ok: true, status: response.status, data: data as NonNullable<A['data']> };
  const body = isApiError(error) ? error.error : UNKNOWN;
  return { ok: false, status: response.status, error: { ...body, fields: body.fields ?? {} } };
}
