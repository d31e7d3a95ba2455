import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type {
  ApplicationFilesTable,
  ApplicationFormsTable,
  ApplicationStatusHistoryTable,
  ApplicationsTable,
  MailOutboxTable,
  StoredFilesTable,
} from './schema-applications.ts';
import type {
  ContestResultNoticesTable,
  ContestResultsTable,
  ContestsJuryColumns,
  JuryAssignmentsTable,
  JuryConflictsTable,
  JuryInvitationsTable,
  JuryMembersTable,
  ResultOverridesTable,
  RubricsTable,
  ScoreSheetsTable,
} from './schema-jury.ts';
import type {
  OlympiadAppealsTable,
  OlympiadGradersTable,
  OlympiadOpenGradesTable,
  OlympiadKeyCorrectionsTable,
  OlympiadResultsTable,
  OlympiadTimeExtensionsTable,
  OlympiadsGradingColumns,
} from './schema-olympiad.ts';

export * from './schema-applications.ts';
export * from './schema-jury.ts';
export * from './schema-olympiad.ts';

/** A timestamptz column: read as a Date, written as a Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type Role = 'organizer' | 'juror' | 'applicant' | 'student';
export const ROLES: readonly Role[] = ['organizer', 'juror', 'applicant', 'student'];

export interface UsersTable {
  id: Generated<string>;
  /** Stored lower-cased; unique. */
  email: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  /** argon2id hash; null for accounts that sign in otherwise (e.g. a student's access code). */
  password_hash: string | null;
  roles: ColumnType<Role[], Role[] | undefined, Role[]>;
  created_at: CreatedAt;
  /** When the person showed the address is theirs (a link mailed there); null until then. */
  email_verified_at: Timestamp | null;
}

export type AccountTokenPurpose = 'password_reset' | 'email_verification';

/** A one-time link sent by mail; only a SHA-256 of its token is stored. */
export interface AccountTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: AccountTokenPurpose;
  token_hash: string;
  /** The address the link was sent to. */
  email: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  id: string;
  /** Hex SHA-256 of the token's secret part; the secret itself is never stored. */
  secret_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ConsentsTable {
  id: Generated<number>;
  user_id: string;
  purpose: string;
  text_version: string;
  /** The exact text the person was shown. */
  text: string;
  given_at: CreatedAt;
  ip: string | null;
}

/** One counted event of a limit (server/src/modules/auth/throttle.ts). */
export interface RateLimitHitsTable {
  id: Generated<number>;
  /** What is counted, e.g. 'login:pair:<e-mail>|<address>' or 'verify:address:<address>'. */
  key: string;
  at: CreatedAt;
  /** After this the row counts in no window. */
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: ColumnType<unknown, string | null, never> | null;
  after: ColumnType<unknown, string | null, never> | null;
  ip: string | null;
}

export interface ContestsTable extends ContestsJuryColumns {
  id: Generated<string>;
  slug: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  applications_open_at: Timestamp;
  applications_close_at: Timestamp;
  review_end_at: Timestamp;
  results_published_at: Timestamp | null;
  created_at: CreatedAt;
  /** Положение: the contest's rules as Markdown, and optionally as an attached PDF. */
  rules_markdown: ColumnType<string, string | undefined, string>;
  rules_file_id: string | null;
  /** When the results are planned to be announced (shown to the public). */
  results_at: Timestamp | null;
  /** Archived contests are hidden from the public lists and closed to changes by applicants. */
  archived_at: Timestamp | null;
  /** Null while the contest is a draft (organizers only); set by the explicit act of publishing. */
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  number_prefix: ColumnType<string, string | undefined, string>;
  last_number: ColumnType<number, number | undefined, number>;
  multiple_per_nomination: ColumnType<boolean, boolean | undefined, boolean>;
}

/** One sequence of registration numbers per prefix and year, shared by every contest using them (ТОС-2026-017). */
export interface RegistrationCountersTable {
  prefix: string;
  year: number;
  last_number: number;
}

export interface NominationsTable {
  id: Generated<string>;
  contest_id: string;
  title: string;
  position: number;
}

export interface OlympiadsTable extends OlympiadsGradingColumns {
  id: Generated<string>;
  slug: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  grades: number[];
  window_start_at: Timestamp;
  window_end_at: Timestamp;
  time_limit_minutes: number;
  results_published_at: Timestamp | null;
  created_at: CreatedAt;
  /** Each student gets the tasks in an order of their own. */
  shuffle_tasks: ColumnType<boolean, boolean | undefined, boolean>;
  /** Each student gets the options of choice tasks in an order of their own. */
  shuffle_options: ColumnType<boolean, boolean | undefined, boolean>;
  /** The award rule (olympiad/results/awards.ts): a total must exceed this share of the maximum. */
  award_threshold_share: ColumnType<number, number | undefined, number>;
  /** Winners and prize-winners together: at most this share of the participants. */
  award_quota_share: ColumnType<number, number | undefined, number>;
  award_winners: ColumnType<number, number | undefined, number>;
  /** Rank and award each grade on its own. */
  award_per_grade: ColumnType<boolean, boolean | undefined, boolean>;
  /** Saves arriving this many seconds after a deadline are still in time (they were on their way). */
  grace_seconds: ColumnType<number, number | undefined, number>;
}

export type TaskKind = 'single' | 'multiple' | 'text' | 'number' | 'matching' | 'ordering' | 'open';

export interface OlympiadTasksTable {
  id: Generated<string>;
  olympiad_id: string;
  position: number;
  kind: TaskKind;
  prompt: string;
  points: number;
  /** What the student sees besides the prompt: options, columns, items (see olympiad/tasks/tasks.ts). */
  content: ColumnType<unknown, string, string>;
  /** The answer key; never sent to a student. */
  key: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  /** A voided task: every attempt gets its full points ('full') or none ('zero'). */
  voided: ColumnType<'full' | 'zero' | null, 'full' | 'zero' | null | undefined, 'full' | 'zero' | null>;
}

export interface OlympiadParticipantsTable {
  id: Generated<string>;
  olympiad_id: string;
  user_id: string;
  school: string;
  grade: number;
  class_name: ColumnType<string, string | undefined, string>;
  /** Personal access code, kept readable so that slips can be printed again (see olympiad/access/access-codes.ts). */
  access_code: string;
  /** Шифр: replaces the name on the work for blind grading. */
  cipher: string;
  created_at: CreatedAt;
}

export interface OlympiadAttemptsTable {
  id: Generated<string>;
  olympiad_id: string;
  participant_id: string;
  user_id: string;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  deadline_at: Timestamp;
  closed_at: Timestamp | null;
  close_reason: 'finished' | 'deadline' | null;
  /** Seed of this student's task and option order. */
  seed: number;
  /** Points of the automatically graded tasks, set when the attempt closes. */
  auto_score: number | null;
  /** Set when the organizer voids a duplicate attempt: it is kept but counts in no result. */
  voided_at: Timestamp | null;
  voided_by: string | null;
  void_reason: string | null;
}

export interface OlympiadAnswersTable {
  attempt_id: string;
  task_id: string;
  answer: ColumnType<unknown, string, string>;
  /** The client's sequence number of this answer: a save with a lower one never overwrites a newer one. */
  seq: ColumnType<number, number, number>;
  saved_at: ColumnType<Date, Date | string | undefined, Date | string>;
  auto_points: number | null;
  /** When the student gave this answer, by the page's clock corrected to the server's. */
  answered_at: Timestamp | null;
}

/** An answer that arrived after the deadline and its grace: counted only if the organizer accepts it. */
export interface OlympiadLateAnswersTable {
  attempt_id: string;
  task_id: string;
  answer: ColumnType<unknown, string, string>;
  seq: number;
  /** The page's own timestamp of the answer. */
  answered_at: Timestamp | null;
  /** When it reached the server. */
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  accept_reason: string | null;
}

export type AwardKind = 'place1' | 'place2' | 'place3' | 'winner' | 'prize' | 'participant' | 'juror_thanks';
export type Orientation = 'landscape' | 'portrait';
export interface Signatory {
  position: string;
  name: string;
}

export interface CertificateTemplatesTable {
  id: Generated<string>;
  contest_id: string | null;
  olympiad_id: string | null;
  award: AwardKind;
  title: string;
  subtitle: string;
  lead: string;
  body: string;
  orientation: Orientation;
  signatories: ColumnType<Signatory[], string, string>;
  place: string;
  /** The recipient's name as printed, e.g. {ФИО_дат} after «выражает благодарность». */
  recipient_line: ColumnType<string, string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CertificatesTable {
  id: Generated<string>;
  registry_number: string;
  code: string;
  contest_id: string | null;
  olympiad_id: string | null;
  award: AwardKind;
  recipient_user_id: string | null;
  /** What makes issuing idempotent, e.g. 'application:<id>', 'user:<id>'. */
  recipient_key: string;
  recipient_name: string;
  title: string;
  subtitle: string;
  lead: string;
  body: string;
  orientation: Orientation;
  signatories: ColumnType<Signatory[], string, never>;
  place: string;
  /** ДД.ММ.ГГГГ as printed. */
  issued_on: string;
  issued_at: CreatedAt;
  issued_by: string | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  /** The event's logo and signature images when it was issued (frozen like the wording). */
  logo_file_id: ColumnType<string | null, string | null | undefined, never>;
  signature_file_id: ColumnType<string | null, string | null | undefined, never>;
  /** The certificate issued in place of this revoked one. */
  replaced_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** The issuing organisation as printed at the top. */
  issuer: ColumnType<string, string | undefined, never>;
  /** The name as printed (declined as the template asks); empty: recipient_name. */
  printed_name: ColumnType<string, string | undefined, never>;
}

/** The organisation's details printed on every default template (one row). */
export interface CertificateOrganisationTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  name: string;
  city: string;
  signatories: ColumnType<Signatory[], string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The cases of a name other than the nominative, as petrovich gives them or as the organizer corrected them. */
export interface NameForms {
  genitive: string;
  dative: string;
  accusative: string;
  instrumental: string;
  prepositional: string;
}

/** The organizer's correction of one recipient's declension for one event. */
export interface CertificateNameFormsTable {
  contest_id: string | null;
  olympiad_id: string | null;
  recipient_key: string;
  forms: ColumnType<NameForms, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type CertificateImageKind = 'logo' | 'signature';

/** An event's logo, or the signature image of its first signatory. */
export interface CertificateImagesTable {
  contest_id: string | null;
  olympiad_id: string | null;
  kind: CertificateImageKind;
  file_id: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  consents: ConsentsTable;
  rate_limit_hits: RateLimitHitsTable;
  audit_log: AuditLogTable;
  contests: ContestsTable;
  nominations: NominationsTable;
  registration_counters: RegistrationCountersTable;
  olympiads: OlympiadsTable;
  olympiad_tasks: OlympiadTasksTable;
  olympiad_participants: OlympiadParticipantsTable;
  olympiad_attempts: OlympiadAttemptsTable;
  olympiad_answers: OlympiadAnswersTable;
  olympiad_late_answers: OlympiadLateAnswersTable;
  olympiad_graders: OlympiadGradersTable;
  olympiad_open_grades: OlympiadOpenGradesTable;
  olympiad_key_corrections: OlympiadKeyCorrectionsTable;
  olympiad_appeals: OlympiadAppealsTable;
  olympiad_results: OlympiadResultsTable;
  olympiad_time_extensions: OlympiadTimeExtensionsTable;
  app_meta: AppMetaTable;
  certificate_templates: CertificateTemplatesTable;
  certificates: CertificatesTable;
  certificate_images: CertificateImagesTable;
  certificate_organisation: CertificateOrganisationTable;
  certificate_name_forms: CertificateNameFormsTable;
  stored_files: StoredFilesTable;
  application_forms: ApplicationFormsTable;
  applications: ApplicationsTable;
  application_files: ApplicationFilesTable;
  application_status_history: ApplicationStatusHistoryTable;
  mail_outbox: MailOutboxTable;
  rubrics: RubricsTable;
  jury_members: JuryMembersTable;
  jury_invitations: JuryInvitationsTable;
  jury_assignments: JuryAssignmentsTable;
  jury_conflicts: JuryConflictsTable;
  score_sheets: ScoreSheetsTable;
  result_overrides: ResultOverridesTable;
  contest_results: ContestResultsTable;
  contest_result_notices: ContestResultNoticesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
