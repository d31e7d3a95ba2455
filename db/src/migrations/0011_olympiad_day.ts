import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Saves already on their way when the time runs out are accepted as in time for this many seconds after the deadline.
  await sql`alter table olympiads add column grace_seconds int not null default 60
    check (grace_seconds between 0 and 600)`.execute(db);
  // The moment the student gave the answer, by the page's clock (corrected to the server's): the last one given wins.
  await sql`alter table olympiad_answers add column answered_at timestamptz`.execute(db);
  // Answers that arrived after the deadline and its grace: kept, never counted unless the organizer accepts one.
  await sql`
    create table olympiad_late_answers (
      attempt_id uuid not null references olympiad_attempts(id) on delete cascade,
      task_id uuid not null references olympiad_tasks(id) on delete cascade,
      answer jsonb not null,
      seq int not null check (seq >= 0),
      answered_at timestamptz,
      received_at timestamptz not null default now(),
      accepted_at timestamptz,
      accepted_by uuid references users(id) on delete set null,
      accept_reason text,
      primary key (attempt_id, task_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table olympiad_late_answers`.execute(db);
  await sql`alter table olympiad_answers drop column answered_at`.execute(db);
  await sql`alter table olympiads drop column grace_seconds`.execute(db);
}
