/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is walked as plain JSON */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validate } from '@readme/openapi-parser';
import { createDb } from '@konkurs/db';
import { apiTypesSource } from '../../web/scripts/openapi-document.ts';
import { readFileSync } from 'node:fs';
import { buildTestApp, isRussian, PUBLIC_URL, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../server/src/http/errors.ts';

let t: TestDb;
let app: App;
let doc: any;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

interface Route {
  method: string;
  url: string;
}

/**
 * Every route the app has, read from Fastify's radix tree (printRoutes(): one node per shared prefix, each
 * nested under its parent, with the methods of the route that ends there). Concatenating the prefixes gives
 * each route's exact path; the routes found are then confirmed with app.hasRoute, so a change in the print
 * format cannot silently make the list short. (printRoutes({ commonPrefix: false }) is lossy for wildcard routes.)
 */
function registeredRoutes(instance: App): Route[] {
  const tree = instance.printRoutes();
  const stack: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    if (!line.trim()) continue;
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) throw new Error(`Unexpected line in printRoutes: "${line}"`);
    const depth = match[1].length / 4;
    stack.length = depth;
    stack.push(match[2]);
    const url = stack.join('');
    const methods = (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => /^[A-Z]+$/.test(m));
    for (const method of methods) routes.push({ method, url });
  }
  return routes;
}

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const isDocsRoute = (url: string) => url === '/api/openapi.json' || url === '/api/docs' || url.startsWith('/api/docs/');

function apiRoutes(): Route[] {
  return registeredRoutes(app).filter((r) => r.url.startsWith('/api/') && !isDocsRoute(r.url) && r.method !== 'HEAD');
}

function collectRefs(node: unknown, refs: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, refs));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') refs.push(value);
      else collectRefs(value, refs);
    }
  }
  return refs;
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('route discovery', () => {
  test('finds the routes the API is known to have, and only routes that exist', () => {
    const routes = registeredRoutes(app);
    for (const r of routes.filter((route) => route.method !== 'HEAD')) {
      expect(app.hasRoute({ method: r.method as 'GET', url: r.url }), `${r.method} ${r.url}`).toBe(true);
    }
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const known of [
      'GET /api/health',
      'POST /api/auth/login',
      'GET /api/users',
      'PUT /api/users/:id/roles',
      'GET /api/events',
      'GET /api/openapi.json',
    ]) {
      expect(keys).toContain(known);
    }
    expect(apiRoutes().length).toBeGreaterThanOrEqual(9);
  });
});

describe('GET /api/openapi.json', () => {
  test('is an OpenAPI 3 document about this API', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(isRussian(doc.info.description)).toBe(true);
    expect(doc.servers).toEqual([{ url: PUBLIC_URL }]);
    expect(typeof doc.paths).toBe('object');
  });

  test('is well-formed: every $ref resolves, names are valid, operations have responses with descriptions', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/components\//);
      expect(resolvePointer(doc, ref), `unresolved ${ref}`).toBeDefined();
    }
    for (const name of Object.keys(doc.components?.schemas ?? {})) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);

    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === 'parameters' || method === 'summary' || method === 'description' || method === 'servers')
          continue;
        expect(HTTP_METHODS, `${path}: ${method}`).toContain(method);
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [status, response] of Object.entries<any>(op.responses)) {
          expect(status).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
          expect(typeof response.description, `${method} ${path} ${status}`).toBe('string');
        }
        if (op.operationId) {
          expect(operationIds.has(op.operationId)).toBe(false);
          operationIds.add(op.operationId);
        }
        // Every {param} of the path template is declared as a required path parameter.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          const param = (op.parameters ?? []).find((p: any) => p.in === 'path' && p.name === name);
          expect(param, `${method} ${path}: parameter ${name}`).toBeDefined();
          expect(param.required).toBe(true);
        }
      }
    }
  });

  test('covers every API route with its method and a 200/201 response schema', () => {
    const routes = apiRoutes();
    const missing: string[] = [];
    for (const { method, url } of routes) {
      const op = doc.paths[toOpenApiPath(url)]?.[method.toLowerCase()];
      if (!op) {
        missing.push(`${method} ${url}`);
        continue;
      }
      const success = op.responses?.['200'] ?? op.responses?.['201'];
      expect(success, `${method} ${url}: no 200/201 response`).toBeDefined();
      const media = Object.values<any>(success.content ?? {});
      expect(media.length, `${method} ${url}: no response content`).toBeGreaterThan(0);
      for (const m of media) expect(m.schema, `${method} ${url}: no response schema`).toBeDefined();
      expect(typeof op.summary, `${method} ${url}: summary`).toBe('string');
      expect(op.tags?.length, `${method} ${url}: tags`).toBeGreaterThan(0);
    }
    expect(missing, 'routes missing from the OpenAPI document').toEqual([]);
  });

  test('documents no route that does not exist', () => {
    const registered = new Set(apiRoutes().map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.url)}`));
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(item).filter((m) => HTTP_METHODS.includes(m))) {
        expect(registered.has(`${method} ${path}`), `${method} ${path}`).toBe(true);
      }
    }
  });

  test('error responses use the one error shape', () => {
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
          if (Number(status) < 400) continue;
          expect(response.content['application/json'].schema, `${method} ${path} ${status}`).toEqual({
            $ref: '#/components/schemas/ErrorResponse',
          });
        }
      }
    }
  });

  test('error codes are one list with one status each; the document names them, and the server answers with their status', async () => {
    const codes: string[] = doc.components.schemas.ErrorResponse.properties.error.properties.code.enum;
    expect(codes).toEqual(Object.keys(ERROR_STATUS));
    expect(codes).toEqual(expect.arrayContaining(['validation', 'not_found', 'answer_late', 'database_unavailable']));
    // A status comes from the code alone: a refusal built anywhere carries the table's status.
    for (const code of codes as ErrorCode[]) expect(new AppError(code, 'x').statusCode).toBe(ERROR_STATUS[code]);
    const unknown = await app.inject({ method: 'GET', url: '/api/no-such-route' });
    expect(unknown.statusCode).toBe(ERROR_STATUS.not_found);
    expect(codes).toContain(unknown.json().error.code);
  });

  test('passes a real OpenAPI validator (@readme/openapi-parser) with no error or warning', async () => {
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test('every operation has an operationId and a summary; the session cookie is the security scheme', () => {
    expect(doc.components.securitySchemes.session).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'konkurs_session' }),
    );
    expect(doc.security).toEqual([{ session: [] }]);
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z]+[A-Za-z0-9]+$/);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
      }
    }
    expect(doc.paths['/api/contests/{id}/jury/settings'].put.operationId).toBe('putContestsByIdJurySettings');
  });

  test('downloads declare their media types, not JSON', () => {
    const media = (path: string) => Object.keys(doc.paths[path].get.responses['200'].content);
    expect(media('/api/contests/{id}/protocol.pdf')).toEqual(['application/pdf']);
    expect(media('/api/certificates/batch.pdf')).toEqual(['application/pdf']);
    expect(media('/api/olympiads/{olympiadId}/access-slips.pdf')).toEqual(['application/pdf']);
    expect(media('/api/contests/{id}/results.xlsx')).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(media('/api/contests/{id}/applications/export')).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
  });

  test('common errors are declared: 400 where a route takes input, 401 and 403 where it needs a session, 503 everywhere', () => {
    const users = doc.paths['/api/users/{id}/roles'].put.responses;
    for (const status of ['400', '401', '403', '503']) expect(users[status], status).toBeDefined();
    const health = doc.paths['/api/health'].get;
    expect(health.security).toEqual([{}, { session: [] }]);
    expect(health.responses['401']).toBeUndefined();
    expect(doc.paths['/api/verify/{code}'].get.responses['429']).toBeDefined();
  });

  test("the pages' generated API types (web/src/lib/api/schema.d.ts) are current: run `pnpm api:types` after changing a route", async () => {
    const checkedIn = readFileSync(new URL('../../web/src/lib/api/schema.d.ts', import.meta.url), 'utf8');
    expect(
      checkedIn === (await apiTypesSource(structuredClone(doc))),
      'schema.d.ts is stale: run `pnpm api:types`',
    ).toBe(true);
  });

  test('request bodies are documented for the routes that take them', () => {
    const register = doc.paths['/api/auth/register'].post;
    const schema = register.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(
      expect.arrayContaining(['email', 'password', 'lastName', 'firstName', 'consent', 'consentVersion']),
    );
    expect(schema.properties.password.minLength).toBe(12);
    expect(doc.paths['/api/users/{id}/roles'].put.requestBody).toBeDefined();
  });
});

describe('the session gate keeps the document true', () => {
  test('every operation the document marks as needing a session answers 401 without one, before reading its body', async () => {
    const probed: string[] = [];
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const isPublic = (op.security ?? doc.security).some((s: object) => Object.keys(s).length === 0);
        if (isPublic) continue;
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          headers: { origin: PUBLIC_URL },
          ...(method === 'get' || method === 'delete' ? {} : { payload: {} }),
        });
        expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
        probed.push(`${method} ${path}`);
      }
    }
    expect(probed.length).toBeGreaterThan(80);
  });

  test('public operations answer without a session', async () => {
    for (const url of ['/api/health', '/api/events', '/api/auth/me', '/api/auth/consent-text']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });
});

describe('GET /api/docs', () => {
  test('serves the interactive documentation as HTML', async () => {
    let res = await app.inject({ method: 'GET', url: '/api/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400) {
      res = await app.inject({
        method: 'GET',
        url: new URL(String(res.headers.location), 'http://localhost/api/docs').pathname,
      });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.toLowerCase()).toContain('<html');
    expect(res.body.toLowerCase()).toContain('swagger');
  });
});

describe('GET /api/health', () => {
  test('reports the server and its database as working', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  test('answers 503 in the error shape when the database cannot be reached', async () => {
    const unreachable = createDb({ databaseUrl: 'postgres://konkurs@127.0.0.1:1/konkurs', poolSize: 1 });
    const broken = await buildTestApp(unreachable.db);
    try {
      const res = await broken.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('database_unavailable');
      expect(isRussian(res.json().error.message)).toBe(true);
    } finally {
      await broken.close();
      await unreachable.close();
    }
  });
});
