import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique check (email = lower(email)),
      last_name text not null,
      first_name text not null,
      middle_name text,
      password_hash text,
      roles text[] not null default '{}',
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      secret_hash text not null,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index sessions_user_id on sessions(user_id)`.execute(db);

  await sql`
    create table consents (
      id bigint generated always as identity primary key,
      user_id uuid not null references users(id) on delete cascade,
      purpose text not null,
      text_version text not null,
      text text not null,
      given_at timestamptz not null default now(),
      ip text
    )`.execute(db);

  await sql`
    create table auth_failures (
      id bigint generated always as identity primary key,
      key text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index auth_failures_key_at on auth_failures(key, at)`.execute(db);

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_id uuid references users(id) on delete set null,
      action text not null,
      entity text not null,
      entity_id text,
      before jsonb,
      after jsonb,
      ip text
    )`.execute(db);
  await sql`create index audit_log_entity on audit_log(entity, entity_id)`.execute(db);

  await sql`
    create table contests (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      title text not null,
      description text not null default '',
      applications_open_at timestamptz not null,
      applications_close_at timestamptz not null,
      review_end_at timestamptz not null,
      results_published_at timestamptz,
      created_at timestamptz not null default now(),
      check (applications_open_at < applications_close_at),
      check (applications_close_at <= review_end_at)
    )`.execute(db);

  await sql`
    create table nominations (
      id uuid primary key default gen_random_uuid(),
      contest_id uuid not null references contests(id) on delete cascade,
      title text not null,
      position int not null default 0
    )`.execute(db);
  await sql`create index nominations_contest on nominations(contest_id, position)`.execute(db);

  await sql`
    create table olympiads (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      title text not null,
      description text not null default '',
      grades int[] not null default '{}',
      window_start_at timestamptz not null,
      window_end_at timestamptz not null,
      time_limit_minutes int not null check (time_limit_minutes > 0),
      results_published_at timestamptz,
      created_at timestamptz not null default now(),
      check (window_start_at < window_end_at)
    )`.execute(db);

  await sql`create table app_meta (key text primary key, value text not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'app_meta',
    'olympiads',
    'nominations',
    'contests',
    'audit_log',
    'auth_failures',
    'consents',
    'sessions',
    'users',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
