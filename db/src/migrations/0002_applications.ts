import { sql, type Kysely } from 'kysely';

/** Contest management, versioned application forms, applications with their history, files and the mail outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contests add column rules_markdown text not null default ''`.execute(db);
  await sql`alter table contests add column results_at timestamptz`.execute(db);
  await sql`alter table contests add column archived_at timestamptz`.execute(db);
  // Registration numbers: <prefix>-<year>-<seq>, e.g. ТОС-2026-017; the counter is taken under a row lock.
  await sql`alter table contests add column number_prefix text not null default 'ЗАЯВКА'`.execute(db);
  await sql`alter table contests add column last_number int not null default 0`.execute(db);
  await sql`alter table contests add column multiple_per_nomination boolean not null default false`.execute(db);

  await sql`
    create table stored_files (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid references users(id) on delete set null,
      purpose text not null check (purpose in ('application', 'contest_rules')),
      storage_key text not null unique,
      original_name text not null,
      mime_type text not null,
      size_bytes bigint not null check (size_bytes > 0),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`alter table contests add column rules_file_id uuid references stored_files(id) on delete set null`.execute(
    db,
  );

  // A form is never changed in place: every edit adds a version, applications keep the version they were made with.
  await sql`
    create table application_forms (
      id uuid primary key default gen_random_uuid(),
      contest_id uuid not null references contests(id) on delete cascade,
      nomination_id uuid references nominations(id) on delete cascade,
      version int not null check (version > 0),
      fields jsonb not null,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index application_forms_version on application_forms(contest_id, coalesce(nomination_id, '00000000-0000-0000-0000-000000000000'::uuid), version)`.execute(
    db,
  );

  await sql`
    create table applications (
      id uuid primary key default gen_random_uuid(),
      contest_id uuid not null references contests(id) on delete cascade,
      nomination_id uuid not null references nominations(id) on delete restrict,
      applicant_id uuid not null references users(id) on delete restrict,
      form_id uuid not null references application_forms(id) on delete restrict,
      status text not null check (status in ('draft', 'submitted', 'returned', 'accepted', 'rejected', 'withdrawn')),
      answers jsonb not null default '{}',
      registration_number text,
      extended_until timestamptz,
      submitted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index applications_contest on applications(contest_id, nomination_id, status)`.execute(db);
  await sql`create index applications_applicant on applications(applicant_id)`.execute(db);
  // Numbers run per contest; two contests may share a prefix.
  await sql`create unique index applications_registration_number on applications(contest_id, registration_number)`.execute(
    db,
  );

  await sql`
    create table application_files (
      file_id uuid primary key references stored_files(id) on delete cascade,
      application_id uuid not null references applications(id) on delete cascade,
      field_key text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index application_files_application on application_files(application_id, field_key)`.execute(db);

  await sql`
    create table application_status_history (
      id bigint generated always as identity primary key,
      application_id uuid not null references applications(id) on delete cascade,
      from_status text,
      to_status text not null,
      actor_id uuid references users(id) on delete set null,
      comment text,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index application_status_history_application on application_status_history(application_id, id)`.execute(
    db,
  );

  await sql`
    create table mail_outbox (
      id bigint generated always as identity primary key,
      to_address text not null,
      subject text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'kept')),
      attempts int not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      sent_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index mail_outbox_due on mail_outbox(status, next_attempt_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'mail_outbox',
    'application_status_history',
    'application_files',
    'applications',
    'application_forms',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`alter table contests drop column rules_file_id`.execute(db);
  await sql`drop table stored_files`.execute(db);
  for (const column of [
    'rules_markdown',
    'results_at',
    'archived_at',
    'number_prefix',
    'last_number',
    'multiple_per_nomination',
  ]) {
    await sql`alter table contests drop column ${sql.ref(column)}`.execute(db);
  }
}
