import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A jsonb column: read as the parsed value, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type JuryMethod = 'mean' | 'median' | 'trimmed_mean' | 'standardized';
export const JURY_METHODS: readonly JuryMethod[] = ['mean', 'median', 'trimmed_mean', 'standardized'];

/** What a level of a criterion means, e.g. 10 points: «проведено более 10 мероприятий». */
export interface RubricLevel {
  points: number;
  text: string;
}

/** One criterion of a rubric (product.md): a range of points with a step, a weight, a description, optional levels. */
export interface RubricCriterion {
  /** Stable within the rubric: score sheets and tie-breakers refer to it. */
  key: string;
  title: string;
  description: string;
  min: number;
  max: number;
  step: 1 | 0.5;
  weight: number;
  levels: RubricLevel[];
}

/** The jury settings of a contest, as columns of the contests table (see ContestsJuryColumns). */
export interface ContestsJuryColumns {
  jury_method: Defaulted<JuryMethod>;
  /** Criterion keys, in order, whose panel means decide between equal scores. */
  jury_tie_breakers: ColumnType<string[], string | undefined, string>;
  /** How many places are awarded per nomination (usually 3). */
  jury_places: Defaulted<number>;
  /** Jurors see an entry code instead of the fields the form marks as personal, and no file names. */
  jury_blind: Defaulted<boolean>;
  /** K: how many jurors automatic assignment gives every accepted entry. */
  jury_per_entry: Defaulted<number>;
  /** Automatic assignment never gives a juror an entry from their own municipality. */
  jury_avoid_own_municipality: Defaulted<boolean>;
  /** The key of the form field that holds the entry's municipality. */
  jury_municipality_field: string | null;
  /** Applicants see a summary of their scores once the results are published. */
  jury_show_scores: Defaulted<boolean>;
  /** A spread of juror totals at least this share of the maximum marks a strong disagreement. */
  jury_disagreement_share: Defaulted<number>;
  /** The jury meeting in the protocol («Протокол № …»), set by the organizer; null until set. */
  jury_meeting_number: string | null;
  /** The meeting's day, YYYY-MM-DD. */
  jury_meeting_date: string | null;
  jury_meeting_place: string | null;
  /** ФИО of the meeting's secretary (often not a juror). */
  jury_meeting_secretary: string | null;
  /** User ids of jury members who did not take part in the meeting. */
  jury_meeting_absent: ColumnType<string[], string | undefined, string>;
}

export interface RubricsTable {
  id: Generated<string>;
  contest_id: string;
  /** Null: the contest-wide rubric; otherwise the rubric of one nomination (it wins over the contest-wide one). */
  nomination_id: string | null;
  version: number;
  criteria: Json<RubricCriterion[]>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface JuryMembersTable {
  contest_id: string;
  user_id: string;
  /** Председатель жюри: at most one per contest. */
  is_chair: Defaulted<boolean>;
  /** Where the juror comes from, for the own-municipality rule of automatic assignment. */
  municipality: string | null;
  added_by: string | null;
  added_at: CreatedAt;
}

export interface JuryInvitationsTable {
  id: Generated<string>;
  contest_id: string;
  email: string;
  /** Hex SHA-256 of the token sent by e-mail; the token itself is never stored. */
  token_hash: string;
  municipality: string | null;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
}

export interface JuryAssignmentsTable {
  application_id: string;
  juror_id: string;
  contest_id: string;
  assigned_by: string | null;
  assigned_at: CreatedAt;
}

export interface JuryConflictsTable {
  application_id: string;
  juror_id: string;
  contest_id: string;
  reason: string;
  /** The juror, or the organizer who recorded a conflict known in advance. */
  declared_by: string | null;
  declared_at: CreatedAt;
}

export type SheetStatus = 'draft' | 'submitted';

export interface ScoreSheetsTable {
  id: Generated<string>;
  application_id: string;
  juror_id: string;
  contest_id: string;
  /** The rubric version the sheet was made under. */
  rubric_id: string;
  /** Points per criterion key. */
  points: ColumnType<Record<string, number>, string | undefined, string>;
  /** A comment per criterion key. */
  comments: ColumnType<Record<string, string>, string | undefined, string>;
  comment: Defaulted<string>;
  status: Defaulted<SheetStatus>;
  submitted_at: Timestamp | null;
  reopened_at: Timestamp | null;
  reopened_by: string | null;
  reopen_reason: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ResultOverridesTable {
  application_id: string;
  contest_id: string;
  /** Null: no place (a participant). */
  place: number | null;
  reason: string;
  set_by: string | null;
  set_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** What each applicant was last mailed about their result, compared on publishing again. */
export interface ContestResultNoticesTable {
  application_id: string;
  contest_id: string;
  nomination_id: string;
  place: number | null;
  score: number | null;
  notified_at: Timestamp;
}

/** The published results: a snapshot taken at publication, read by the public page and by certificate issuing. */
export interface ContestResultsTable {
  application_id: string;
  contest_id: string;
  nomination_id: string;
  /** 1..jury_places, or null for a participant. */
  place: number | null;
  rank: number | null;
  score: number | null;
  published_at: CreatedAt;
}
