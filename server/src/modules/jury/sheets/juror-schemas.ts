import { Type, type Static } from '@sinclair/typebox';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

/** Longest comment to one criterion and the longest overall comment of a score sheet. */
export const MAX_CRITERION_COMMENT = 2000;
export const MAX_SHEET_COMMENT = 4000;

export const EntryState = Type.Union(
  [Type.Literal('not_started'), Type.Literal('draft'), Type.Literal('submitted'), Type.Literal('conflict')],
  {
    description: 'не начато, черновик, отправлено, конфликт интересов',
  },
);
export type EntryState = Static<typeof EntryState>;

export const Progress = Type.Object({
  submitted: Type.Integer({ description: 'Отправлено оценок' }),
  total: Type.Integer({ description: 'Назначено работ без конфликта интересов' }),
});

export const JuryContest = Type.Object({
  id: Type.String(),
  title: Type.String(),
  isChair: Type.Boolean(),
  blind: Type.Boolean(),
  resultsPublished: Type.Boolean(),
  nominations: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), progress: Progress })),
  progress: Progress,
});
export const JuryContests = Type.Object({ contests: Type.Array(JuryContest) });
export type JuryContests = Static<typeof JuryContests>;

export const JuryEntryItem = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'Шифр работы — регистрационный номер заявки' }),
  /** The entry's name for the juror: the applicant's name, or null in blind mode. */
  applicant: Type.Union([Type.String(), Type.Null()]),
  state: EntryState,
  total: Type.Union([Type.Number(), Type.Null()], { description: 'Взвешенная сумма баллов своей оценки' }),
});
export const JuryContestEntries = Type.Object({
  contest: Type.Object({
    id: Type.String(),
    title: Type.String(),
    isChair: Type.Boolean(),
    blind: Type.Boolean(),
    resultsPublished: Type.Boolean(),
  }),
  nominations: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), progress: Progress, entries: Type.Array(JuryEntryItem) }),
  ),
  progress: Progress,
});
export type JuryContestEntries = Static<typeof JuryContestEntries>;

const Level = Type.Object({ points: Type.Number(), text: Type.String() });
export const Criterion = Type.Object({
  key: Type.String(),
  title: Type.String(),
  description: Type.String(),
  min: Type.Number(),
  max: Type.Number(),
  step: Type.Number(),
  weight: Type.Number(),
  levels: Type.Array(Level),
});
export const RubricView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  criteria: Type.Array(Criterion),
  maxTotal: Type.Number(),
});

export const SheetView = Type.Object({
  id: Type.String(),
  rubricId: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('submitted')]),
  points: Type.Record(Type.String(), Type.Number()),
  comments: Type.Record(Type.String(), Type.String()),
  comment: Type.String(),
  total: Type.Number(),
  submittedAt: NullableDateTime,
  updatedAt: DateTime,
  reopenedAt: NullableDateTime,
  reopenReason: Type.Union([Type.String(), Type.Null()]),
});
export type SheetView = Static<typeof SheetView>;

export const EntryFile = Type.Object({
  id: Type.String(),
  fieldKey: Type.String(),
  /** The original name, or «Файл 1.pdf» in blind mode. */
  name: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
});

export const JuryEntry = Type.Object({
  id: Type.String(),
  code: Type.String(),
  contest: Type.Object({
    id: Type.String(),
    title: Type.String(),
    blind: Type.Boolean(),
    resultsPublished: Type.Boolean(),
    commentShownToApplicant: Type.Boolean({
      description: 'Конкурс показывает заявителю сводку оценок: общий комментарий (без имени) увидит заявитель',
    }),
  }),
  nomination: Type.Object({ id: Type.String(), title: Type.String() }),
  applicant: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(
    Type.Object({ key: Type.String(), label: Type.String(), kind: Type.String(), text: Type.String() }),
  ),
  fileFields: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
  files: Type.Array(EntryFile),
  rubric: Type.Union([RubricView, Type.Null()]),
  sheet: Type.Union([SheetView, Type.Null()]),
  state: EntryState,
});
export const JuryEntryResponse = Type.Object({ entry: JuryEntry });
export type JuryEntry = Static<typeof JuryEntry>;
export type JuryEntryResponse = Static<typeof JuryEntryResponse>;

export const SheetBody = Type.Object({
  points: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.Null(), Type.Number()]), {
      title: 'Баллы',
      maxProperties: 100,
      description: 'Баллы по ключу критерия; null — оценка ещё не поставлена',
    }),
  ),
  comments: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), Type.String(), {
      title: 'Комментарии к критериям',
      maxProperties: 100,
    }),
  ),
  comment: Type.Optional(Type.String({ maxLength: MAX_SHEET_COMMENT, title: 'Общий комментарий' })),
});
export type SheetBody = Static<typeof SheetBody>;
export const SheetResponse = Type.Object({ sheet: SheetView, state: EntryState });
export type SheetResponse = Static<typeof SheetResponse>;

export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 2000, title: 'Причина' }) });

export const ConflictResult = Type.Object({
  conflict: Type.Object({
    applicationId: Type.String(),
    jurorId: Type.String(),
    reason: Type.String(),
    declaredAt: DateTime,
  }),
});
export type ConflictResult = Static<typeof ConflictResult>;

export const OrganizerConflictBody = Type.Object({
  applicationId: Type.String({ format: 'uuid', title: 'Заявка' }),
  jurorId: Type.String({ format: 'uuid', title: 'Член жюри' }),
  reason: Type.String({ minLength: 5, maxLength: 2000, title: 'Причина' }),
});

export const ReopenedSheet = Type.Object({
  sheet: Type.Object({
    id: Type.String(),
    status: Type.Literal('draft'),
    reopenedAt: DateTime,
    reopenReason: Type.String(),
  }),
});
export type ReopenedSheet = Static<typeof ReopenedSheet>;

export const JuryPreview = Type.Object({
  entry: JuryEntry,
  shownFields: Type.Array(Type.Object({ key: Type.String(), label: Type.String() }), {
    description: 'Поля формы, которые жюри видит (если заявитель их заполнил)',
  }),
  hiddenFields: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), reason: Type.String() }), {
    description: 'Что жюри не видит и почему',
  }),
});
export type JuryPreview = Static<typeof JuryPreview>;
