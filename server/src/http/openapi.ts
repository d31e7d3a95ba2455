import type { FastifyInstance, RouteOptions } from 'fastify';
import type { SwaggerOptions } from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import { errorResponses, unauthorized } from './errors.ts';
import { SESSION_COOKIE } from '../modules/auth/sessions.ts';

/**
 * The OpenAPI document of the API, generated from the routes' schemas, and the rules that keep it true:
 * - every route needs the session cookie unless its schema says `security: PUBLIC` (the gate below enforces exactly
 *   what the document says, before a body is validated, so a stranger learns nothing about a protected route);
 * - every route gets an operationId from its method and path, and the error responses every route can give;
 * - downloads declare their media types with fileResponse().
 * The pages' typed client (web/src/lib/api/schema.d.ts, `pnpm api:types`) is generated from this document.
 */

export const SESSION_SCHEME = 'session';

/** A route anyone may call; a session, when there is one, is still read (e.g. organizers see more). */
export const PUBLIC: { [scheme: string]: string[] }[] = [{}, { [SESSION_SCHEME]: [] }];

/** The response of a download: a file of one of the given media types, not JSON. */
export function fileResponse(description: string, ...mediaTypes: string[]) {
  const schema = { type: 'string', format: 'binary' };
  return Type.Unsafe<unknown>({ description, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema }])) });
}

export const MEDIA = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  any: 'application/octet-stream',
} as const;

/** The body of an upload route, as the document states it: one file in the field `file`. */
const UPLOAD_BODY = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: 'Файл' } },
};

type RouteSchema = NonNullable<RouteOptions['schema']> & { security?: unknown[]; operationId?: string };

const isPublic = (schema: RouteSchema | undefined) =>
  !!schema?.security?.some((s) => Object.keys(s as object).length === 0);

/** `PUT /api/contests/:id/jury/settings` → `putContestsByIdJurySettings`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .flatMap((part) => (part.startsWith(':') ? ['by', part.slice(1)] : [part]));
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

export function swaggerOptions(publicUrl: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Konkurs API', description: 'API платформы конкурсов и олимпиад Konkurs', version: '1.0.0' },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          [SESSION_SCHEME]: {
            type: 'apiKey',
            in: 'cookie',
            name: 'konkurs_session',
            description: 'Сессия, которую выдаёт вход (POST /api/auth/login)',
          },
        },
      },
      security: [{ [SESSION_SCHEME]: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const s = (schema ?? {}) as RouteSchema;
      const method = Array.isArray(route.method) ? route.method[0] : route.method;
      // The errors any route of its kind can give; a route declares its own (404, 409 …) beside them.
      const takesInput = !!(s.body || s.querystring || s.params);
      const limited = !!(route.config as { rateLimit?: unknown } | undefined)?.rateLimit;
      const common = errorResponses(
        ...(takesInput ? [400] : []),
        ...(isPublic(s) ? [] : [401, 403]),
        ...(limited ? [429] : []),
        503,
      );
      const multipart = (s as { consumes?: string[] }).consumes?.includes('multipart/form-data');
      const input = {
        ...(s.querystring ? { querystring: withDefaultsOptional(s.querystring) } : {}),
        ...(s.body ? { body: withDefaultsOptional(s.body) } : {}),
        // Upload routes stream their body themselves (request.file()), so they declare none for the validator.
        ...(multipart ? { body: UPLOAD_BODY } : {}),
      };
      return {
        url,
        schema: {
          ...s,
          ...input,
          operationId: s.operationId ?? operationIdOf(method, url),
          response: { ...common, ...(s.response as object) },
        } as never,
      };
    },
  };
}

/**
 * A field with a default is one the client may leave out (the server's validator fills it in before the route runs), so
 * the document lists it as optional; the route's own schema, which validates, is left as it is.
 */
function withDefaultsOptional(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withDefaultsOptional);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, withDefaultsOptional(v)]),
  );
  const properties = copy.properties as Record<string, { default?: unknown }> | undefined;
  if (properties && Array.isArray(copy.required)) {
    copy.required = (copy.required as string[]).filter((name) => properties[name]?.default === undefined);
  }
  return copy;
}

/**
 * Refuses a request without a session to any route the document marks as needing one, before its body is read.
 * The routes still check roles themselves; a route that checks the session inside its own statement
 * (`sessionCheckedByRoute`) is only refused here when no session cookie came at all.
 */
export function registerSessionGate(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const { schema, config } = request.routeOptions;
    if (!request.url.startsWith('/api/') || !schema || (schema as { hide?: boolean }).hide) return done();
    if (isPublic(schema as RouteSchema)) return done();
    const signedIn = config?.sessionCheckedByRoute ? !!request.cookies[SESSION_COOKIE] : !!request.session;
    if (!signedIn) throw unauthorized();
    done();
  });
}
