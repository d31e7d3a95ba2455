import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // An organizer's wording of one award kind for one contest or olympiad; absent rows fall back to the defaults in code.
  await sql`
    create table certificate_templates (
      id uuid primary key default gen_random_uuid(),
      contest_id uuid references contests(id) on delete cascade,
      olympiad_id uuid references olympiads(id) on delete cascade,
      award text not null,
      title text not null,
      subtitle text not null default '',
      lead text not null default '',
      body text not null,
      orientation text not null default 'landscape' check (orientation in ('landscape', 'portrait')),
      signatories jsonb not null default '[]',
      place text not null default '',
      updated_at timestamptz not null default now(),
      check ((contest_id is null) <> (olympiad_id is null))
    )`.execute(db);
  await sql`create unique index certificate_templates_event_award on certificate_templates (coalesce(contest_id, olympiad_id), award)`.execute(
    db,
  );

  await sql`create sequence certificate_registry_seq`.execute(db);
  // What is printed is frozen at issue: a later template edit changes no issued certificate.
  await sql`
    create table certificates (
      id uuid primary key default gen_random_uuid(),
      registry_number text not null unique,
      code text not null unique,
      contest_id uuid references contests(id) on delete restrict,
      olympiad_id uuid references olympiads(id) on delete restrict,
      award text not null,
      recipient_user_id uuid references users(id) on delete set null,
      recipient_key text not null,
      recipient_name text not null,
      title text not null,
      subtitle text not null,
      lead text not null,
      body text not null,
      orientation text not null,
      signatories jsonb not null,
      place text not null,
      issued_on text not null,
      issued_at timestamptz not null default now(),
      issued_by uuid references users(id) on delete set null,
      revoked_at timestamptz,
      revoked_by uuid references users(id) on delete set null,
      revoke_reason text,
      check ((contest_id is null) <> (olympiad_id is null))
    )`.execute(db);
  // Issuing again duplicates nothing: one certificate per event, recipient and award.
  await sql`create unique index certificates_once on certificates (coalesce(contest_id, olympiad_id), recipient_key, award)`.execute(
    db,
  );
  await sql`create index certificates_recipient on certificates (recipient_user_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table certificates`.execute(db);
  await sql`drop sequence certificate_registry_seq`.execute(db);
  await sql`drop table certificate_templates`.execute(db);
}
