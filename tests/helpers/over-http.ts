import type { App, InjectResponse } from './app.ts';

/** What the API helpers of tests/helpers call: the part of Fastify's inject they use. */
interface InjectOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
  remoteAddress?: string;
}

/**
 * The test helpers (registerUser, enrolStudents, takeOlympiad …) driven against real server processes over HTTP instead
 * of an in-process app: each request goes to the next of `baseUrls` in turn, so with two processes every second request
 * of a student lands on the other one. `remoteAddress` becomes X-Forwarded-For, which the servers believe from loopback.
 */
export function overHttp(baseUrls: string[]): App {
  let next = 0;
  const inject = async (options: InjectOptions): Promise<InjectResponse> => {
    const base = baseUrls[next++ % baseUrls.length];
    const headers: Record<string, string> = { ...options.headers };
    if (options.remoteAddress) headers['x-forwarded-for'] = options.remoteAddress;
    let body: BodyInit | undefined;
    if (Buffer.isBuffer(options.payload)) body = new Uint8Array(options.payload);
    else if (typeof options.payload === 'string') body = options.payload;
    else if (options.payload !== undefined) {
      body = JSON.stringify(options.payload);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + options.url, { method: options.method, headers, body });
    const text = await res.text();
    const responseHeaders: Record<string, string | string[]> = Object.fromEntries(res.headers);
    const cookies = res.headers.getSetCookie();
    if (cookies.length) responseHeaders['set-cookie'] = cookies;
    return {
      statusCode: res.status,
      body: text,
      headers: responseHeaders,
      json: () => JSON.parse(text) as unknown,
    } as unknown as InjectResponse;
  };
  return { inject } as unknown as App;
}
