import { sql, type Kysely } from 'kysely';

/** The olympiad: task sets with answer keys, rosters with access codes, timed attempts and their answers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table olympiads
      add column shuffle_tasks boolean not null default false,
      add column shuffle_options boolean not null default false,
      add column award_threshold_share double precision not null default 0.5 check (award_threshold_share between 0 and 1),
      add column award_quota_share double precision not null default 0.45 check (award_quota_share between 0 and 1),
      add column award_winners int not null default 1 check (award_winners >= 0),
      add column award_per_grade boolean not null default false`.execute(db);

  await sql`
    create table olympiad_tasks (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      position int not null,
      kind text not null check (kind in ('single', 'multiple', 'text', 'number', 'matching', 'ordering', 'open')),
      prompt text not null,
      points double precision not null check (points > 0),
      content jsonb not null default '{}',
      key jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index olympiad_tasks_olympiad on olympiad_tasks(olympiad_id, position)`.execute(db);

  await sql`
    create table olympiad_participants (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      school text not null,
      grade int not null,
      class_name text not null default '',
      access_code text not null unique,
      cipher text not null,
      created_at timestamptz not null default now(),
      unique (olympiad_id, user_id),
      unique (olympiad_id, cipher)
    )`.execute(db);

  await sql`
    create table olympiad_attempts (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      participant_id uuid not null unique references olympiad_participants(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      started_at timestamptz not null default now(),
      deadline_at timestamptz not null,
      closed_at timestamptz,
      close_reason text check (close_reason in ('finished', 'deadline')),
      seed int not null,
      auto_score double precision,
      check ((closed_at is null) = (close_reason is null))
    )`.execute(db);
  await sql`create index olympiad_attempts_open_deadline on olympiad_attempts(deadline_at) where closed_at is null`.execute(
    db,
  );

  await sql`
    create table olympiad_answers (
      attempt_id uuid not null references olympiad_attempts(id) on delete cascade,
      task_id uuid not null references olympiad_tasks(id) on delete cascade,
      answer jsonb not null,
      seq int not null check (seq >= 0),
      saved_at timestamptz not null default now(),
      auto_points double precision,
      primary key (attempt_id, task_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['olympiad_answers', 'olympiad_attempts', 'olympiad_participants', 'olympiad_tasks']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`
    alter table olympiads drop column shuffle_tasks, drop column shuffle_options, drop column award_threshold_share,
      drop column award_quota_share, drop column award_winners, drop column award_per_grade`.execute(db);
}
