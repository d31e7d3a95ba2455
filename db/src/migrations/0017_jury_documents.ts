import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What each applicant was last told about their result: publishing again (after «снять с публикации» and a change)
  // mails only those whose place or score differs from it. It outlives unpublication, which empties contest_results.
  await sql`
    create table contest_result_notices (
      application_id uuid primary key references applications(id) on delete cascade,
      contest_id uuid not null references contests(id) on delete cascade,
      nomination_id uuid not null,
      place integer,
      score double precision,
      notified_at timestamptz not null
    )`.execute(db);
  await sql`create index contest_result_notices_contest on contest_result_notices (contest_id)`.execute(db);

  // The jury meeting the protocol records, set by the organizer: its number, date and place, the secretary, and the
  // members who did not take part (the quorum is the rest). The date is text YYYY-MM-DD: a calendar day, with no time
  // zone for a driver to shift.
  await sql`
    alter table contests
      add column jury_meeting_number text,
      add column jury_meeting_date text check (jury_meeting_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      add column jury_meeting_place text,
      add column jury_meeting_secretary text,
      add column jury_meeting_absent jsonb not null default '[]'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contests
      drop column jury_meeting_number, drop column jury_meeting_date, drop column jury_meeting_place,
      drop column jury_meeting_secretary, drop column jury_meeting_absent`.execute(db);
  await sql`drop table contest_result_notices`.execute(db);
}
