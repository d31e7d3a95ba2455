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

  // A person's own olympiads, attempts, appeals, consents and acts are looked up by user; and removing an account checks
  // each of these references, which without an index reads the whole table once per account.
  await sql`create index olympiad_participants_user on olympiad_participants (user_id)`.execute(db);
  await sql`create index olympiad_attempts_user on olympiad_attempts (user_id)`.execute(db);
  await sql`create index olympiad_appeals_user on olympiad_appeals (user_id)`.execute(db);
  await sql`create index consents_user on consents (user_id)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'audit_log_actor',
    'consents_user',
    'olympiad_appeals_user',
    'olympiad_attempts_user',
    'olympiad_participants_user',
  ])
    await sql`drop index ${sql.id(index)}`.execute(db);
  await sql`drop table olympiad_results`.execute(db);
}
