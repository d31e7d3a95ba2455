import { sql, type Kysely } from 'kysely';

/**
 * The olympiad organizer's tools: grades per criterion, key corrections and voided tasks after the start, and the
 * «показ работ» setting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A grader's points per criterion of an open task (in the order of the task's criteria); `points` is their sum.
  await sql`alter table olympiad_open_grades add column criteria_points jsonb`.execute(db);

  // A voided task: everyone gets its full points or none, as the jury decided ('full' or 'zero').
  await sql`alter table olympiad_tasks add column voided text check (voided in ('full', 'zero'))`.execute(db);

  // Every correction of a key or voiding of a task after the start, with its reason and the totals it changed.
  await sql`
    create table olympiad_key_corrections (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      task_id uuid not null references olympiad_tasks(id) on delete cascade,
      action text not null check (action in ('key', 'void_full', 'void_zero')),
      key_before jsonb not null,
      key_after jsonb not null,
      reason text not null,
      created_by uuid not null references users(id) on delete restrict,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index olympiad_key_corrections_olympiad on olympiad_key_corrections (olympiad_id, created_at)`.execute(
    db,
  );

  // «Показ работ»: after publication a student may see the correct answers and the criteria, when the organizer allows.
  await sql`alter table olympiads add column show_keys_to_students boolean not null default false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table olympiads drop column show_keys_to_students`.execute(db);
  await sql`drop table olympiad_key_corrections`.execute(db);
  await sql`alter table olympiad_tasks drop column voided`.execute(db);
  await sql`alter table olympiad_open_grades drop column criteria_points`.execute(db);
}
