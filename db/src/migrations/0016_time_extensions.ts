import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The organizer's individual extensions of one student's time (as Moodle's user overrides): who, how many minutes
  // and why. Given before the start, they lengthen the deadline set at the start; given during the work, they move the
  // attempt's deadline at once (olympiad_attempts.deadline_at is the one deadline every check reads).
  await sql`
    create table olympiad_time_extensions (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references olympiad_participants(id) on delete cascade,
      minutes int not null check (minutes between 1 and 300),
      reason text not null check (reason <> ''),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index olympiad_time_extensions_participant on olympiad_time_extensions (participant_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table olympiad_time_extensions`.execute(db);
}
