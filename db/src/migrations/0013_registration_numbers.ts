import { sql, type Kysely } from 'kysely';

/**
 * Registration numbers are unique in the organisation (one installation), not only in a contest: two contests with the
 * prefix ТОС closing in 2026 used to both give ТОС-2026-001. Numbers are now drawn from one counter per prefix and year.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registration_counters (
      prefix text not null,
      year integer not null,
      last_number integer not null,
      primary key (prefix, year)
    )`.execute(db);
  // The counters start after the highest number already given under each prefix and year.
  await sql`
    insert into registration_counters (prefix, year, last_number)
    select substring(registration_number from '^(.+)-[0-9]{4}-[0-9]+$'),
           substring(registration_number from '-([0-9]{4})-[0-9]+$')::int,
           max(substring(registration_number from '-([0-9]+)$')::int)
    from applications
    where registration_number ~ '^.+-[0-9]{4}-[0-9]+$'
    group by 1, 2`.execute(db);
  // A number given twice stays with the application submitted first; the others get the next free numbers, and the
  // change is in the audit log (the applicant's letter named the old one).
  const { rows } = await sql<{ id: string; registration_number: string; prefix: string; year: number }>`
    select id, registration_number,
           substring(registration_number from '^(.+)-[0-9]{4}-[0-9]+$') as prefix,
           substring(registration_number from '-([0-9]{4})-[0-9]+$')::int as year
    from (
      select id, registration_number,
             row_number() over (partition by registration_number order by submitted_at nulls last, created_at, id) as n
      from applications where registration_number is not null
    ) ranked
    where n > 1 and registration_number ~ '^.+-[0-9]{4}-[0-9]+$'
    order by registration_number, n`.execute(db);
  for (const row of rows) {
    const { rows: counter } = await sql<{ last_number: number }>`
      update registration_counters set last_number = last_number + 1
      where prefix = ${row.prefix} and year = ${row.year}
      returning last_number`.execute(db);
    const number = `${row.prefix}-${row.year}-${String(counter[0].last_number).padStart(3, '0')}`;
    await sql`update applications set registration_number = ${number} where id = ${row.id}`.execute(db);
    await sql`
      insert into audit_log (action, entity, entity_id, before, after)
      values ('application.renumber', 'application', ${row.id},
              ${JSON.stringify({ registrationNumber: row.registration_number })}::jsonb,
              ${JSON.stringify({ registrationNumber: number })}::jsonb)`.execute(db);
  }
  // Unique in the whole organisation, where it was unique within a contest.
  await sql`drop index applications_registration_number`.execute(db);
  await sql`create unique index applications_registration_number on applications (registration_number)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index applications_registration_number`.execute(db);
  await sql`create unique index applications_registration_number on applications (contest_id, registration_number)`.execute(
    db,
  );
  await sql`drop table registration_counters`.execute(db);
}
