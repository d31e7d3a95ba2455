import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The published results of an olympiad, one row per participant, written with the publication and rewritten in the
  // transaction of every later change (an appeal's decision): a student's own page and an appeal read their row
  // instead of recomputing the whole table for every request.
  await sql`
    create table olympiad_results (
      olympiad_id uuid not null references olympiads(id) on delete cascade,
      participant_id uuid not null references olympiad_participants(id) on delete cascade,
      total double precision not null,
      rank integer not null,
      status text not null check (status in ('winner', 'prize', 'participant')),
      points jsonb not null,
      primary key (olympiad_id, participant_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table olympiad_results`.execute(db);
}
