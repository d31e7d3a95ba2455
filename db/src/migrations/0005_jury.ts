import { sql, type Kysely } from 'kysely';

/** The jury: rubrics with versions, jury members and invitations, assignments, conflicts, score sheets, overrides and published results. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // How a contest's jury works (product.md): the method across jurors, tie-breakers, places, blind mode, the assignment rules.
  await sql`
    alter table contests
      add column jury_method text not null default 'mean' check (jury_method in ('mean', 'median', 'trimmed_mean', 'standardized')),
      add column jury_tie_breakers jsonb not null default '[]',
      add column jury_places int not null default 3 check (jury_places between 1 and 10),
      add column jury_blind boolean not null default false,
      add column jury_per_entry int not null default 3 check (jury_per_entry between 1 and 50),
      add column jury_avoid_own_municipality boolean not null default false,
      add column jury_municipality_field text,
      add column jury_show_scores boolean not null default false,
      add column jury_disagreement_share double precision not null default 0.3 check (jury_disagreement_share > 0 and jury_disagreement_share <= 1)`.execute(
    db,
  );

  // A rubric is never changed in place: every edit adds a version; once a score sheet uses a version, edits are refused.
  await sql`
    create table rubrics (
      id uuid primary key default gen_random_uuid(),
      contest_id uuid not null references contests(id) on delete cascade,
      nomination_id uuid references nominations(id) on delete cascade,
      version int not null check (version > 0),
      criteria jsonb not null,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index rubrics_version on rubrics(contest_id, coalesce(nomination_id, '00000000-0000-0000-0000-000000000000'::uuid), version)`.execute(
    db,
  );

  await sql`
    create table jury_members (
      contest_id uuid not null references contests(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      is_chair boolean not null default false,
      municipality text,
      added_by uuid references users(id) on delete set null,
      added_at timestamptz not null default now(),
      primary key (contest_id, user_id)
    )`.execute(db);
  await sql`create unique index jury_members_one_chair on jury_members(contest_id) where is_chair`.execute(db);
  await sql`create index jury_members_user on jury_members(user_id)`.execute(db);

  // An invitation by e-mail: only a SHA-256 of the token is kept; accepting it makes the account a member.
  await sql`
    create table jury_invitations (
      id uuid primary key default gen_random_uuid(),
      contest_id uuid not null references contests(id) on delete cascade,
      email text not null check (email = lower(email)),
      token_hash text not null unique,
      municipality text,
      invited_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references users(id) on delete set null
    )`.execute(db);
  await sql`create index jury_invitations_contest on jury_invitations(contest_id)`.execute(db);

  await sql`
    create table jury_assignments (
      application_id uuid not null references applications(id) on delete cascade,
      juror_id uuid not null references users(id) on delete cascade,
      contest_id uuid not null references contests(id) on delete cascade,
      assigned_by uuid references users(id) on delete set null,
      assigned_at timestamptz not null default now(),
      primary key (application_id, juror_id)
    )`.execute(db);
  await sql`create index jury_assignments_juror on jury_assignments(juror_id, contest_id)`.execute(db);
  await sql`create index jury_assignments_contest on jury_assignments(contest_id)`.execute(db);

  // A declared conflict of interest removes the juror from the entry: no assignment, no sheet counted.
  await sql`
    create table jury_conflicts (
      application_id uuid not null references applications(id) on delete cascade,
      juror_id uuid not null references users(id) on delete cascade,
      contest_id uuid not null references contests(id) on delete cascade,
      reason text not null,
      declared_by uuid references users(id) on delete set null,
      declared_at timestamptz not null default now(),
      primary key (application_id, juror_id)
    )`.execute(db);
  await sql`create index jury_conflicts_contest on jury_conflicts(contest_id)`.execute(db);

  await sql`
    create table score_sheets (
      id uuid primary key default gen_random_uuid(),
      application_id uuid not null references applications(id) on delete cascade,
      juror_id uuid not null references users(id) on delete restrict,
      contest_id uuid not null references contests(id) on delete cascade,
      rubric_id uuid not null references rubrics(id) on delete restrict,
      points jsonb not null default '{}',
      comments jsonb not null default '{}',
      comment text not null default '',
      status text not null default 'draft' check (status in ('draft', 'submitted')),
      submitted_at timestamptz,
      reopened_at timestamptz,
      reopened_by uuid references users(id) on delete set null,
      reopen_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (application_id, juror_id),
      check ((status = 'submitted') = (submitted_at is not null))
    )`.execute(db);
  await sql`create index score_sheets_contest on score_sheets(contest_id, status)`.execute(db);
  await sql`create index score_sheets_juror on score_sheets(juror_id)`.execute(db);

  // The organizer's written decision to set a place other than the computed one (audited as well).
  await sql`
    create table result_overrides (
      application_id uuid primary key references applications(id) on delete cascade,
      contest_id uuid not null references contests(id) on delete cascade,
      place int check (place >= 1),
      reason text not null,
      set_by uuid references users(id) on delete set null,
      set_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index result_overrides_contest on result_overrides(contest_id)`.execute(db);

  // The results as they stood when the organizer published them: the public page and the certificates read these.
  await sql`
    create table contest_results (
      application_id uuid primary key references applications(id) on delete cascade,
      contest_id uuid not null references contests(id) on delete cascade,
      nomination_id uuid not null references nominations(id) on delete cascade,
      place int check (place >= 1),
      rank int,
      score double precision,
      published_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index contest_results_contest on contest_results(contest_id, nomination_id, place)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'contest_results',
    'result_overrides',
    'score_sheets',
    'jury_conflicts',
    'jury_assignments',
    'jury_invitations',
    'jury_members',
    'rubrics',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`
    alter table contests drop column jury_method, drop column jury_tie_breakers, drop column jury_places, drop column jury_blind,
      drop column jury_per_entry, drop column jury_avoid_own_municipality, drop column jury_municipality_field,
      drop column jury_show_scores, drop column jury_disagreement_share`.execute(db);
}
