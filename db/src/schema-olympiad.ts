import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** The grading and appeal settings of an olympiad, as columns of the olympiads table. */
export interface OlympiadsGradingColumns {
  /** Two blind grades of an open answer differing by more than this many points need the chair's decision. */
  open_grade_threshold: Defaulted<number>;
  /** How long after publication students may appeal. */
  appeal_hours: Defaulted<number>;
  /** Set at publication: publication + appeal_hours. After it the results are final. */
  appeals_close_at: Timestamp | null;
  /** Students may sign themselves up on the olympiad's public registration page. */
  self_registration: Defaulted<boolean>;
  /** The schools a self-registering student chooses from. */
  registration_schools: ColumnType<string[], string | undefined, string>;
  /** «Показ работ»: after publication students also see the correct answers and the criteria. */
  show_keys_to_students: Defaulted<boolean>;
}

export type KeyCorrectionAction = 'key' | 'void_full' | 'void_zero';

/** A key corrected or a task voided after the start (server/src/modules/olympiad/key-corrections.ts). */
export interface OlympiadKeyCorrectionsTable {
  id: Generated<string>;
  olympiad_id: string;
  task_id: string;
  action: KeyCorrectionAction;
  key_before: ColumnType<unknown, string, string>;
  key_after: ColumnType<unknown, string, string>;
  reason: string;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface OlympiadGradersTable {
  olympiad_id: string;
  user_id: string;
  /** One chair per olympiad: decides disputed answers and appeals. */
  is_chair: Defaulted<boolean>;
  added_by: string | null;
  added_at: CreatedAt;
}

export interface OlympiadOpenGradesTable {
  id: Generated<string>;
  attempt_id: string;
  task_id: string;
  grader_id: string;
  /** 1, 2: blind grades by two different graders; 3: the chair's decision on a disputed answer. */
  round: number;
  points: number;
  comment: Defaulted<string>;
  graded_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Points per criterion of the task's key (in its order) when the task lists criteria; `points` is their sum. */
  criteria_points: ColumnType<number[] | null, string | null | undefined, string | null>;
}

export type AppealDecision = 'raise' | 'keep' | 'lower';

export interface OlympiadAppealsTable {
  id: Generated<string>;
  olympiad_id: string;
  attempt_id: string;
  task_id: string;
  user_id: string;
  text: string;
  created_at: CreatedAt;
  /** The task's points when the appeal was filed. */
  points_before: number;
  decision: AppealDecision | null;
  new_points: number | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
}

/** The published results, one row per participant (see migration 0015). */
export interface OlympiadResultsTable {
  olympiad_id: string;
  participant_id: string;
  total: number;
  rank: number;
  status: 'winner' | 'prize' | 'participant';
  /** Points per task in task order; null for an open answer not graded (never so once published). */
  points: ColumnType<(number | null)[], string, string>;
}

/** The organizer's individual extension of one student's time (see migration 0016). */
export interface OlympiadTimeExtensionsTable {
  id: Generated<string>;
  participant_id: string;
  minutes: number;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
}
