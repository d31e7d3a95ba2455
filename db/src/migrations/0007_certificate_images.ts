import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stored_files drop constraint stored_files_purpose_check`.execute(db);
  await sql`alter table stored_files add constraint stored_files_purpose_check check (purpose in ('application', 'contest_rules', 'certificate_image'))`.execute(
    db,
  );

  // The logo and the signature (of the first signatory) an event prints on its certificates; one of each per event.
  await sql`
    create table certificate_images (
      contest_id uuid references contests(id) on delete cascade,
      olympiad_id uuid references olympiads(id) on delete cascade,
      kind text not null check (kind in ('logo', 'signature')),
      file_id uuid not null references stored_files(id) on delete restrict,
      updated_at timestamptz not null default now(),
      check ((contest_id is null) <> (olympiad_id is null))
    )`.execute(db);
  await sql`create unique index certificate_images_event_kind on certificate_images (coalesce(contest_id, olympiad_id), kind)`.execute(
    db,
  );

  // Images are frozen at issue like the wording: the certificate keeps the files it was issued with.
  await sql`alter table certificates add column logo_file_id uuid references stored_files(id) on delete restrict`.execute(
    db,
  );
  await sql`alter table certificates add column signature_file_id uuid references stored_files(id) on delete restrict`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table certificates drop column signature_file_id`.execute(db);
  await sql`alter table certificates drop column logo_file_id`.execute(db);
  await sql`drop table certificate_images`.execute(db);
  await sql`delete from stored_files where purpose = 'certificate_image'`.execute(db);
  await sql`alter table stored_files drop constraint stored_files_purpose_check`.execute(db);
  await sql`alter table stored_files add constraint stored_files_purpose_check check (purpose in ('application', 'contest_rules'))`.execute(
    db,
  );
}
