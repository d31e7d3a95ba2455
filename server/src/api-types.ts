/** Request and response types of the API, for the web app (type-only imports). */
export type { ErrorResponse } from './http/errors.ts';
export type { UserDto, MeResponse, RegisterBody, LoginBody, ConsentText } from './modules/auth/schemas.ts';
export type { ContestSummary, OlympiadSummary, EventsResponse } from './modules/events/schemas.ts';
export type { Role } from '@konkurs/db';
export type {
  OrganizerTask, OrganizerTaskList, TaskSetJson, StudentTaskDto, AnswerDto, SaveAnswerBody, SavedAnswer, AttemptView, MyOlympiad,
  ParticipantDto, ParticipantList, RosterImportResult, AccessCodeBody, AwardRuleDto, ResultsPreview, MyResult,
} from './modules/olympiad/schemas.ts';
export type { TaskKind } from '@konkurs/db';
