import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, createUserInDb, signIn, uniqueIp, type App, type InjectResponse } from '../helpers/app.ts';
import { createContestWithForm } from '../helpers/contest.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createOlympiad, enrolStudents, importTasks, multipartFile, type RosterStudent } from '../helpers/olympiad.ts';

/**
 * Text PostgreSQL cannot store (a NUL, a lone surrogate) is refused with a 400 naming the field on every route,
 * wherever it is in the request: path parameters, query string, JSON body. The routes are read from the OpenAPI
 * document, so a new route is covered without changing this file.
 */

let t: TestDb;
let app: App;
let cookie: string;
let student: RosterStudent;
let ids: Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
  // One person with every role, so that requests get past the permission checks and reach the queries.
  const user = await createUserInDb(t.db, { roles: ['organizer', 'juror', 'applicant', 'student'] });
  cookie = await signIn(app, user.email, user.password, { ip: uniqueIp() });
  const contest = await createContestWithForm(app, cookie, new Date());
  const olympiadId = await createOlympiad(t.db);
  await importTasks(app, cookie, olympiadId);
  [student] = await enrolStudents(app, cookie, olympiadId, 1);
  const begun = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/attempt`,
    headers: { cookie: student.cookie },
  });
  expect(begun.statusCode, begun.body).toBe(200);
  const task = await t.db
    .selectFrom('olympiad_tasks')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  ids = {
    id: contest.id,
    contestId: contest.id,
    olympiadId,
    attemptId: begun.json().attempt.id,
    taskId: task.id,
    userId: user.id,
    nominationId: contest.nominations[0].id,
  };
  doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await t?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = any;

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s && s.$ref)
    s = s.$ref
      .split('/')
      .slice(1)
      .reduce((node: Schema, key: string) => node?.[key], doc);
  return s ?? {};
}

/** A plausible value for a schema, with text in every string, so that the request would reach the service. */
function example(raw: Schema, depth = 0): unknown {
  const s = resolve(raw);
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return example(variants.find((v: Schema) => resolve(v).type !== 'null') ?? variants[0], depth + 1);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Schema) => example(part, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'email') return 'ivanova@example.ru';
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'date') return '2026-01-15';
      return 'Текст'.padEnd(s.minLength ?? 0, 'т');
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [example(s.items ?? {}, depth + 1)];
    case 'null':
      return null;
    default: {
      const object: Record<string, unknown> = {};
      for (const [key, child] of Object.entries<Schema>(s.properties ?? {})) object[key] = example(child, depth + 1);
      if (!s.properties) object.text = 'Текст';
      return object;
    }
  }
}

/** Paths of the string leaves of a value, e.g. [['title'], ['nominations', '0', 'title']]. */
function stringLeaves(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function poisoned(value: unknown, path: string[], bad: string): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = `${node[path[path.length - 1]]}${bad}`;
  return copy;
}

const BAD = { nul: '\u0000', surrogate: '\uD83D' } as const;

interface Probe {
  route: string;
  where: string;
  field: string;
  send: () => Promise<InjectResponse>;
}

function probes(): Probe[] {
  const list: Probe[] = [];
  for (const [template, item] of Object.entries<Record<string, Schema>>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      const route = `${method.toUpperCase()} ${template}`;
      const params: Schema[] = op.parameters ?? [];
      const value = (p: Schema) => ids[p.name] ?? example(p.schema);
      const url = (pathValues: Record<string, string>, query: Record<string, string>) => {
        const path = template.replace(/\{([^}]+)\}/g, (_m, name) => encodeURIComponent(pathValues[name]));
        const qs = new URLSearchParams(query).toString();
        return qs ? `${path}?${qs}` : path;
      };
      const pathValues = Object.fromEntries(
        params.filter((p) => p.in === 'path').map((p) => [p.name, String(value(p))]),
      );
      const queryValues = Object.fromEntries(
        params.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String(value(p))]),
      );
      const json = op.requestBody?.content?.['application/json']?.schema;
      const body = json ? example(json) : undefined;
      const inject = (u: string, payload?: unknown) =>
        app.inject({
          method: method.toUpperCase() as 'GET',
          url: u,
          headers: { cookie },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
      for (const [kind, bad] of Object.entries(BAD)) {
        for (const p of params.filter((x) => resolve(x.schema).type === 'string' || x.schema?.anyOf)) {
          // Percent-encoding carries a NUL in a URL; a lone surrogate has no UTF-8 form, so it cannot be in one.
          if (kind === 'surrogate') continue;
          if (p.in === 'path')
            list.push({
              route,
              where: `${p.in} (${kind})`,
              field: p.name,
              send: () => inject(url({ ...pathValues, [p.name]: `${pathValues[p.name]}${bad}` }, queryValues), body),
            });
          if (p.in === 'query')
            list.push({
              route,
              where: `${p.in} (${kind})`,
              field: p.name,
              send: () => inject(url(pathValues, { ...queryValues, [p.name]: `${String(value(p))}${bad}` }), body),
            });
        }
        if (body !== undefined) {
          for (const leaf of stringLeaves(body).slice(0, 3)) {
            list.push({
              route,
              where: `body (${kind})`,
              field: leaf.join('.'),
              send: () => inject(url(pathValues, queryValues), poisoned(body, leaf, bad)),
            });
          }
        }
      }
    }
  }
  return list;
}

describe('text that cannot be stored', () => {
  test('is refused on every route that takes text, with a 400 naming the field, never a 500', async () => {
    const failures: string[] = [];
    const covered = new Set<string>();
    const all = probes();
    expect(all.length).toBeGreaterThan(150);
    for (const probe of all) {
      const res = await probe.send();
      covered.add(probe.route);
      const fields = Object.keys(res.json()?.error?.fields ?? {});
      if (res.statusCode !== 400 || res.json().error.code !== 'invalid_characters' || !fields.includes(probe.field)) {
        failures.push(`${probe.route} ${probe.where} ${probe.field}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    console.log(`Unstorable text checked on ${covered.size} routes:\n${[...covered].sort().join('\n')}`);
    expect(failures).toEqual([]);
  }, 300_000);

  test('the message is Russian and names the field by its title', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/olympiads',
      headers: { cookie },
      payload: { title: 'Олимпиада\u0000' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.title).toMatch(/^Поле «[^»]+» содержит недопустимый символ/);
    expect(res.json().error.fields.title).not.toContain('«title»');
  });

  test('a NUL in an answer is a 400 the page does not retry, and the next save of the same task is kept', async () => {
    const headers = { cookie: student.cookie };
    const url = `/api/attempts/${ids.attemptId}/answers/${ids.taskId}`;
    const bad = await app.inject({ method: 'PUT', url, headers, payload: { answer: { choice: 'b\u0000' }, seq: 1 } });
    expect(bad.statusCode).toBe(400);
    const surrogate = await app.inject({
      method: 'PUT',
      url,
      headers,
      payload: { answer: { choice: '\uDC00' }, seq: 2 },
    });
    expect(surrogate.statusCode).toBe(400);
    const good = await app.inject({ method: 'PUT', url, headers, payload: { answer: { choice: 'b' }, seq: 3 } });
    expect(good.statusCode, good.body).toBe(200);
  });

  test('a roster with a NUL in a cell and in its file name: that row is refused, the others are added, the import is audited', async () => {
    const olympiadId = await createOlympiad(t.db);
    const csv =
      'ФИО;Школа;Класс\nПетрова Анна;Школа № 1;10\nСидоров\u0000 Иван;Школа № 1;10\nКозлов Пётр;Школа № 2;11\u0000\n';
    const { payload, headers } = multipartFile('spisok\u0000.csv', csv);
    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/participants/import`,
      headers: { ...headers, cookie },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.added.map((p: { fullName: string }) => p.fullName)).toEqual(['Петрова Анна']);
    expect(body.refused.map((r: { row: number }) => r.row)).toEqual([3, 4]);
    expect(body.refused[0].reason).toMatch(/недопустимый символ/);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'olympiad.roster.import')
      .where('entity_id', '=', olympiadId)
      .executeTakeFirstOrThrow();
    expect((audit.after as { file: string }).file).toBe('spisok\uFFFD.csv');
  });
});
