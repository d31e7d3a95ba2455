import { sql, type Kysely } from 'kysely';

/** The olympiad's jury: graders, blind double grading of open answers by шифр, appeals after publication; self-registration. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table olympiads
      add column open_grade_threshold double precision not null default 2 check (open_grade_threshold >= 0),
      add column appeal_hours int not null default 48 check (appeal_hours between 0 and 720),
      add column appeals_close_at timestamptz,
      add column self_registration boolean not null default false,
      add column registration_schools jsonb not null default '[]'`.execute(db);

  await sql`
    create table olympiad_graders (
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      is_chair boolean not null default false,
      added_by uuid references users(id) on delete set null,
      added_at timestamptz not null default now(),
      primary key (olympiad_id, user_id)
    )`.execute(db);
  await sql`create unique index olympiad_graders_one_chair on olympiad_graders(olympiad_id) where is_chair`.execute(db);
  await sql`create index olympiad_graders_user on olympiad_graders(user_id)`.execute(db);

  // Rounds 1 and 2 are blind grades by two different graders; round 3 is the chair's decision on a disputed answer
  // (the chair may have given one of the blind grades, hence the uniqueness per grader covers rounds 1–2 only).
  await sql`
    create table olympiad_open_grades (
      id uuid primary key default gen_random_uuid(),
      attempt_id uuid not null,
      task_id uuid not null,
      grader_id uuid not null references users(id) on delete restrict,
      round int not null check (round between 1 and 3),
      points double precision not null check (points >= 0),
      comment text not null default '',
      graded_at timestamptz not null default now(),
      foreign key (attempt_id, task_id) references olympiad_answers(attempt_id, task_id) on delete cascade,
      unique (attempt_id, task_id, round)
    )`.execute(db);
  await sql`create unique index olympiad_open_grades_blind on olympiad_open_grades(attempt_id, task_id, grader_id) where round < 3`.execute(
    db,
  );
  await sql`create index olympiad_open_grades_grader on olympiad_open_grades(grader_id)`.execute(db);

  // One appeal per task of an attempt; the decision overrides that task's points.
  await sql`
    create table olympiad_appeals (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      attempt_id uuid not null references olympiad_attempts(id) on delete cascade,
      task_id uuid not null references olympiad_tasks(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      text text not null,
      created_at timestamptz not null default now(),
      points_before double precision not null,
      decision text check (decision in ('raise', 'keep', 'lower')),
      new_points double precision check (new_points >= 0),
      reason text,
      decided_by uuid references users(id) on delete set null,
      decided_at timestamptz,
      unique (attempt_id, task_id),
      check ((decision is null) = (decided_at is null))
    )`.execute(db);
  await sql`create index olympiad_appeals_olympiad on olympiad_appeals(olympiad_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['olympiad_appeals', 'olympiad_open_grades', 'olympiad_graders']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`alter table olympiads drop column open_grade_threshold, drop column appeal_hours, drop column appeals_close_at,
    drop column self_registration, drop column registration_schools`.execute(db);
}
