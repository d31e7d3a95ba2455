import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every limit of the platform (sign-ins, access codes, certificate checks, registrations) counts its hits here,
  // so that it holds across any number of server processes. Each hit carries the end of the longest window it
  // counts in; older rows count for nothing and are dropped.
  await sql`
    create table rate_limit_hits (
      id bigint generated always as identity primary key,
      key text not null,
      at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index rate_limit_hits_key_at on rate_limit_hits (key, at)`.execute(db);
  await sql`create index rate_limit_hits_expires_at on rate_limit_hits (expires_at)`.execute(db);
  // Its rows were sign-in failures of the last 15 minutes: nothing worth carrying over.
  await sql`drop table auth_failures`.execute(db);

  // A duplicate attempt (the same person registered twice) is voided by the organizer: kept, but not counted.
  await sql`alter table olympiad_attempts add column voided_at timestamptz`.execute(db);
  await sql`alter table olympiad_attempts add column voided_by uuid references users(id) on delete set null`.execute(
    db,
  );
  await sql`alter table olympiad_attempts add column void_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table olympiad_attempts drop column void_reason`.execute(db);
  await sql`alter table olympiad_attempts drop column voided_by`.execute(db);
  await sql`alter table olympiad_attempts drop column voided_at`.execute(db);
  await sql`
    create table auth_failures (
      id bigint generated always as identity primary key,
      key text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index auth_failures_key_at on auth_failures(key, at)`.execute(db);
  await sql`drop table rate_limit_hits`.execute(db);
}
