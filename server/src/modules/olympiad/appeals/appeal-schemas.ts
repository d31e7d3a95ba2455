import { Type, type Static } from '@sinclair/typebox';

const Iso = Type.String({ format: 'date-time' });
const NullableIso = Type.Union([Iso, Type.Null()]);
export const AppealParams = Type.Object({
  olympiadId: Type.String({ format: 'uuid', title: 'Олимпиада' }),
  appealId: Type.String({ format: 'uuid', title: 'Апелляция' }),
});

export const AppealBody = Type.Object(
  {
    taskId: Type.String({ format: 'uuid', title: 'Задание' }),
    text: Type.String({ minLength: 1, maxLength: 5000, title: 'Текст апелляции' }),
  },
  { additionalProperties: false },
);
export type AppealBody = Static<typeof AppealBody>;

const DecisionSchema = Type.Union([Type.Literal('raise'), Type.Literal('keep'), Type.Literal('lower')], {
  title: 'Решение',
});

export const AppealDecisionBody = Type.Object(
  {
    decision: DecisionSchema,
    /** Required to raise or lower; with 'keep' the points stay as they were. */
    newPoints: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, title: 'Новые баллы' })),
    reason: Type.String({ minLength: 1, maxLength: 5000, title: 'Обоснование решения' }),
  },
  { additionalProperties: false },
);
export type AppealDecisionBody = Static<typeof AppealDecisionBody>;

/** An appeal as the organizer or the chair sees it: by шифр. */
export const AppealDto = Type.Object({
  id: Type.String(),
  cipher: Type.String(),
  taskId: Type.String(),
  taskNumber: Type.Integer(),
  prompt: Type.String(),
  maxPoints: Type.Number(),
  answerText: Type.String(),
  text: Type.String(),
  createdAt: Iso,
  pointsBefore: Type.Number(),
  decision: Type.Union([DecisionSchema, Type.Null()]),
  newPoints: Type.Union([Type.Number(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: NullableIso,
});
export const AppealList = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    resultsPublishedAt: NullableIso,
    appealsCloseAt: NullableIso,
    final: Type.Boolean(),
  }),
  appeals: Type.Array(AppealDto),
});
export type AppealList = Static<typeof AppealList>;
