import type { RequestEvent } from '@sveltejs/kit';
import setCookieParser from 'set-cookie-parser';
import type { ErrorResponse } from '@konkurs/server/api-types';

/**
 * The pages' only way to the data: the API of this same process over HTTP, on behalf of the person
 * asking (their cookie and address go along). The session cookie the API sets is passed to the browser.
 */
export type ApiError = ErrorResponse['error'];
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

const SESSION_COOKIE = 'konkurs_session';

function apiBase(): string {
  // Set by the server process once it listens; `pnpm dev` runs the API on port 3000.
  return process.env.KONKURS_API_URL ?? 'http://127.0.0.1:3000';
}

export async function api<T>(event: RequestEvent, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>> {
  if (body === undefined) return send<T>(event, path, method, {}, undefined);
  return send<T>(event, path, method, { 'content-type': 'application/json' }, JSON.stringify(body));
}

/** Sends an uploaded file on to the API as multipart/form-data (e.g. a roster), on behalf of the person asking. */
export function apiUpload<T>(event: RequestEvent, path: string, body: FormData): Promise<ApiResult<T>> {
  return send<T>(event, path, 'POST', {}, body);
}

async function send<T>(event: RequestEvent, path: string, method: string, extraHeaders: Record<string, string>, body: string | FormData | undefined): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-forwarded-for': event.getClientAddress(), ...extraHeaders };
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.cookie = cookie;
  let response: Response;
  try {
    response = await fetch(apiBase() + path, { method, headers, body });
  } catch {
    return { ok: false, status: 503, error: { code: 'api_unavailable', message: 'Сервер временно недоступен. Попробуйте ещё раз через минуту.', fields: {} } };
  }
  passSessionCookie(event, response);
  const json = (await response.json().catch(() => null)) as (T & Partial<ErrorResponse>) | null;
  if (response.ok) return { ok: true, status: response.status, data: json as T };
  return {
    ok: false,
    status: response.status,
    error: json?.error ?? { code: 'unknown', message: 'Не удалось выполнить запрос. Попробуйте ещё раз.', fields: {} },
  };
}

function passSessionCookie(event: RequestEvent, response: Response): void {
  for (const c of setCookieParser.parse(response.headers.getSetCookie())) {
    if (c.name !== SESSION_COOKIE) continue;
    const options = { path: c.path ?? '/', httpOnly: c.httpOnly ?? true, secure: c.secure ?? false, sameSite: 'lax' as const };
    const expired = !c.value || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
    if (expired) event.cookies.delete(c.name, options);
    else event.cookies.set(c.name, c.value, { ...options, maxAge: c.maxAge });
  }
}
