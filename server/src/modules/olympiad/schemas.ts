import { Type, type Static } from '@sinclair/typebox';
import { TASK_KINDS } from './tasks/tasks.ts';

const Id = (title: string) => Type.String({ format: 'uuid', title });
export const OlympiadParams = Type.Object({ olympiadId: Id('Олимпиада') });
export const TaskParams = Type.Object({ olympiadId: Id('Олимпиада'), taskId: Id('Задание') });
export const AttemptParams = Type.Object({ attemptId: Id('Попытка') });
export const AnswerParams = Type.Object({ attemptId: Id('Попытка'), taskId: Id('Задание') });

const OptionSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 20, title: 'Обозначение варианта' }),
  text: Type.String({ minLength: 1, maxLength: 2000, title: 'Текст варианта' }),
});
const OptionList = (title: string) => Type.Optional(Type.Array(OptionSchema, { maxItems: 30, title }));

export const TaskKindSchema = Type.Union(
  TASK_KINDS.map((k) => Type.Literal(k)),
  { title: 'Тип задания' },
);

/** A task as the organizer writes it; the key's shape depends on the kind (see olympiad/tasks/tasks.ts). */
export const TaskDefinitionSchema = Type.Object(
  {
    kind: TaskKindSchema,
    prompt: Type.String({ minLength: 1, maxLength: 20_000, title: 'Условие' }),
    points: Type.Number({ exclusiveMinimum: 0, maximum: 1000, title: 'Баллы' }),
    options: OptionList('Варианты ответа'),
    left: OptionList('Левый столбец'),
    right: OptionList('Правый столбец'),
    items: OptionList('Элементы'),
    key: Type.Record(Type.String(), Type.Unknown(), { title: 'Ключ (верный ответ)' }),
  },
  { additionalProperties: false },
);
export type TaskDefinitionBody = Static<typeof TaskDefinitionSchema>;

/** A stored task with its key: only the organizer ever gets this. */
export const OrganizerTask = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  ...TaskDefinitionSchema.properties,
});
export type OrganizerTask = Static<typeof OrganizerTask>;

export const OrganizerTaskList = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    shuffleTasks: Type.Boolean(),
    shuffleOptions: Type.Boolean(),
    /** Some student has started: tasks, their order and the settings are locked (a key is corrected separately). */
    attemptsStarted: Type.Boolean(),
  }),
  tasks: Type.Array(OrganizerTask),
  maxScore: Type.Number(),
});
export type OrganizerTaskList = Static<typeof OrganizerTaskList>;

export const TaskSetJson = Type.Object({
  format: Type.Literal('konkurs-olympiad-tasks', { title: 'Формат файла' }),
  version: Type.Literal(1, { title: 'Версия формата' }),
  title: Type.Optional(Type.String({ maxLength: 500 })),
  tasks: Type.Array(TaskDefinitionSchema, { minItems: 1, maxItems: 300, title: 'Задания' }),
});
export type TaskSetJson = Static<typeof TaskSetJson>;

/** The new order of the task set: every task of the olympiad once, first to last. */
export const TaskOrderBody = Type.Object(
  {
    taskIds: Type.Array(Type.String({ format: 'uuid' }), {
      minItems: 1,
      maxItems: 300,
      uniqueItems: true,
      title: 'Порядок заданий',
    }),
  },
  { additionalProperties: false },
);
export type TaskOrderBody = Static<typeof TaskOrderBody>;

export const ImportQuery = Type.Object({
  mode: Type.Union([Type.Literal('replace'), Type.Literal('append')], { default: 'append', title: 'Режим импорта' }),
});

export const SettingsBody = Type.Object({
  shuffleTasks: Type.Boolean({ title: 'Перемешивать задания' }),
  shuffleOptions: Type.Boolean({ title: 'Перемешивать варианты ответа' }),
});

/** A task as a student sees it: never a key. */
export const StudentTaskSchema = Type.Object(
  {
    id: Type.String(),
    kind: TaskKindSchema,
    prompt: Type.String(),
    points: Type.Number(),
    options: Type.Optional(Type.Array(OptionSchema)),
    left: Type.Optional(Type.Array(OptionSchema)),
    right: Type.Optional(Type.Array(OptionSchema)),
    items: Type.Optional(Type.Array(OptionSchema)),
  },
  { additionalProperties: false },
);
export type StudentTaskDto = Static<typeof StudentTaskSchema>;

export const AnswerSchema = Type.Object(
  {
    choice: Type.Optional(Type.String({ maxLength: 20, title: 'Выбранный вариант' })),
    choices: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 30, title: 'Выбранные варианты' })),
    text: Type.Optional(Type.String({ maxLength: 20_000, title: 'Ответ' })),
    pairs: Type.Optional(
      Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 20 }), {
        maxProperties: 30,
        title: 'Соответствия',
      }),
    ),
    order: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 30, title: 'Последовательность' })),
  },
  { additionalProperties: false, title: 'Ответ' },
);
export type AnswerDto = Static<typeof AnswerSchema>;

export const SaveAnswerBody = Type.Object({
  answer: AnswerSchema,
  seq: Type.Integer({ minimum: 1, maximum: 2_000_000_000, title: 'Номер сохранения' }),
  /** When the student gave the answer, by the page's clock corrected to the server's: kept with a late answer. */
  answeredAt: Type.Optional(Type.String({ format: 'date-time', title: 'Время ответа' })),
});
export type SaveAnswerBody = Static<typeof SaveAnswerBody>;

export const SavedAnswer = Type.Object({
  taskId: Type.String(),
  /** The sequence number now stored: the one sent, or that of an answer given later (on this or another device). */
  seq: Type.Integer(),
  savedAt: Type.String({ format: 'date-time' }),
  /**
   * Present when the answer now stored is not the one sent: an answer given later (by `answeredAt`, then `seq`) won,
   * possibly on another device. The page shows it instead of its own.
   */
  stored: Type.Optional(AnswerSchema),
  /** The attempt's deadline now: it moves when the organizer extends the student's time. */
  deadlineAt: Type.String({ format: 'date-time' }),
});
export type SavedAnswer = Static<typeof SavedAnswer>;

const Iso = Type.String({ format: 'date-time' });
const NullableIso = Type.Union([Iso, Type.Null()]);

export const AttemptState = Type.Object({
  id: Type.String(),
  startedAt: Iso,
  deadlineAt: Iso,
  closedAt: NullableIso,
  closeReason: Type.Union([Type.Literal('finished'), Type.Literal('deadline'), Type.Null()]),
});

export const AttemptView = Type.Object({
  attempt: AttemptState,
  /** The server's clock at the answer: the page counts down from it, not from the device's clock. */
  serverNow: Iso,
  olympiad: Type.Object({ id: Type.String(), title: Type.String() }),
  tasks: Type.Array(StudentTaskSchema),
  answers: Type.Record(Type.String(), Type.Object({ answer: AnswerSchema, seq: Type.Integer(), savedAt: Iso })),
  /** Answers that arrived after the deadline and its grace: not counted unless the organizer accepts them. */
  lateAnswers: Type.Array(
    Type.Object({ taskId: Type.String(), answeredAt: NullableIso, receivedAt: Iso, accepted: Type.Boolean() }),
  ),
  /** Saves arriving this many seconds after the deadline still count (they were on their way). */
  graceSeconds: Type.Integer(),
});
export type AttemptView = Static<typeof AttemptView>;

/** The attempt's times only: the page asks for them now and then to learn of an extension while the student reads. */
export const AttemptTime = Type.Object({ attempt: AttemptState, serverNow: Iso });
export type AttemptTime = Static<typeof AttemptTime>;

export const MyOlympiad = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    windowStartAt: Iso,
    windowEndAt: Iso,
    timeLimitMinutes: Type.Integer(),
    taskCount: Type.Integer(),
  }),
  serverNow: Iso,
  participant: Type.Union([
    Type.Object({ school: Type.String(), grade: Type.Integer(), className: Type.String() }),
    Type.Null(),
  ]),
  attempt: Type.Union([AttemptState, Type.Null()]),
  /** Why the student cannot start now, or null when they can (or already did). */
  cannotStart: Type.Union([Type.String(), Type.Null()]),
});
export type MyOlympiad = Static<typeof MyOlympiad>;

/** The olympiads the signed-in person takes part in (a student's «Мои олимпиады»). */
export const MyOlympiadList = Type.Object({
  olympiads: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      windowStartAt: Iso,
      windowEndAt: Iso,
      /** not_started, running (an attempt is open), finished (closed). */
      work: Type.Union([Type.Literal('not_started'), Type.Literal('running'), Type.Literal('finished')]),
      resultsPublished: Type.Boolean(),
    }),
  ),
});
export type MyOlympiadList = Static<typeof MyOlympiadList>;

export const RefusedRow = Type.Object({ row: Type.Integer(), reason: Type.String(), text: Type.String() });
export const ParticipantDto = Type.Object({
  id: Type.String(),
  fullName: Type.String(),
  school: Type.String(),
  grade: Type.Integer(),
  className: Type.String(),
  accessCode: Type.String(),
  cipher: Type.String(),
  attempt: Type.Union([Type.Literal('none'), Type.Literal('open'), Type.Literal('closed'), Type.Literal('voided')]),
  attemptId: Type.Union([Type.String(), Type.Null()]),
  /** Why the organizer voided the attempt (attempt 'voided'). */
  voidReason: Type.Union([Type.String(), Type.Null()]),
  /** Another participant has the same name, school and grade: probably the same person registered twice. */
  possibleDuplicate: Type.Boolean(),
});
export type ParticipantDto = Static<typeof ParticipantDto>;
export const RosterImportResult = Type.Object({
  added: Type.Array(ParticipantDto),
  refused: Type.Array(RefusedRow),
});
export type RosterImportResult = Static<typeof RosterImportResult>;
export const ParticipantParams = Type.Object({
  olympiadId: Type.String({ format: 'uuid', title: 'Олимпиада' }),
  participantId: Type.String({ format: 'uuid', title: 'Участник' }),
});
export const AttemptVoidParams = Type.Object({
  olympiadId: Type.String({ format: 'uuid', title: 'Олимпиада' }),
  attemptId: Type.String({ format: 'uuid', title: 'Работа' }),
});
export const AttemptVoidBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, title: 'Причина' }),
});
export type AttemptVoidBody = Static<typeof AttemptVoidBody>;
export const ParticipantList = Type.Object({
  olympiad: Type.Object({ id: Type.String(), title: Type.String() }),
  participants: Type.Array(ParticipantDto),
});
export type ParticipantList = Static<typeof ParticipantList>;

export const ParticipantCard = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    timeLimitMinutes: Type.Integer(),
    graceSeconds: Type.Integer(),
  }),
  participant: Type.Object({
    id: Type.String(),
    fullName: Type.String(),
    school: Type.String(),
    grade: Type.Integer(),
    className: Type.String(),
    cipher: Type.String(),
  }),
  attempt: Type.Union([
    Type.Object({
      id: Type.String(),
      startedAt: Iso,
      deadlineAt: Iso,
      closedAt: NullableIso,
      closeReason: Type.Union([Type.Literal('finished'), Type.Literal('deadline'), Type.Null()]),
      autoScore: Type.Union([Type.Number(), Type.Null()]),
      voided: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  /** The organizer's individual extensions of this student's time, oldest first. */
  extensions: Type.Array(
    Type.Object({
      minutes: Type.Integer(),
      reason: Type.String(),
      at: Iso,
      /** Who gave it (null once their account is gone). */
      by: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  /** Answers that arrived after the deadline and its grace: counted only once accepted. */
  lateAnswers: Type.Array(
    Type.Object({
      taskId: Type.String(),
      /** The task's number in the task set's order. */
      taskNumber: Type.Integer(),
      prompt: Type.String(),
      /** The answer as text (chosen options by their texts). */
      answer: Type.String(),
      /** The page's own timestamp (its clock corrected to the server's). */
      answeredAt: NullableIso,
      receivedAt: Iso,
      acceptedAt: NullableIso,
      acceptedBy: Type.Union([Type.String(), Type.Null()]),
      acceptReason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type ParticipantCard = Static<typeof ParticipantCard>;
export const LateAnswerParams = Type.Object({
  olympiadId: Type.String({ format: 'uuid', title: 'Олимпиада' }),
  participantId: Type.String({ format: 'uuid', title: 'Участник' }),
  taskId: Type.String({ format: 'uuid', title: 'Задание' }),
});
/** One extension at most 5 hours: more is not an extension but another sitting. */
export const MAX_EXTENSION_MINUTES = 300;
export const ExtendTimeBody = Type.Object({
  minutes: Type.Integer({ minimum: 1, maximum: MAX_EXTENSION_MINUTES, title: 'Дополнительные минуты' }),
  reason: Type.String({ minLength: 1, maxLength: 500, title: 'Причина' }),
});
export type ExtendTimeBody = Static<typeof ExtendTimeBody>;
export const AcceptLateBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, title: 'Причина' }),
});

export const AccessCodeBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, title: 'Код доступа', examples: ['ABCDE-FGHJK'] }),
});
export type AccessCodeBody = Static<typeof AccessCodeBody>;

export const AwardRuleSchema = Type.Object({
  thresholdShare: Type.Number({
    minimum: 0,
    maximum: 1,
    title: 'Порог (доля от максимального балла)',
    examples: [0.5],
  }),
  quotaShare: Type.Number({
    minimum: 0,
    maximum: 1,
    title: 'Квота победителей и призёров (доля участников)',
    examples: [0.45],
  }),
  winners: Type.Integer({ minimum: 0, maximum: 1000, title: 'Число победителей' }),
  perGrade: Type.Boolean({ title: 'Рейтинг по параллелям' }),
});
export type AwardRuleDto = Static<typeof AwardRuleSchema>;

const AwardStatusSchema = Type.Union([Type.Literal('winner'), Type.Literal('prize'), Type.Literal('participant')]);

/** After publication, appeals are accepted until appealsCloseAt; after it the results are final (итоговые). */
const ResultsState = { resultsPublishedAt: NullableIso, appealsCloseAt: NullableIso, final: Type.Boolean() };

export const ResultsPreview = Type.Object({
  olympiad: Type.Object({
    id: Type.String(),
    title: Type.String(),
    ...ResultsState,
    /** «Показ работ»: students also see the correct answers and criteria. */
    showKeysToStudents: Type.Boolean(),
  }),
  rule: AwardRuleSchema,
  maxScore: Type.Number(),
  /** Attempts still running: not in the table yet. */
  notFinished: Type.Integer(),
  /** Open answers the jury has not graded yet. */
  ungradedOpenAnswers: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      participantId: Type.String(),
      fullName: Type.String(),
      school: Type.String(),
      grade: Type.Integer(),
      className: Type.String(),
      cipher: Type.String(),
      total: Type.Number(),
      rank: Type.Integer(),
      status: AwardStatusSchema,
      /** Points per task in the task set's order; null: an open answer waiting for the jury. */
      points: Type.Array(Type.Union([Type.Number(), Type.Null()])),
    }),
  ),
});
export type ResultsPreview = Static<typeof ResultsPreview>;

export const MyAppeal = Type.Object({
  id: Type.String(),
  text: Type.String(),
  createdAt: Iso,
  pointsBefore: Type.Number(),
  decision: Type.Union([Type.Literal('raise'), Type.Literal('keep'), Type.Literal('lower'), Type.Null()]),
  newPoints: Type.Union([Type.Number(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: NullableIso,
});
export type MyAppeal = Static<typeof MyAppeal>;

export const MyResult = Type.Object({
  olympiad: Type.Object({ id: Type.String(), title: Type.String(), ...ResultsState }),
  maxScore: Type.Number(),
  /** null: the student did not take part (no finished work). */
  result: Type.Union([
    Type.Object({
      total: Type.Number(),
      rank: Type.Integer(),
      status: AwardStatusSchema,
      tasks: Type.Array(
        Type.Object({
          taskId: Type.String(),
          number: Type.Integer(),
          prompt: Type.String(),
          maxPoints: Type.Number(),
          points: Type.Union([Type.Number(), Type.Null()]),
          /** My appeal of this task and its decision, if I filed one. */
          appeal: Type.Union([MyAppeal, Type.Null()]),
        }),
      ),
    }),
    Type.Null(),
  ]),
});
export type MyResult = Static<typeof MyResult>;

/** What the organizer sets when creating or editing an olympiad; the slug is made from the title. */
export const OlympiadBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S', title: 'Название олимпиады' }),
  description: Type.Optional(Type.String({ maxLength: 5000, default: '', title: 'Описание' })),
  grades: Type.Array(Type.Integer({ minimum: 1, maximum: 11, title: 'Классы' }), {
    minItems: 1,
    maxItems: 11,
    uniqueItems: true,
    title: 'Классы',
  }),
  windowStartAt: Type.String({
    format: 'date-time',
    title: 'Начало олимпиады',
    examples: ['2026-12-01T06:00:00.000Z'],
  }),
  windowEndAt: Type.String({
    format: 'date-time',
    title: 'Окончание олимпиады',
    examples: ['2026-12-01T15:00:00.000Z'],
  }),
  timeLimitMinutes: Type.Integer({ minimum: 5, maximum: 600, title: 'Время на работу, минут' }),
  /** Absent: 60 s for a new olympiad, unchanged for an existing one. */
  graceSeconds: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 600, title: 'Запас на доставку ответов после окончания времени, секунд' }),
  ),
});
export type OlympiadBody = Static<typeof OlympiadBody>;

export const OlympiadDetail = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  grades: Type.Array(Type.Integer()),
  windowStartAt: Iso,
  windowEndAt: Iso,
  timeLimitMinutes: Type.Integer(),
  graceSeconds: Type.Integer(),
  resultsPublishedAt: NullableIso,
  /** Some student has started: the start of the window, the time limit and the grades are locked. */
  attemptsStarted: Type.Boolean(),
});
export type OlympiadDetail = Static<typeof OlympiadDetail>;

export const OlympiadResponse = Type.Object({ olympiad: OlympiadDetail });
export type OlympiadResponse = Static<typeof OlympiadResponse>;

const KeyCorrectionActionSchema = Type.Union(
  [Type.Literal('key'), Type.Literal('void_full'), Type.Literal('void_zero')],
  {
    title: 'Что сделать: исправить ключ, аннулировать с полными баллами всем, аннулировать без баллов',
  },
);

export const KeyCorrectionBody = Type.Object(
  {
    action: KeyCorrectionActionSchema,
    /** The new key, for action «key»: the same shape as the task's key (server/src/modules/olympiad/tasks/tasks.ts). */
    key: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { title: 'Новый ключ' })),
    reason: Type.String({ minLength: 1, maxLength: 2000, title: 'Причина' }),
  },
  { additionalProperties: false },
);
export type KeyCorrectionBody = Static<typeof KeyCorrectionBody>;

export const KeyCorrectionResult = Type.Object({
  taskNumber: Type.Integer(),
  action: KeyCorrectionActionSchema,
  /** Every participant whose total, place or status changed. */
  changes: Type.Array(
    Type.Object({
      participantId: Type.String(),
      fullName: Type.String(),
      cipher: Type.String(),
      totalBefore: Type.Number(),
      totalAfter: Type.Number(),
      rankBefore: Type.Integer(),
      rankAfter: Type.Integer(),
      statusBefore: AwardStatusSchema,
      statusAfter: AwardStatusSchema,
    }),
  ),
  /** Letters queued (after publication only). */
  notified: Type.Integer(),
});
export type KeyCorrectionResult = Static<typeof KeyCorrectionResult>;

export const KeyCorrectionList = Type.Object({
  corrections: Type.Array(
    Type.Object({
      id: Type.String(),
      taskId: Type.String(),
      taskNumber: Type.Integer(),
      action: KeyCorrectionActionSchema,
      reason: Type.String(),
      createdAt: Iso,
      by: Type.String(),
    }),
  ),
});
export type KeyCorrectionList = Static<typeof KeyCorrectionList>;

/** «Показ работ»: one student's work, task by task. Grader names only in the organizer's view. */
export const WorkReview = Type.Object({
  olympiad: Type.Object({ id: Type.String(), title: Type.String(), showKeysToStudents: Type.Boolean() }),
  participant: Type.Object({
    id: Type.String(),
    fullName: Type.String(),
    cipher: Type.String(),
    school: Type.String(),
    grade: Type.Integer(),
  }),
  total: Type.Union([Type.Number(), Type.Null()]),
  maxScore: Type.Number(),
  /** Whether the correct answers and criteria are in this view. */
  keysShown: Type.Boolean(),
  tasks: Type.Array(
    Type.Object({
      taskId: Type.String(),
      number: Type.Integer(),
      kind: TaskKindSchema,
      prompt: Type.String(),
      maxPoints: Type.Number(),
      points: Type.Union([Type.Number(), Type.Null()]),
      voided: Type.Union([Type.Literal('full'), Type.Literal('zero'), Type.Null()]),
      answer: Type.String(),
      grades: Type.Array(
        Type.Object({
          label: Type.String(),
          points: Type.Number(),
          criteriaPoints: Type.Union([Type.Array(Type.Number()), Type.Null()]),
          graderName: Type.Optional(Type.String()),
          comment: Type.Optional(Type.String()),
        }),
      ),
      correctAnswer: Type.Optional(Type.String()),
      criteria: Type.Optional(Type.Array(Type.Object({ title: Type.String(), points: Type.Number() }))),
      appeal: Type.Union([
        Type.Object({
          text: Type.String(),
          decision: Type.Union([Type.String(), Type.Null()]),
          newPoints: Type.Union([Type.Number(), Type.Null()]),
          reason: Type.Union([Type.String(), Type.Null()]),
        }),
        Type.Null(),
      ]),
    }),
  ),
});
export type WorkReview = Static<typeof WorkReview>;

export const WorkSettingsBody = Type.Object(
  { showKeysToStudents: Type.Boolean({ title: 'Показывать участникам верные ответы и критерии' }) },
  { additionalProperties: false },
);
export type WorkSettingsBody = Static<typeof WorkSettingsBody>;
