import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // When the address was shown to be the person's (a confirmation link opened, or a password set by a link sent there).
  await sql`alter table users add column email_verified_at timestamptz`.execute(db);
  // Accounts made before confirmation existed (the demo's, those an administrator made) count as confirmed.
  await sql`update users set email_verified_at = created_at`.execute(db);

  // One-time links sent by mail: a password reset, an address confirmation. Only a SHA-256 of the token is kept, so a
  // leaked table opens nothing; `email` is the address the link went to, so it confirms that address and no other.
  await sql`
    create table account_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      purpose text not null check (purpose in ('password_reset', 'email_verification')),
      token_hash text not null unique,
      email text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index account_tokens_user on account_tokens (user_id, purpose, created_at)`.execute(db);

  // A letter that carries a one-time link: once it goes to a mail server, the outbox page no longer shows its text.
  await sql`alter table mail_outbox add column sensitive boolean not null default false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_outbox drop column sensitive`.execute(db);
  await sql`drop table account_tokens`.execute(db);
  await sql`alter table users drop column email_verified_at`.execute(db);
}
