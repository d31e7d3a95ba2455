/** Request and response types of the API, for the web app (type-only imports). */
export type { ErrorResponse } from './http/errors.ts';
export type {
  UserDto,
  MeResponse,
  RegisterBody,
  LoginBody,
  ConsentText,
  EmailStatus,
  MessageResponse,
  ResetLinkView,
  PasswordResetBody,
  PasswordChangeBody,
  EmailConfirmed,
} from './modules/auth/schemas.ts';
export type { ContestSummary, OlympiadSummary, EventsResponse } from './modules/events/schemas.ts';
export type {
  CertificateSummary,
  VerificationResult,
  TemplateResponse,
  IssueResult,
  IssuingState,
  CertificateImages,
  OrganisationDetails,
} from './modules/certificates/schemas.ts';
export type { WorkReview } from './modules/olympiad/schemas.ts';
export type { Role, AwardKind, ApplicationStatus, TaskKind } from '@konkurs/db';
export type {
  ContestDetail,
  ContestResponse,
  AdminContestList,
  ContestBody,
  ContestCreateBody,
  CopyBody,
} from './modules/contests/schemas.ts';
export type { FormDefinition, FormBody } from './modules/forms/schemas.ts';
export type { FormField, FieldKind, FileTypeGroup, AnswerValue, Answers } from './modules/forms/definition.ts';
export type {
  ApplicationView,
  ApplicationResponse,
  ApplicationListItem,
  MyApplications,
  ContestApplications,
  AttachedFile,
  DecisionBody,
} from './modules/applications/schemas.ts';
export type { OutboxResponse } from './modules/mail/schemas.ts';
export type { AuditLogResponse, AuditLogEntry, AuditArea } from './modules/audit/schemas.ts';
export type {
  OrganizerTask,
  OrganizerTaskList,
  TaskSetJson,
  StudentTaskDto,
  AnswerDto,
  SaveAnswerBody,
  SavedAnswer,
  AttemptView,
  MyOlympiad,
  ParticipantDto,
  ParticipantList,
  RosterImportResult,
  AccessCodeBody,
  AwardRuleDto,
  ResultsPreview,
  MyResult,
  OlympiadBody,
  OlympiadDetail,
  OlympiadResponse,
} from './modules/olympiad/schemas.ts';
export type {
  JurySettingsResponse,
  RubricsResponse,
  RubricDto,
  RubricSaved,
  JuryResponse,
  AddMemberResult,
  InvitationView,
  Accepted,
  MatrixResponse,
  CellState,
  AutoAssignResult,
  AssignResult,
} from './modules/jury/members/setup-schemas.ts';
export type {
  JuryContests,
  JuryContestEntries,
  JuryEntry,
  JuryEntryResponse,
  JuryPreview,
  SheetView,
  SheetBody,
  SheetResponse,
  EntryState,
} from './modules/jury/sheets/juror-schemas.ts';
export type {
  ContestResultsTable,
  NominationResults,
  ResultEntry,
  PublicResults,
  ApplicationResult,
  ResultsAccess,
} from './modules/jury/results/results-schemas.ts';
export type {
  GraderList,
  GradingOlympiadList,
  GradingQueue,
  GradeResult,
  GradeBody,
  AddGraderBody,
  GradingSettingsBody,
} from './modules/olympiad/grading/grading-schemas.ts';
export type { AppealList, AppealBody, AppealDecisionBody } from './modules/olympiad/appeals/appeal-schemas.ts';
export type { MyAppeal } from './modules/olympiad/schemas.ts';
export type {
  RegistrationInfo,
  RegistrationSettingsBody,
  SelfRegistrationBody,
  SelfRegistrationResult,
} from './modules/olympiad/registration/registration-schemas.ts';
