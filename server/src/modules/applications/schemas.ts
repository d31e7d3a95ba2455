import { Type, type Static } from '@sinclair/typebox';
import { APPLICATION_STATUSES, type ApplicationStatus } from '@konkurs/db';
import { MAX_TEXT_LENGTH } from '../forms/definition.ts';
import { FormFieldSchema } from '../forms/schemas.ts';

export const StatusSchema = Type.Unsafe<ApplicationStatus>({
  type: 'string',
  enum: [...APPLICATION_STATUSES],
  title: 'Статус',
});
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

/**
 * A text, or a list of texts (several choices). Checked in the service, not here: Fastify's Ajv coerces a
 * one-item list to a text when a union allows both, which would turn one ticked choice into the wrong shape.
 */
export const AnswerValue = Type.Unsafe<string | string[]>({
  description: 'Текст или список текстов (несколько вариантов)',
});
export const MAX_ANSWER_CHARS = MAX_TEXT_LENGTH * 2;
export const AnswersSchema = Type.Record(Type.String({ maxLength: 40 }), AnswerValue, {
  title: 'Ответы',
  maxProperties: 100,
});

export const AttachedFile = Type.Object({
  id: Type.String(),
  fieldKey: Type.String(),
  name: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer(),
  createdAt: DateTime,
});
export type AttachedFile = Static<typeof AttachedFile>;

export const HistoryEntry = Type.Object({
  from: Type.Union([StatusSchema, Type.Null()]),
  to: StatusSchema,
  at: DateTime,
  actor: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.Literal('applicant'), Type.Literal('organizer'), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
});

export const ApplicationView = Type.Object({
  id: Type.String(),
  status: StatusSchema,
  registrationNumber: Type.Union([Type.String(), Type.Null()]),
  contest: Type.Object({ id: Type.String(), slug: Type.String(), title: Type.String() }),
  nomination: Type.Object({ id: Type.String(), title: Type.String() }),
  applicant: Type.Object({ id: Type.String(), fullName: Type.String(), email: Type.String() }),
  form: Type.Object({ id: Type.String(), version: Type.Integer(), fields: Type.Array(FormFieldSchema) }),
  answers: AnswersSchema,
  files: Type.Array(AttachedFile),
  history: Type.Array(HistoryEntry),
  /** The comment of the latest return for correction, while the application is returned. */
  returnComment: Type.Union([Type.String(), Type.Null()]),
  deadline: DateTime,
  extendedUntil: NullableDateTime,
  submittedAt: NullableDateTime,
  createdAt: DateTime,
  updatedAt: DateTime,
  /** Answers filled in wrongly, and required fields still empty, by field key. */
  errors: Type.Record(Type.String(), Type.String()),
  missing: Type.Record(Type.String(), Type.String()),
  can: Type.Object({ edit: Type.Boolean(), submit: Type.Boolean(), withdraw: Type.Boolean(), decide: Type.Boolean() }),
});
export type ApplicationView = Static<typeof ApplicationView>;
export const ApplicationResponse = Type.Object({ application: ApplicationView });
export type ApplicationResponse = Static<typeof ApplicationResponse>;
export const SavedAnswersResponse = Type.Object({
  application: ApplicationView,
  /** Answers filled in wrongly and so not saved (the draft keeps what it held for them), by field key. */
  refused: Type.Record(Type.String(), Type.String()),
});

export const ApplicationListItem = Type.Object({
  id: Type.String(),
  status: StatusSchema,
  registrationNumber: Type.Union([Type.String(), Type.Null()]),
  contest: Type.Object({ id: Type.String(), slug: Type.String(), title: Type.String() }),
  nomination: Type.Object({ id: Type.String(), title: Type.String() }),
  applicant: Type.Object({ id: Type.String(), fullName: Type.String(), email: Type.String() }),
  municipality: Type.Union([Type.String(), Type.Null()]),
  deadline: DateTime,
  submittedAt: NullableDateTime,
  updatedAt: DateTime,
});
export type ApplicationListItem = Static<typeof ApplicationListItem>;

export const MyApplications = Type.Object({ applications: Type.Array(ApplicationListItem) });
export type MyApplications = Static<typeof MyApplications>;

export const ContestApplicationsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, title: 'Поиск: ФИО, регистрационный номер или e-mail' })),
  nominationId: Type.Optional(Type.String({ format: 'uuid', title: 'Номинация' })),
  status: Type.Optional(StatusSchema),
  municipality: Type.Optional(Type.String({ maxLength: 300, title: 'Муниципальное образование' })),
});
export type ContestApplicationsQuery = Static<typeof ContestApplicationsQuery>;

export const ContestApplications = Type.Object({
  applications: Type.Array(
    Type.Composite([
      ApplicationListItem,
      Type.Object({
        /** Labels of required answers still missing (drafts and returned applications). */
        missing: Type.Array(Type.String()),
      }),
    ]),
  ),
  /** Over the whole contest (drafts included), whatever the filters. */
  counts: Type.Object({
    byStatus: Type.Record(Type.String(), Type.Integer()),
    byNomination: Type.Record(Type.String(), Type.Integer({ description: 'Заявок, кроме черновиков и отозванных' })),
  }),
  municipalities: Type.Array(Type.String()),
});
export type ContestApplications = Static<typeof ContestApplications>;

export const CreateApplicationBody = Type.Object({ nominationId: Type.String({ format: 'uuid', title: 'Номинация' }) });
export const SaveAnswersBody = Type.Object({ answers: AnswersSchema });
export const WithdrawBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000, title: 'Причина' })) });
export const DecisionBody = Type.Object({
  action: Type.Union([Type.Literal('accept'), Type.Literal('return'), Type.Literal('reject')], { title: 'Решение' }),
  comment: Type.Optional(Type.String({ maxLength: 5000, title: 'Комментарий' })),
  /** With a return after the deadline: until when the applicant may resubmit. */
  extendUntil: Type.Optional(
    Type.Union([Type.String({ format: 'date-time', title: 'Продлить срок до' }), Type.Null()]),
  ),
});
export type DecisionBody = Static<typeof DecisionBody>;
export const ExtensionBody = Type.Object({
  until: Type.Union([Type.String({ format: 'date-time', title: 'Продлить срок до' }), Type.Null()]),
});
