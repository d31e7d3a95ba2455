import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A contest is a draft, seen by organizers only, until it is published by an explicit act; null = draft.
  await sql`alter table contests add column published_at timestamptz`.execute(db);
  // Contests made before drafts existed were public at once, and stay so.
  await sql`update contests set published_at = created_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contests drop column published_at`.execute(db);
}
