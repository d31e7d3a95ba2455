import type { FastifyError, FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { connectionErrorReason, isConnectionError } from '@konkurs/db';

/** The one error shape of the API: a stable code, a Russian message a person can act on, and the fields at fault. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Record(Type.String(), Type.String()),
    }),
  },
  { $id: 'ErrorResponse', title: 'Ошибка' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/**
 * A preValidation hook that trims the named string fields of the body, so that a space a phone keyboard adds
 * after an autocompleted e-mail does not fail the format check.
 */
export function trimBody(...names: string[]) {
  return async (request: { body: unknown }) => {
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object') return;
    for (const name of names) if (typeof body[name] === 'string') body[name] = (body[name] as string).trim();
  };
}

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** How long a client is asked to wait (Retry-After) when the database cannot be reached. */
export const DATABASE_RETRY_AFTER_S = 5;
/**
 * The database cannot be reached (PostgreSQL restarting, a failover): the request did nothing that was confirmed,
 * and the same request may succeed shortly. `reason` goes to fields.database (for /api/health).
 */
export const databaseUnavailable = (reason?: string) =>
  new AppError(
    503,
    'database_unavailable',
    'База данных недоступна, повторите через минуту.',
    reason ? { database: reason } : {},
    {
      'retry-after': String(DATABASE_RETRY_AFTER_S),
    },
  );

export const unauthorized = () => new AppError(401, 'unauthorized', 'Войдите в систему, чтобы продолжить.');
export const forbidden = () => new AppError(403, 'forbidden', 'У вас нет прав на это действие.');
export const notFound = (message = 'Запрошенная страница не найдена.') => new AppError(404, 'not_found', message);

/** What each error status means, for the OpenAPI document. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Неверные данные запроса: поле и причина в `error.fields`',
  401: 'Нужно войти в систему',
  403: 'Нет прав на это действие',
  404: 'Не найдено (или недоступно спрашивающему)',
  409: 'Противоречит текущему состоянию (например, уже опубликовано или срок истёк)',
  413: 'Слишком большой файл или запрос',
  415: 'Неподдерживаемый тип файла',
  422: 'Данные понятны, но не могут быть приняты',
  429: 'Слишком много попыток: повторите позже',
  503: 'База данных временно недоступна',
};

/** Declares the error responses of a route for the OpenAPI document. */
export function errorResponses(...codes: number[]) {
  return Object.fromEntries(
    codes.map((c) => [c, Type.Ref(ErrorResponse, { description: ERROR_DESCRIPTIONS[c] ?? 'Ошибка' })]),
  );
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  /** The value at fault (ajv's verbose mode). */
  data?: unknown;
  parentSchema?: { title?: string; examples?: unknown[]; properties?: Record<string, { title?: string }> };
}

function fieldPath(instancePath: string): string {
  return instancePath.replace(/^\//, '').replace(/\//g, '.');
}

/** Turns a JSON-schema violation into a Russian sentence that names the field by its title. */
function describe(err: AjvError): { field: string; message: string } {
  const schema = err.parentSchema ?? {};
  if (err.keyword === 'required') {
    const missing = String(err.params.missingProperty);
    const field = fieldPath(`${err.instancePath}/${missing}`);
    const label = schema.properties?.[missing]?.title ?? missing;
    return { field, message: `Заполните поле «${label}».` };
  }
  const field = fieldPath(err.instancePath) || '_';
  const label = schema.title ?? field;
  const limit = err.params.limit;
  const example = schema.examples?.[0] !== undefined ? `, например: ${String(schema.examples[0])}` : '';
  // An empty text field is a missing answer, whatever the rule it breaks.
  if (err.data === '' && ['minLength', 'format', 'pattern'].includes(err.keyword))
    return { field, message: `Заполните поле «${label}».` };
  switch (err.keyword) {
    case 'minLength':
      return {
        field,
        message:
          limit === 1 ? `Заполните поле «${label}».` : `Поле «${label}» должно содержать не меньше ${limit} символов.`,
      };
    case 'maxLength':
      return { field, message: `Поле «${label}» должно содержать не больше ${limit} символов.` };
    case 'format':
      return err.params.format === 'email'
        ? { field, message: `Поле «${label}»: введите адрес электронной почты, например ivanova@mail.ru.` }
        : { field, message: `Поле «${label}» заполнено в неверном формате${example}.` };
    case 'pattern':
      return { field, message: `Поле «${label}» заполнено неверно${example}.` };
    case 'minimum':
      return { field, message: `Поле «${label}» должно быть не меньше ${limit}.` };
    case 'maximum':
      return { field, message: `Поле «${label}» должно быть не больше ${limit}.` };
    case 'const':
      if (err.params.allowedValue === true) return { field, message: `Отметьте «${label}».` };
      return { field, message: `Поле «${label}»: выберите одно из допустимых значений.` };
    case 'enum':
      return { field, message: `Поле «${label}»: выберите одно из допустимых значений.` };
    case 'minItems':
      return { field, message: `Поле «${label}»: выберите хотя бы ${limit}.` };
    case 'maxItems':
      return { field, message: `Поле «${label}»: не больше ${limit} значений.` };
    case 'type':
      return { field, message: `Поле «${label}» заполнено неверно: ожидается ${typeName(String(err.params.type))}.` };
    default:
      return { field, message: `Поле «${label}» заполнено неверно.` };
  }
}

function typeName(type: string): string {
  return (
    (
      {
        string: 'текст',
        number: 'число',
        integer: 'целое число',
        boolean: 'да или нет',
        array: 'список',
        object: 'набор полей',
      } as Record<string, string>
    )[type] ?? type
  );
}

/** Framework errors a client can cause, with the Russian message for each. */
const CLIENT_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'Тело запроса не является корректным JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'Тело запроса пустое, а ожидается JSON.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Этот тип содержимого запроса не поддерживается.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'Запрос слишком большой.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request', message: 'Неверная длина запроса.' },
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.addSchema(ErrorResponse);

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      reply.headers(error.headers);
      return reply
        .status(error.statusCode)
        .send({ error: { code: error.code, message: error.message, fields: error.fields } });
    }
    if (isConnectionError(error)) {
      // Expected while PostgreSQL restarts, and then for many requests at once: one line each, without a stack.
      request.log.warn({ reason: connectionErrorReason(error) }, 'database unavailable');
      const unavailable = databaseUnavailable();
      reply.headers(unavailable.headers);
      return reply.status(503).send({ error: { code: unavailable.code, message: unavailable.message, fields: {} } });
    }
    if (error.validation) {
      const fields: Record<string, string> = {};
      for (const e of error.validation as unknown as AjvError[]) {
        const { field, message } = describe(e);
        fields[field] ??= message;
      }
      const first = Object.values(fields)[0];
      return reply.status(400).send({
        error: {
          code: 'validation',
          message: first ? `Проверьте введённые данные. ${first}` : 'Проверьте введённые данные.',
          fields,
        },
      });
    }
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    const status = error.statusCode ?? 500;
    if (known || (status >= 400 && status < 500)) {
      const { code, message } = known ?? { code: 'bad_request', message: 'Запрос не может быть обработан.' };
      return reply.status(status).send({ error: { code, message, fields: {} } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: {
        code: 'internal',
        message: 'Внутренняя ошибка сервера. Попробуйте ещё раз; если ошибка повторится, сообщите организатору.',
        fields: {},
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: 'Такого адреса API нет.', fields: {} } });
  });
}
