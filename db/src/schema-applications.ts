import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A jsonb column: read as the parsed value, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

export type ApplicationStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'rejected' | 'withdrawn';
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  'draft',
  'submitted',
  'returned',
  'accepted',
  'rejected',
  'withdrawn',
];

export interface StoredFilesTable {
  id: Generated<string>;
  owner_id: string | null;
  purpose: 'application' | 'contest_rules' | 'certificate_image';
  /** Where the storage keeps the bytes; never derived from the uploaded name. */
  storage_key: string;
  original_name: string;
  /** Decided from the content, not from the name. */
  mime_type: string;
  size_bytes: ColumnType<number, number, number>;
  created_at: CreatedAt;
}

export interface ApplicationFormsTable {
  id: Generated<string>;
  contest_id: string;
  /** Null: the contest-wide form; otherwise the form of one nomination. */
  nomination_id: string | null;
  version: number;
  fields: Json<unknown>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ApplicationsTable {
  id: Generated<string>;
  contest_id: string;
  nomination_id: string;
  applicant_id: string;
  /** The form version the answers belong to. */
  form_id: string;
  status: ApplicationStatus;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  registration_number: string | null;
  /** An individual extension of the deadline, granted by an organizer. */
  extended_until: Timestamp | null;
  submitted_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ApplicationFilesTable {
  file_id: string;
  application_id: string;
  field_key: string;
  created_at: CreatedAt;
}

export interface ApplicationStatusHistoryTable {
  id: Generated<number>;
  application_id: string;
  from_status: ApplicationStatus | null;
  to_status: ApplicationStatus;
  actor_id: string | null;
  comment: string | null;
  at: CreatedAt;
}

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body: string;
  /** pending: to be sent; sent: delivered to the SMTP server; kept: no SMTP_URL, readable in the app only. */
  status: ColumnType<'pending' | 'sent' | 'kept', 'pending' | 'sent' | 'kept' | undefined, 'pending' | 'sent' | 'kept'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: Timestamp | null;
  created_at: CreatedAt;
  /** Carries a one-time link: its text is not shown in the outbox once it is handed to a mail server. */
  sensitive: ColumnType<boolean, boolean | undefined, boolean>;
}
