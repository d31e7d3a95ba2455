import type { FastifyError, FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { connectionErrorReason, isConnectionError } from '@konkurs/db';

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

/**
 * Every error code the API answers with, and its HTTP status: the one place where a code gets its status. A service
 * raises `new AppError(code, message, fields)`; the message stays at the site because it names the thing at fault
 * (the field, the contest's state), in Russian, as the person will read it. The pages compare against these codes,
 * so the OpenAPI document lists them and a code a page expects but the server never sends fails `pnpm check`.
 */
export const ERROR_STATUS = {
  // 400: the request itself is wrong; `fields` names what to fix.
  validation: 400,
  bad_request: 400,
  invalid_json: 400,
  invalid_characters: 400,
  bad_roster: 400,
  bad_table: 400,
  file_empty: 400,
  upload_interrupted: 400,
  empty_table: 400,
  incomplete: 400,
  incomplete_sheet: 400,
  not_extendable: 400,
  own_organizer_role: 400,
  too_many_files: 400,
  wrong_password: 400,
  // 401: who is asking is not known.
  unauthorized: 401,
  invalid_access_code: 401,
  invalid_credentials: 401,
  // 403: known, but not allowed.
  forbidden: 403,
  cross_origin: 403,
  email_unverified: 403,
  invitation_other_address: 403,
  not_participant: 403,
  own_sheet: 403,
  chair_sheets_pending: 403,
  // 404: not there, or not for the one asking (the same answer, so ids cannot be probed).
  not_found: 404,
  invitation_not_found: 404,
  // 409: contradicts the current state (already done, closed, published, in use).
  conflict: 409,
  already_applied: 409,
  already_assigned: 409,
  already_graded: 409,
  already_issued: 409,
  already_member: 409,
  already_published: 409,
  already_registered: 409,
  already_replaced: 409,
  already_revoked: 409,
  answer_late: 409,
  appeal_exists: 409,
  appeals_closed: 409,
  applicant_of_contest: 409,
  attempt_closed: 409,
  attempt_open: 409,
  attempt_voided: 409,
  attempts_open: 409,
  attempts_started: 409,
  conflict_exists: 409,
  conflict_of_interest: 409,
  deadline_passed: 409,
  email_taken: 409,
  grade_locked: 409,
  has_applications: 409,
  has_submitted: 409,
  invalid_status: 409,
  invitation_used: 409,
  jury_member: 409,
  late_accepted: 409,
  no_entries: 409,
  no_form: 409,
  no_password: 409,
  no_rubric: 409,
  no_tasks: 409,
  nomination_in_use: 409,
  not_accepted: 409,
  not_an_entry: 409,
  not_editable: 409,
  not_entitled: 409,
  not_open: 409,
  not_published: 409,
  not_started: 409,
  not_submitted: 409,
  olympiad_locked: 409,
  olympiad_running: 409,
  open_answers_ungraded: 409,
  own_entry: 409,
  participant_started: 409,
  plan_changed: 409,
  registration_closed: 409,
  results_not_published: 409,
  results_published: 409,
  rubric_frozen: 409,
  sheet_not_submitted: 409,
  sheet_submitted: 409,
  sheets_incomplete: 409,
  slug_taken: 409,
  task_voided: 409,
  unmailable: 409,
  window_closed: 409,
  // 410: a link that worked once and no longer does.
  invitation_expired: 410,
  link_invalid: 410,
  // 413, 415, 422: files and bodies.
  body_too_large: 413,
  file_too_large: 413,
  image_too_large: 413,
  unsupported_media_type: 415,
  file_damaged: 415,
  file_type: 415,
  file_not_cleanable: 422,
  // 429: too many tries; Retry-After says when to try again.
  too_many_attempts: 429,
  too_many_letters: 429,
  too_many_registrations: 429,
  too_many_verifications: 429,
  // 5xx: not the client's fault.
  internal: 500,
  database_unavailable: 503,
  save_retry: 503,
} as const satisfies Record<string, number>;
export type ErrorCode = keyof typeof ERROR_STATUS;
const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The one error shape of the API: a stable code, a Russian message a person can act on, and the fields at fault. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: ERROR_CODES }),
      message: Type.String(),
      fields: Type.Record(Type.String(), Type.String()),
    }),
  },
  { $id: 'ErrorResponse', title: 'Ошибка' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
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
    'database_unavailable',
    'База данных недоступна, повторите через минуту.',
    reason ? { database: reason } : {},
    {
      'retry-after': String(DATABASE_RETRY_AFTER_S),
    },
  );

export const unauthorized = () => new AppError('unauthorized', 'Войдите в систему, чтобы продолжить.');
export const forbidden = () => new AppError('forbidden', 'У вас нет прав на это действие.');
export const notFound = (message = 'Запрошенная страница не найдена.') => new AppError('not_found', message);

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
const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
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
      const { code, message }: { code: ErrorCode; message: string } = known ?? {
        code: 'bad_request',
        message: 'Запрос не может быть обработан.',
      };
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
