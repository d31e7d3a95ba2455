import { Type, type Static } from '@sinclair/typebox';
import { JURY_METHODS, type JuryMethod } from '@konkurs/db';

/** The organizer's side of the jury: settings, rubrics, members and invitations, assignments. */

const DateTime = Type.String({ format: 'date-time' });
const Uuid = (title: string) => Type.String({ format: 'uuid', title });

export const ContestParams = Type.Object({ id: Uuid('Конкурс') });
export const MemberParams = Type.Object({ id: Uuid('Конкурс'), userId: Uuid('Член жюри') });
export const InvitationParams = Type.Object({ id: Uuid('Конкурс'), invitationId: Uuid('Приглашение') });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100, title: 'Приглашение' }) });
export const PreviewParams = Type.Object({ id: Uuid('Конкурс'), applicationId: Uuid('Заявка') });
export const AssignmentParams = Type.Object({
  id: Uuid('Конкурс'),
  applicationId: Uuid('Заявка'),
  jurorId: Uuid('Член жюри'),
});

export const MethodSchema = Type.Unsafe<JuryMethod>({
  type: 'string',
  enum: [...JURY_METHODS],
  title: 'Способ подсчёта',
});

export const JurySettings = Type.Object({
  method: MethodSchema,
  tieBreakers: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, title: 'Критерии для равных баллов' }),
  places: Type.Integer({ minimum: 1, maximum: 10, title: 'Число призовых мест' }),
  blind: Type.Boolean({ title: 'Слепая оценка' }),
  perEntry: Type.Integer({ minimum: 1, maximum: 50, title: 'Членов жюри на заявку' }),
  avoidOwnMunicipality: Type.Boolean({ title: 'Не назначать заявки своего муниципалитета' }),
  municipalityField: Type.Union([Type.String({ maxLength: 40, title: 'Поле муниципалитета' }), Type.Null()]),
  showScores: Type.Boolean({ title: 'Показывать заявителям сводку оценок' }),
  disagreementShare: Type.Number({ exclusiveMinimum: 0, maximum: 1, title: 'Порог сильного расхождения' }),
});
export type JurySettings = Static<typeof JurySettings>;

export const JurySettingsResponse = Type.Object({
  settings: JurySettings,
  resultsPublished: Type.Boolean(),
  /** Criterion keys the tie-breakers may name (of every current rubric of the contest). */
  criteria: Type.Array(Type.Object({ key: Type.String(), title: Type.String() })),
  /** Fields of the contest's current form, for the municipality field. */
  formFields: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
});
export type JurySettingsResponse = Static<typeof JurySettingsResponse>;

export const RubricLevelSchema = Type.Object({
  points: Type.Number({ title: 'Баллы уровня' }),
  text: Type.String({ maxLength: 500, title: 'Описание уровня' }),
});

export const RubricCriterionSchema = Type.Object({
  key: Type.String({ maxLength: 40, title: 'Ключ критерия' }),
  title: Type.String({ maxLength: 300, title: 'Название критерия' }),
  description: Type.String({ maxLength: 3000, title: 'Описание критерия' }),
  min: Type.Number({ title: 'Минимум' }),
  max: Type.Number({ title: 'Максимум' }),
  step: Type.Number({ title: 'Шаг' }),
  weight: Type.Number({ title: 'Вес' }),
  levels: Type.Array(RubricLevelSchema, { maxItems: 20, title: 'Уровни' }),
});

export const RubricBody = Type.Object({
  nominationId: Type.Union([Uuid('Номинация'), Type.Null()]),
  criteria: Type.Array(RubricCriterionSchema, { maxItems: 50, title: 'Критерии' }),
});
export type RubricBody = Static<typeof RubricBody>;

export const RubricDto = Type.Object({
  id: Type.String(),
  nominationId: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  criteria: Type.Array(RubricCriterionSchema),
  /** Score sheets already use this version (for the entries it applies to): a new version is refused. */
  frozen: Type.Boolean(),
  createdAt: DateTime,
});
export type RubricDto = Static<typeof RubricDto>;

export const RubricsResponse = Type.Object({
  /** The contest-wide rubric, or null when none was made. */
  contest: Type.Union([RubricDto, Type.Null()]),
  nominations: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      /** The nomination's own rubric; null when the contest-wide one applies. */
      own: Type.Union([RubricDto, Type.Null()]),
    }),
  ),
});
export type RubricsResponse = Static<typeof RubricsResponse>;

export const RubricSaved = Type.Object({
  rubric: RubricDto,
  /** Tie-breakers removed from the settings because no current rubric has these criteria any more. */
  removedTieBreakers: Type.Array(Type.String()),
});
export type RubricSaved = Static<typeof RubricSaved>;

export const JuryMemberDto = Type.Object({
  userId: Type.String(),
  fullName: Type.String(),
  email: Type.String(),
  isChair: Type.Boolean(),
  municipality: Type.Union([Type.String(), Type.Null()]),
  assigned: Type.Integer(),
  submitted: Type.Integer(),
});
export type JuryMemberDto = Static<typeof JuryMemberDto>;

export const InvitationDto = Type.Object({
  id: Type.String(),
  email: Type.String(),
  municipality: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  expiresAt: DateTime,
  expired: Type.Boolean(),
});
export type InvitationDto = Static<typeof InvitationDto>;

export const JuryResponse = Type.Object({
  members: Type.Array(JuryMemberDto),
  /** Invitations not accepted yet (expired ones included, marked). */
  invitations: Type.Array(InvitationDto),
});
export type JuryResponse = Static<typeof JuryResponse>;

export const AddMemberBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254, title: 'Электронная почта' }),
  municipality: Type.Optional(Type.Union([Type.String({ maxLength: 200, title: 'Муниципалитет' }), Type.Null()])),
});
export type AddMemberBody = Static<typeof AddMemberBody>;

export const MemberMunicipalityBody = Type.Object({
  municipality: Type.Union([Type.String({ maxLength: 200, title: 'Муниципалитет' }), Type.Null()]),
});

export const AddMemberResult = Type.Object({
  outcome: Type.Union([Type.Literal('added'), Type.Literal('invited')]),
  message: Type.String(),
});
export type AddMemberResult = Static<typeof AddMemberResult>;

export const ChairBody = Type.Object({ userId: Type.Union([Uuid('Председатель жюри'), Type.Null()]) });

export const InvitationView = Type.Object({
  contest: Type.Object({ id: Type.String(), slug: Type.String(), title: Type.String() }),
  /** The invited address: only the account with it, confirmed, can accept. */
  email: Type.String(),
  expiresAt: DateTime,
  /**
   * What the person who opened the link does next: accept; sign in (nobody is signed in); switch_account (signed in
   * with another address); confirm_email (their address is the invited one but not confirmed yet).
   */
  next: Type.Union([
    Type.Literal('accept'),
    Type.Literal('sign_in'),
    Type.Literal('switch_account'),
    Type.Literal('confirm_email'),
  ]),
  /** The same, as a sentence for the page. */
  advice: Type.String(),
});
export type InvitationView = Static<typeof InvitationView>;

export const Accepted = Type.Object({ contest: InvitationView.properties.contest, message: Type.String() });
export type Accepted = Static<typeof Accepted>;

export const Done = Type.Object({ message: Type.String() });

export const CellState = Type.Union([
  Type.Literal('none'),
  Type.Literal('assigned'),
  Type.Literal('conflict'),
  Type.Literal('draft'),
  Type.Literal('submitted'),
]);
export type CellState = Static<typeof CellState>;

export const MatrixResponse = Type.Object({
  perEntry: Type.Integer(),
  avoidOwnMunicipality: Type.Boolean(),
  jurors: Type.Array(
    Type.Object({
      id: Type.String(),
      fullName: Type.String(),
      municipality: Type.Union([Type.String(), Type.Null()]),
      load: Type.Integer(),
    }),
  ),
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      registrationNumber: Type.Union([Type.String(), Type.Null()]),
      title: Type.String(),
      nomination: Type.String(),
      municipality: Type.Union([Type.String(), Type.Null()]),
      /** Jurors assigned (not conflicted). */
      assigned: Type.Integer(),
      /** The state of each juror's cell, by juror id. */
      cells: Type.Record(Type.String(), CellState),
    }),
  ),
});
export type MatrixResponse = Static<typeof MatrixResponse>;

export const ShortfallDto = Type.Object({
  applicationId: Type.String(),
  title: Type.String(),
  have: Type.Integer(),
  need: Type.Integer(),
  reason: Type.String(),
});

export const AutoAssignResult = Type.Object({
  created: Type.Integer(),
  shortfalls: Type.Array(ShortfallDto),
  message: Type.String(),
});
export type AutoAssignResult = Static<typeof AutoAssignResult>;

export const AssignBody = Type.Object({ applicationId: Uuid('Заявка'), jurorId: Uuid('Член жюри') });

export const AssignResult = Type.Object({
  /** Set when the juror comes from the entry's municipality: allowed by hand, but worth a second look. */
  warning: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
export type AssignResult = Static<typeof AssignResult>;
