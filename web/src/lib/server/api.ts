import type { RequestEvent } from '@sveltejs/kit';
import createClient, { type Middleware } from 'openapi-fetch';
import setCookieParser from 'set-cookie-parser';
import type { paths } from '$lib/api/schema';
import { apiResult, type ApiError, type ApiResult } from '$lib/api/result';

export { apiResult, type ApiError, type ApiResult };

/**
 * The pages' only way to the data: the API of this same process over HTTP, through a client generated from the
 * API's OpenAPI document (`pnpm api:types`), so every path, parameter, body and response is checked by `pnpm check`.
 * Requests go on behalf of the person asking (their cookie and address go along); the session cookie the API sets is
 * passed on to the browser.
 *
 *   const api = apiFor(event);
 *   const result = await apiResult(api.PUT('/api/contests/{id}', { params: { path: { id } }, body }));
 *   if (!result.ok) return fail(result.status, { message: result.error.message, fields: result.error.fields });
 */
export function apiFor(event: RequestEvent) {
  const client = createClient<paths>({ baseUrl: apiBase() });
  client.use(onBehalfOf(event));
  return client;
}

export type Api = ReturnType<typeof apiFor>;

const SESSION_COOKIE = 'konkurs_session';

function apiBase(): string {
  // Set by the server process once it listens; `pnpm dev` runs the API on port 3000.
  return process.env.KONKURS_API_URL ?? 'http://127.0.0.1:3000';
}

function onBehalfOf(event: RequestEvent): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('accept', 'application/json');
      request.headers.set('x-forwarded-for', event.getClientAddress());
      const cookie = event.request.headers.get('cookie');
      if (cookie) request.headers.set('cookie', cookie);
      return request;
    },
    onResponse({ response }) {
      passSessionCookie(event, response);
      return response;
    },
    onError() {
      // The API did not answer at all: the person gets a sentence, not a stack trace.
      return Response.json(
        {
          error: {
            code: 'api_unavailable',
            message: 'Сервер временно недоступен. Попробуйте ещё раз через минуту.',
            fields: {},
          },
        },
        { status: 503 },
      );
    },
  };
}

function passSessionCookie(event: RequestEvent, response: Response): void {
  for (const c of setCookieParser.parse(response.headers.getSetCookie())) {
    if (c.name !== SESSION_COOKIE) continue;
    const options = {
      path: c.path ?? '/',
      httpOnly: c.httpOnly ?? true,
      secure: c.secure ?? false,
      sameSite: 'lax' as const,
    };
    const expired = !c.value || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
    if (expired) event.cookies.delete(c.name, options);
    else event.cookies.set(c.name, c.value, { ...options, maxAge: c.maxAge });
  }
}
