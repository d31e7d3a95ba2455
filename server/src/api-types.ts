/** Request and response types of the API, for the web app (type-only imports). */
export type { ErrorResponse } from './http/errors.ts';
export type { UserDto, MeResponse, RegisterBody, LoginBody, ConsentText } from './modules/auth/schemas.ts';
export type { ContestSummary, OlympiadSummary, EventsResponse } from './modules/events/schemas.ts';
export type { CertificateSummary, VerificationResult, TemplateResponse } from './modules/certificates/schemas.ts';
export type { Role, AwardKind } from '@konkurs/db';
