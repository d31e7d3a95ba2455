/**
 * The rules of an application's life, as pure functions: which action is allowed in which state and when.
 * draft → submitted → (returned → submitted)* → accepted | rejected; withdrawn by the applicant.
 */
import type { ApplicationStatus } from '@konkurs/db';

export type ApplicationAction = 'submit' | 'withdraw' | 'accept' | 'return' | 'reject';

export const TRANSITIONS: Record<
  ApplicationAction,
  { from: readonly ApplicationStatus[]; to: ApplicationStatus; by: 'applicant' | 'organizer' }
> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: 'applicant' },
  withdraw: { from: ['draft', 'submitted', 'returned'], to: 'withdrawn', by: 'applicant' },
  accept: { from: ['submitted'], to: 'accepted', by: 'organizer' },
  return: { from: ['submitted'], to: 'returned', by: 'organizer' },
  reject: { from: ['submitted'], to: 'rejected', by: 'organizer' },
};

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: 'Черновик',
  submitted: 'Подана',
  returned: 'Возвращена на доработку',
  accepted: 'Принята',
  rejected: 'Отклонена',
  withdrawn: 'Отозвана',
};

export function canTransition(status: ApplicationStatus, action: ApplicationAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** The applicant may change answers and files only in these states. */
export function isEditable(status: ApplicationStatus): boolean {
  return status === 'draft' || status === 'returned';
}

/** The deadline that applies to this application: the contest's, or a later individual extension. */
export function effectiveDeadline(closeAt: Date, extendedUntil: Date | null): Date {
  return extendedUntil && extendedUntil > closeAt ? extendedUntil : closeAt;
}

/** Deadlines are instants: at the very millisecond of the deadline it has passed. */
export function isBeforeDeadline(now: Date, openAt: Date, closeAt: Date, extendedUntil: Date | null): boolean {
  return now >= openAt && now < effectiveDeadline(closeAt, extendedUntil);
}

/** ТОС-2026-017: the contest's prefix, the year, the sequence number of that prefix and year in the organisation. */
export function formatRegistrationNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(3, '0')}`;
}
