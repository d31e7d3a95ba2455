import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findUnstorable } from '../lib/storable-text.ts';
import { AppError } from './errors.ts';

interface SchemaNode {
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  patternProperties?: Record<string, SchemaNode>;
}

/** The title of the deepest schema along `path` that has one (the field's name as the form shows it). */
function titleAlong(schema: SchemaNode | undefined, path: string[]): string | undefined {
  let node = schema;
  let title: string | undefined;
  for (const segment of path) {
    if (!node || typeof node !== 'object') break;
    const next: SchemaNode | undefined =
      node.properties?.[segment] ??
      (/^\d+$/.test(segment) ? node.items : undefined) ??
      (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined) ??
      Object.values(node.patternProperties ?? {})[0];
    node = next;
    if (node?.title) title = node.title;
  }
  return title;
}

/** The 400 for an unstorable character at `path` of one part of a request, naming the field in Russian. */
export function unstorableTextError(path: string[], label?: string): AppError {
  const field = path.join('.') || '_';
  const name = label ?? field;
  const message = `Поле «${name}» содержит недопустимый символ (нулевой символ или повреждённый символ Юникода). Удалите его и отправьте снова.`;
  return new AppError('invalid_characters', `Проверьте введённые данные. ${message}`, { [field]: message });
}

const PARTS = ['params', 'query', 'body'] as const;

function checkRequest(request: FastifyRequest): void {
  const schema = (request.routeOptions.schema ?? {}) as Record<string, SchemaNode | undefined>;
  for (const part of PARTS) {
    const path = findUnstorable(request[part]);
    if (!path) continue;
    const label = titleAlong(part === 'query' ? schema.querystring : schema[part], path);
    throw unstorableTextError(path, label);
  }
}

/**
 * One check for every route, before its schema is applied: path parameters, the query string and a parsed body
 * (JSON or form) must hold only storable text. Multipart parts are read by the routes themselves; the only text
 * they keep is the file name, which storeUpload() sanitizes and the audit log makes storable.
 */
export function registerInputHygiene(app: FastifyInstance): void {
  // A callback hook, as every hook run for each request: an async one costs a promise each time (a throw is passed on).
  app.addHook('preValidation', (request, _reply, done) => {
    checkRequest(request);
    done();
  });
}
