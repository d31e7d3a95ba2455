import { Type, type Static } from '@sinclair/typebox';

const Id = (title: string) => Type.String({ format: 'uuid', title });
export const GraderParams = Type.Object({ olympiadId: Id('Олимпиада'), userId: Id('Проверяющий') });

export const GraderDto = Type.Object({
  userId: Type.String(),
  fullName: Type.String(),
  email: Type.String(),
  isChair: Type.Boolean(),
  graded: Type.Integer(),
});
export const GraderList = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    openGradeThreshold: Type.Number(),
    appealHours: Type.Integer(),
  }),
  graders: Type.Array(GraderDto),
});
export type GraderList = Static<typeof GraderList>;

export const AddGraderBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254, title: 'Электронная почта', examples: ['juror@example.ru'] }),
    isChair: Type.Boolean({ default: false, title: 'Председатель' }),
  },
  { additionalProperties: false },
);
export type AddGraderBody = Static<typeof AddGraderBody>;

export const GradingSettingsBody = Type.Object(
  {
    openGradeThreshold: Type.Number({
      minimum: 0,
      maximum: 1000,
      title: 'Допустимое расхождение оценок (баллы)',
      examples: [2],
    }),
    appealHours: Type.Integer({
      minimum: 0,
      maximum: 720,
      title: 'Срок подачи апелляций (часы после публикации)',
      examples: [48],
    }),
  },
  { additionalProperties: false },
);
export type GradingSettingsBody = Static<typeof GradingSettingsBody>;

/** Progress of one open task: answers in all, with final points, waiting for the chair. */
export const TaskProgress = Type.Object({
  taskNumber: Type.Integer(),
  taskId: Type.String(),
  maxPoints: Type.Number(),
  total: Type.Integer(),
  graded: Type.Integer(),
  disputed: Type.Integer(),
});

export const GradingOlympiad = Type.Object({
  id: Type.String(),
  title: Type.String(),
  isChair: Type.Boolean(),
  resultsPublished: Type.Boolean(),
  total: Type.Integer(),
  graded: Type.Integer(),
  disputed: Type.Integer(),
  /** Answers I may still grade now. */
  available: Type.Integer(),
  gradedByMe: Type.Integer(),
});
export const GradingOlympiadList = Type.Object({ olympiads: Type.Array(GradingOlympiad) });
export type GradingOlympiadList = Static<typeof GradingOlympiadList>;

/** An answer as a grader sees it: the шифр, never a name, a school or an attempt; never the other grader's points. */
const AnswerToGrade = Type.Object({
  cipher: Type.String(),
  taskId: Type.String(),
  taskNumber: Type.Integer(),
  prompt: Type.String(),
  guidance: Type.String(),
  /** The parts of the task's points (e.g. 3, 3 and 4 of 10); empty when the task has one overall grade. */
  criteria: Type.Array(Type.Object({ title: Type.String(), points: Type.Number() })),
  maxPoints: Type.Number(),
  answerText: Type.String(),
});

/** Points per criterion, in the order of the task's criteria; null for a single overall grade. */
const CriteriaPoints = Type.Union([Type.Array(Type.Number()), Type.Null()]);

export const GradingQueue = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    openGradeThreshold: Type.Number(),
    resultsPublished: Type.Boolean(),
  }),
  isChair: Type.Boolean(),
  progress: Type.Array(TaskProgress),
  /** Answers waiting for my blind grade, the ones a colleague has begun first. */
  toGrade: Type.Array(AnswerToGrade),
  /** My own blind grades; mine may change until the second grade is in. */
  mine: Type.Array(
    Type.Object({
      ...AnswerToGrade.properties,
      points: Type.Number(),
      criteriaPoints: CriteriaPoints,
      comment: Type.String(),
      state: Type.Union([Type.Literal('waiting'), Type.Literal('disputed'), Type.Literal('final')]),
      editable: Type.Boolean(),
    }),
  ),
  /**
   * Answers whose two grades differ by more than the threshold and that I decide, with both grades and the decision if
   * any: the chair's, unless the chair graded the answer — then any other grader's (a third one).
   */
  disputed: Type.Array(
    Type.Object({
      ...AnswerToGrade.properties,
      grades: Type.Array(
        Type.Object({
          round: Type.Integer(),
          graderName: Type.String(),
          points: Type.Number(),
          criteriaPoints: CriteriaPoints,
          comment: Type.String(),
        }),
      ),
      decision: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});
export type GradingQueue = Static<typeof GradingQueue>;

export const GradeBody = Type.Object(
  {
    cipher: Type.String({ minLength: 1, maxLength: 40, title: 'Шифр' }),
    taskId: Id('Задание'),
    /** The points, for a task graded as a whole; with criteria they are the sum of `criteria`. */
    points: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, title: 'Баллы' })),
    criteria: Type.Optional(
      Type.Array(Type.Number({ minimum: 0, maximum: 1000 }), { maxItems: 50, title: 'Баллы по критериям' }),
    ),
    comment: Type.String({ maxLength: 5000, default: '', title: 'Комментарий' }),
  },
  { additionalProperties: false },
);
export type GradeBody = Static<typeof GradeBody>;

export const GradeResult = Type.Object({
  round: Type.Integer(),
  points: Type.Number(),
  state: Type.Union([Type.Literal('waiting'), Type.Literal('disputed'), Type.Literal('final')]),
});
export type GradeResult = Static<typeof GradeResult>;
