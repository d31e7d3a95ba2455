import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One valid certificate per event, recipient and award: a revoked one no longer blocks its replacement.
  await sql`drop index certificates_once`.execute(db);
  await sql`create unique index certificates_once on certificates (coalesce(contest_id, olympiad_id), recipient_key, award) where revoked_at is null`.execute(
    db,
  );
  // The certificate issued in place of this (revoked) one; its verification page says it was replaced.
  await sql`alter table certificates add column replaced_by uuid references certificates(id) on delete set null`.execute(
    db,
  );
  // Frozen at issue like the wording: the issuing organisation and the name in the case the template asks for.
  await sql`alter table certificates add column issuer text not null default ''`.execute(db);
  await sql`alter table certificates add column printed_name text not null default ''`.execute(db);

  // Templates and images without an event belong to the organisation: every event without its own uses them.
  await sql`alter table certificate_templates add column recipient_line text not null default '{ФИО}'`.execute(db);
  await sql`alter table certificate_templates drop constraint certificate_templates_check`.execute(db);
  await sql`alter table certificate_templates add constraint certificate_templates_scope check (contest_id is null or olympiad_id is null)`.execute(
    db,
  );
  await sql`create unique index certificate_templates_organisation on certificate_templates (award) where contest_id is null and olympiad_id is null`.execute(
    db,
  );
  await sql`alter table certificate_images drop constraint certificate_images_check`.execute(db);
  await sql`alter table certificate_images add constraint certificate_images_scope check (contest_id is null or olympiad_id is null)`.execute(
    db,
  );
  await sql`create unique index certificate_images_organisation on certificate_images (kind) where contest_id is null and olympiad_id is null`.execute(
    db,
  );

  // The organisation's own details, printed on every default template: one row.
  await sql`
    create table certificate_organisation (
      id boolean primary key default true check (id),
      name text not null default '',
      city text not null default '',
      signatories jsonb not null default '[]',
      updated_at timestamptz not null default now()
    )`.execute(db);

  // The organizer's correction of how one recipient's name is declined, per event.
  await sql`
    create table certificate_name_forms (
      contest_id uuid references contests(id) on delete cascade,
      olympiad_id uuid references olympiads(id) on delete cascade,
      recipient_key text not null,
      forms jsonb not null,
      updated_at timestamptz not null default now(),
      check ((contest_id is null) <> (olympiad_id is null))
    )`.execute(db);
  await sql`create unique index certificate_name_forms_once on certificate_name_forms (coalesce(contest_id, olympiad_id), recipient_key)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table certificate_name_forms`.execute(db);
  await sql`drop table certificate_organisation`.execute(db);
  await sql`delete from certificate_images where contest_id is null and olympiad_id is null`.execute(db);
  await sql`drop index certificate_images_organisation`.execute(db);
  await sql`alter table certificate_images drop constraint certificate_images_scope`.execute(db);
  await sql`alter table certificate_images add constraint certificate_images_check check ((contest_id is null) <> (olympiad_id is null))`.execute(
    db,
  );
  await sql`delete from certificate_templates where contest_id is null and olympiad_id is null`.execute(db);
  await sql`drop index certificate_templates_organisation`.execute(db);
  await sql`alter table certificate_templates drop constraint certificate_templates_scope`.execute(db);
  await sql`alter table certificate_templates add constraint certificate_templates_check check ((contest_id is null) <> (olympiad_id is null))`.execute(
    db,
  );
  await sql`alter table certificate_templates drop column recipient_line`.execute(db);
  await sql`alter table certificates drop column printed_name`.execute(db);
  await sql`alter table certificates drop column issuer`.execute(db);
  await sql`alter table certificates drop column replaced_by`.execute(db);
  await sql`drop index certificates_once`.execute(db);
  await sql`create unique index certificates_once on certificates (coalesce(contest_id, olympiad_id), recipient_key, award)`.execute(
    db,
  );
}
