import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DEMO_ACCOUNTS,
  DEMO_JURORS,
  DEMO_OLYMPIAD_STUDENTS,
  MIGRATION_NAMES,
  migrateTo,
  migrateToLatest,
  seedDemo,
  sql,
  type Database,
  type Db,
} from '@konkurs/db';
import { listEvents } from '../../server/src/modules/events/service.ts';
import { DEMO_APPLICANTS } from '../../db/src/seed/demo-applications.ts';
import { hashPassword, verifyPassword } from '../../server/src/modules/auth/passwords.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

/**
 * Every table and column of db/src/schema.ts. The mapped type makes tsc fail when schema.ts gains a table or
 * a column that is not listed here, so the check below always covers the whole schema.
 */
const SCHEMA: { [T in keyof Database]: Record<keyof Database[T] & string, true> } = {
  registration_counters: { prefix: true, year: true, last_number: true },
  users: {
    id: true,
    email: true,
    last_name: true,
    first_name: true,
    middle_name: true,
    password_hash: true,
    roles: true,
    created_at: true,
    email_verified_at: true,
  },
  sessions: { id: true, secret_hash: true, user_id: true, created_at: true, expires_at: true },
  account_tokens: {
    id: true,
    user_id: true,
    purpose: true,
    token_hash: true,
    email: true,
    created_at: true,
    expires_at: true,
    used_at: true,
  },
  consents: { id: true, user_id: true, purpose: true, text_version: true, text: true, given_at: true, ip: true },
  rate_limit_hits: { id: true, key: true, at: true, expires_at: true },
  audit_log: {
    id: true,
    at: true,
    actor_id: true,
    action: true,
    entity: true,
    entity_id: true,
    before: true,
    after: true,
    ip: true,
  },
  contests: {
    id: true,
    slug: true,
    title: true,
    description: true,
    applications_open_at: true,
    applications_close_at: true,
    review_end_at: true,
    results_published_at: true,
    created_at: true,
    rules_markdown: true,
    rules_file_id: true,
    results_at: true,
    archived_at: true,
    published_at: true,
    number_prefix: true,
    last_number: true,
    multiple_per_nomination: true,
    jury_method: true,
    jury_tie_breakers: true,
    jury_places: true,
    jury_blind: true,
    jury_per_entry: true,
    jury_avoid_own_municipality: true,
    jury_municipality_field: true,
    jury_show_scores: true,
    jury_disagreement_share: true,
    jury_meeting_number: true,
    jury_meeting_date: true,
    jury_meeting_place: true,
    jury_meeting_secretary: true,
    jury_meeting_absent: true,
  },
  nominations: { id: true, contest_id: true, title: true, position: true },
  olympiads: {
    id: true,
    slug: true,
    title: true,
    description: true,
    grades: true,
    window_start_at: true,
    window_end_at: true,
    time_limit_minutes: true,
    grace_seconds: true,
    results_published_at: true,
    created_at: true,
    shuffle_tasks: true,
    shuffle_options: true,
    award_threshold_share: true,
    award_quota_share: true,
    award_winners: true,
    award_per_grade: true,
    open_grade_threshold: true,
    appeal_hours: true,
    appeals_close_at: true,
    self_registration: true,
    registration_schools: true,
    show_keys_to_students: true,
  },
  olympiad_tasks: {
    id: true,
    olympiad_id: true,
    position: true,
    kind: true,
    prompt: true,
    points: true,
    content: true,
    key: true,
    created_at: true,
    voided: true,
  },
  olympiad_participants: {
    id: true,
    olympiad_id: true,
    user_id: true,
    school: true,
    grade: true,
    class_name: true,
    access_code: true,
    cipher: true,
    created_at: true,
  },
  olympiad_attempts: {
    id: true,
    olympiad_id: true,
    participant_id: true,
    user_id: true,
    started_at: true,
    deadline_at: true,
    closed_at: true,
    close_reason: true,
    seed: true,
    auto_score: true,
    voided_at: true,
    voided_by: true,
    void_reason: true,
  },
  olympiad_answers: {
    attempt_id: true,
    task_id: true,
    answer: true,
    seq: true,
    saved_at: true,
    auto_points: true,
    answered_at: true,
  },
  olympiad_late_answers: {
    attempt_id: true,
    task_id: true,
    answer: true,
    seq: true,
    answered_at: true,
    received_at: true,
    accepted_at: true,
    accepted_by: true,
    accept_reason: true,
  },
  olympiad_graders: { olympiad_id: true, user_id: true, is_chair: true, added_by: true, added_at: true },
  olympiad_open_grades: {
    id: true,
    attempt_id: true,
    task_id: true,
    grader_id: true,
    round: true,
    points: true,
    comment: true,
    graded_at: true,
    criteria_points: true,
  },
  olympiad_key_corrections: {
    id: true,
    olympiad_id: true,
    task_id: true,
    action: true,
    key_before: true,
    key_after: true,
    reason: true,
    created_by: true,
    created_at: true,
  },
  olympiad_appeals: {
    id: true,
    olympiad_id: true,
    attempt_id: true,
    task_id: true,
    user_id: true,
    text: true,
    created_at: true,
    points_before: true,
    decision: true,
    new_points: true,
    reason: true,
    decided_by: true,
    decided_at: true,
  },
  olympiad_results: { olympiad_id: true, participant_id: true, total: true, rank: true, status: true, points: true },
  olympiad_time_extensions: {
    id: true,
    participant_id: true,
    minutes: true,
    reason: true,
    created_by: true,
    created_at: true,
  },
  app_meta: { key: true, value: true },
  certificate_templates: {
    id: true,
    contest_id: true,
    olympiad_id: true,
    award: true,
    title: true,
    subtitle: true,
    lead: true,
    body: true,
    orientation: true,
    signatories: true,
    place: true,
    recipient_line: true,
    updated_at: true,
  },
  certificates: {
    id: true,
    registry_number: true,
    code: true,
    contest_id: true,
    olympiad_id: true,
    award: true,
    recipient_user_id: true,
    recipient_key: true,
    recipient_name: true,
    title: true,
    subtitle: true,
    lead: true,
    body: true,
    orientation: true,
    signatories: true,
    place: true,
    issued_on: true,
    issued_at: true,
    issued_by: true,
    revoked_at: true,
    revoked_by: true,
    revoke_reason: true,
    logo_file_id: true,
    signature_file_id: true,
    replaced_by: true,
    issuer: true,
    printed_name: true,
  },
  certificate_organisation: { id: true, name: true, city: true, signatories: true, updated_at: true },
  certificate_name_forms: { contest_id: true, olympiad_id: true, recipient_key: true, forms: true, updated_at: true },
  certificate_images: { contest_id: true, olympiad_id: true, kind: true, file_id: true, updated_at: true },
  stored_files: {
    id: true,
    owner_id: true,
    purpose: true,
    storage_key: true,
    original_name: true,
    mime_type: true,
    size_bytes: true,
    created_at: true,
  },
  application_forms: {
    id: true,
    contest_id: true,
    nomination_id: true,
    version: true,
    fields: true,
    created_by: true,
    created_at: true,
  },
  applications: {
    id: true,
    contest_id: true,
    nomination_id: true,
    applicant_id: true,
    form_id: true,
    status: true,
    answers: true,
    registration_number: true,
    extended_until: true,
    submitted_at: true,
    created_at: true,
    updated_at: true,
  },
  application_files: { file_id: true, application_id: true, field_key: true, created_at: true },
  application_status_history: {
    id: true,
    application_id: true,
    from_status: true,
    to_status: true,
    actor_id: true,
    comment: true,
    at: true,
  },
  mail_outbox: {
    id: true,
    to_address: true,
    subject: true,
    body: true,
    status: true,
    attempts: true,
    last_error: true,
    next_attempt_at: true,
    sent_at: true,
    created_at: true,
    sensitive: true,
  },
  rubrics: {
    id: true,
    contest_id: true,
    nomination_id: true,
    version: true,
    criteria: true,
    created_by: true,
    created_at: true,
  },
  jury_members: { contest_id: true, user_id: true, is_chair: true, municipality: true, added_by: true, added_at: true },
  jury_invitations: {
    id: true,
    contest_id: true,
    email: true,
    token_hash: true,
    municipality: true,
    invited_by: true,
    created_at: true,
    expires_at: true,
    accepted_at: true,
    accepted_by: true,
  },
  jury_assignments: { application_id: true, juror_id: true, contest_id: true, assigned_by: true, assigned_at: true },
  jury_conflicts: {
    application_id: true,
    juror_id: true,
    contest_id: true,
    reason: true,
    declared_by: true,
    declared_at: true,
  },
  score_sheets: {
    id: true,
    application_id: true,
    juror_id: true,
    contest_id: true,
    rubric_id: true,
    points: true,
    comments: true,
    comment: true,
    status: true,
    submitted_at: true,
    reopened_at: true,
    reopened_by: true,
    reopen_reason: true,
    created_at: true,
    updated_at: true,
  },
  result_overrides: { application_id: true, contest_id: true, place: true, reason: true, set_by: true, set_at: true },
  contest_results: {
    application_id: true,
    contest_id: true,
    nomination_id: true,
    place: true,
    rank: true,
    score: true,
    published_at: true,
  },
  contest_result_notices: {
    application_id: true,
    contest_id: true,
    nomination_id: true,
    place: true,
    score: true,
    notified_at: true,
  },
};
const TABLES = Object.keys(SCHEMA).sort();
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

async function publicTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
    order by column_name`.execute(db);
  return rows.map((r) => r.column_name);
}

const count = async (db: Db, table: keyof Database) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb({ migrate: false });
});

afterAll(async () => {
  await t?.close();
});

describe('migrations', () => {
  test('apply to an empty database and create every table and column of schema.ts', async () => {
    expect(await publicTables(t.db)).toEqual([]);
    const applied = await migrateToLatest(t.db);
    expect(applied).toEqual(MIGRATION_NAMES);
    expect(applied[0]).toBe('0001_foundation');

    const tables = await publicTables(t.db);
    expect(tables.filter((name) => !MIGRATOR_TABLES.includes(name))).toEqual(TABLES);
    for (const table of TABLES) {
      const expected = Object.keys(SCHEMA[table as keyof Database]).sort();
      expect(await columnsOf(t.db, table), table).toEqual(expected);
    }
  }, 120_000); // PGlite answers the catalogue queries of every table one at a time: slow on a busy machine.

  test('a second run applies nothing and changes nothing', async () => {
    const before = await publicTables(t.db);
    expect(await migrateToLatest(t.db)).toEqual([]);
    expect(await publicTables(t.db)).toEqual(before);
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.db);
    expect(rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
  });

  test('the schema enforces what the code relies on: unique lower-case e-mails, valid contest dates', async () => {
    await t.db
      .insertInto('users')
      .values({ email: 'unique@example.ru', last_name: 'А', first_name: 'Б', password_hash: null })
      .execute();
    await expect(
      t.db
        .insertInto('users')
        .values({ email: 'unique@example.ru', last_name: 'В', first_name: 'Г', password_hash: null })
        .execute(),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      t.db
        .insertInto('users')
        .values({ email: 'Upper@example.ru', last_name: 'В', first_name: 'Г', password_hash: null })
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
    const row = await t.db
      .selectFrom('users')
      .select(['roles', 'created_at'])
      .where('email', '=', 'unique@example.ru')
      .executeTakeFirstOrThrow();
    expect(row.roles).toEqual([]);
    expect(row.created_at).toBeInstanceOf(Date);
    await expect(
      t.db
        .insertInto('contests')
        .values({
          slug: 'bad-dates',
          title: 'Т',
          description: '',
          applications_open_at: '2026-02-01T00:00:00Z',
          applications_close_at: '2026-01-01T00:00:00Z',
          review_end_at: '2026-03-01T00:00:00Z',
        })
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
    await t.db.deleteFrom('users').where('email', '=', 'unique@example.ru').execute();
  });
});

describe('0010_accounts', () => {
  test('accounts that existed before address confirmation count as confirmed', async () => {
    const own = await createTestDb({ migrate: false });
    try {
      await migrateTo(own.db, '0007_certificate_images');
      await sql`insert into users (email, last_name, first_name) values ('old@example.ru', 'Старый', 'Пользователь')`.execute(
        own.db,
      );
      await migrateToLatest(own.db);
      const row = await own.db
        .selectFrom('users')
        .select(['created_at', 'email_verified_at'])
        .where('email', '=', 'old@example.ru')
        .executeTakeFirstOrThrow();
      expect(row.email_verified_at).toEqual(row.created_at);
      // A new account is not confirmed by default.
      await own.db
        .insertInto('users')
        .values({ email: 'new@example.ru', last_name: 'Новый', first_name: 'Пользователь', password_hash: null })
        .execute();
      expect(
        (
          await own.db
            .selectFrom('users')
            .select('email_verified_at')
            .where('email', '=', 'new@example.ru')
            .executeTakeFirstOrThrow()
        ).email_verified_at,
      ).toBeNull();
    } finally {
      await own.close();
    }
  }, 120_000);
});

describe('0013_contest_publication', () => {
  test('contests made before drafts existed stay published; a new one is a draft', async () => {
    const own = await createTestDb({ migrate: false });
    try {
      await migrateTo(own.db, '0010_accounts');
      await sql`insert into contests (slug, title, applications_open_at, applications_close_at, review_end_at)
        values ('old-contest', 'Старый', now(), now() + interval '1 day', now() + interval '2 days')`.execute(own.db);
      await migrateToLatest(own.db);
      const old = await own.db
        .selectFrom('contests')
        .select(['created_at', 'published_at'])
        .where('slug', '=', 'old-contest')
        .executeTakeFirstOrThrow();
      expect(old.published_at).toEqual(old.created_at);
      const now = new Date();
      await own.db
        .insertInto('contests')
        .values({
          slug: 'new-contest',
          title: 'Новый',
          applications_open_at: now,
          applications_close_at: new Date(now.getTime() + 1000),
          review_end_at: new Date(now.getTime() + 2000),
        })
        .execute();
      const fresh = await own.db
        .selectFrom('contests')
        .select('published_at')
        .where('slug', '=', 'new-contest')
        .executeTakeFirstOrThrow();
      expect(fresh.published_at).toBeNull();
    } finally {
      await own.close();
    }
  }, 120_000);
});

describe('0013_registration_numbers', () => {
  test('a number given twice stays with the first submission; the other gets the next one, logged; then unique', async () => {
    const own = await createTestDb({ migrate: false });
    try {
      await migrateTo(own.db, '0013_contest_publication');
      await sql`insert into users (id, email, last_name, first_name)
        values ('00000000-0000-4000-8000-000000000001', 'a@example.ru', 'А', 'Б')`.execute(own.db);
      for (const [n, slug] of [
        [1, 'c1'],
        [2, 'c2'],
      ] as const) {
        await sql`insert into contests (id, slug, title, applications_open_at, applications_close_at, review_end_at)
          values (${`00000000-0000-4000-8000-00000000010${n}`}, ${slug}, 'К', now(), now() + interval '1 day',
                  now() + interval '2 days')`.execute(own.db);
        await sql`insert into nominations (id, contest_id, title, position)
          values (${`00000000-0000-4000-8000-00000000020${n}`}, ${`00000000-0000-4000-8000-00000000010${n}`}, 'Н', 1)`.execute(
          own.db,
        );
        await sql`insert into application_forms (id, contest_id, version, fields)
          values (${`00000000-0000-4000-8000-00000000030${n}`}, ${`00000000-0000-4000-8000-00000000010${n}`}, 1, '[]')`.execute(
          own.db,
        );
      }
      const add = (id: string, contest: number, number: string, at: string) =>
        sql`insert into applications (id, contest_id, nomination_id, applicant_id, form_id, status, answers,
              registration_number, submitted_at)
            values (${id}, ${`00000000-0000-4000-8000-00000000010${contest}`},
              ${`00000000-0000-4000-8000-00000000020${contest}`}, '00000000-0000-4000-8000-000000000001',
              ${`00000000-0000-4000-8000-00000000030${contest}`}, 'submitted', '{}', ${number}, ${at})`.execute(own.db);
      await add('00000000-0000-4000-8000-000000000401', 1, 'ТОС-2026-001', '2026-11-01T10:00:00Z');
      await add('00000000-0000-4000-8000-000000000402', 1, 'ТОС-2026-002', '2026-11-02T10:00:00Z');
      await add('00000000-0000-4000-8000-000000000403', 2, 'ТОС-2026-001', '2026-11-03T10:00:00Z');
      await migrateToLatest(own.db);
      const numbers = await own.db
        .selectFrom('applications')
        .select(['id', 'registration_number'])
        .orderBy('id')
        .execute();
      expect(numbers.map((r) => r.registration_number)).toEqual(['ТОС-2026-001', 'ТОС-2026-002', 'ТОС-2026-003']);
      const counter = await own.db.selectFrom('registration_counters').selectAll().execute();
      expect(counter).toEqual([{ prefix: 'ТОС', year: 2026, last_number: 3 }]);
      const log = await own.db
        .selectFrom('audit_log')
        .select(['action', 'entity_id', 'before', 'after'])
        .where('action', '=', 'application.renumber')
        .execute();
      expect(log).toEqual([
        {
          action: 'application.renumber',
          entity_id: '00000000-0000-4000-8000-000000000403',
          before: { registrationNumber: 'ТОС-2026-001' },
          after: { registrationNumber: 'ТОС-2026-003' },
        },
      ]);
      await expect(
        sql`update applications set registration_number = 'ТОС-2026-001'
            where id = '00000000-0000-4000-8000-000000000403'`.execute(own.db),
      ).rejects.toThrow();
    } finally {
      await own.close();
    }
  }, 120_000);
});

describe('demo seed', () => {
  const now = new Date('2026-11-20T09:00:00Z');

  test('a seed that fails half-way leaves nothing behind', async () => {
    // A contest with the demo slug makes the seed's second insert fail.
    await t.db
      .insertInto('contests')
      .values({
        slug: 'luchshiy-predsedatel-tos-smolensk',
        title: 'Мешает',
        description: '',
        applications_open_at: now,
        applications_close_at: new Date(now.getTime() + 1),
        review_end_at: new Date(now.getTime() + 1),
      })
      .execute();
    await expect(seedDemo(t.db, { hashPassword: async (p) => `plain:${p}`, now })).rejects.toThrow();
    expect(await count(t.db, 'users')).toBe(0);
    expect(await count(t.db, 'app_meta')).toBe(0);
    expect(await count(t.db, 'nominations')).toBe(0);
    await t.db.deleteFrom('contests').execute();
  });

  test('loads the two contests, the olympiad and the five demo accounts', async () => {
    expect(await seedDemo(t.db, { hashPassword, now })).toBe(true);

    const contests = await t.db.selectFrom('contests').select(['id', 'slug']).execute();
    const nominations = await t.db
      .selectFrom('nominations')
      .select(['contest_id', 'title', 'position'])
      .orderBy('position')
      .execute();
    const bySlug = Object.fromEntries(contests.map((c) => [c.slug, nominations.filter((n) => n.contest_id === c.id)]));
    expect(Object.keys(bySlug).sort()).toEqual([
      'luchshiy-predsedatel-tos-smolensk',
      'luchshiy-rukovoditel-tos-smolenskoy-oblasti',
    ]);
    expect(bySlug['luchshiy-predsedatel-tos-smolensk'].map((n) => n.position)).toEqual([1, 2]);
    expect(bySlug['luchshiy-rukovoditel-tos-smolenskoy-oblasti'].map((n) => n.position)).toEqual([1, 2, 3]);

    const olympiads = await t.db.selectFrom('olympiads').selectAll().execute();
    expect(olympiads).toHaveLength(1);
    expect(olympiads[0]).toMatchObject({ slug: 'olimpiada-osnovy-msu', grades: [10, 11], time_limit_minutes: 90 });

    const users = await t.db
      .selectFrom('users')
      .select(['email', 'roles', 'password_hash', 'last_name'])
      .orderBy('email')
      .execute();
    // The four accounts one can sign in with, and the demo applicants (no password) whose applications fill the contests.
    expect(users.filter((u) => u.password_hash !== null)).toHaveLength(5);
    expect(
      users
        .filter((u) => u.password_hash === null)
        .map((u) => u.email)
        .sort(),
    ).toEqual([...DEMO_APPLICANTS, ...DEMO_JURORS, ...DEMO_OLYMPIAD_STUDENTS].map((p) => p.email).sort());
    expect(DEMO_ACCOUNTS).toHaveLength(5);
    for (const account of DEMO_ACCOUNTS) {
      const user = users.find((u) => u.email === account.email);
      expect(user, account.email).toBeDefined();
      expect(user!.roles).toEqual(account.roles);
      expect(user!.last_name).toBe(account.lastName);
      // The printed password really opens the account.
      expect(await verifyPassword(user!.password_hash!, account.password), account.email).toBe(true);
    }
    expect(new Set(DEMO_ACCOUNTS.flatMap((a) => a.roles))).toEqual(
      new Set(['organizer', 'juror', 'applicant', 'student']),
    );
  });

  test('demo accounts, applicants and jurors count as confirmed; roster students have an address nobody can mail', async () => {
    const users = await t.db.selectFrom('users').select(['email', 'email_verified_at']).execute();
    const unconfirmed = users
      .filter((u) => u.email_verified_at === null)
      .map((u) => u.email)
      .sort();
    expect(unconfirmed).toEqual(DEMO_OLYMPIAD_STUDENTS.map((s) => s.email).sort());
    for (const email of unconfirmed) expect(email).toMatch(/\.invalid$/);
  });

  test('a second seed returns false and duplicates nothing', async () => {
    const before = {
      users: await count(t.db, 'users'),
      contests: await count(t.db, 'contests'),
      nominations: await count(t.db, 'nominations'),
      olympiads: await count(t.db, 'olympiads'),
      app_meta: await count(t.db, 'app_meta'),
    };
    expect(before).toEqual({
      users: 5 + DEMO_APPLICANTS.length + DEMO_JURORS.length + DEMO_OLYMPIAD_STUDENTS.length,
      contests: 2,
      nominations: 5,
      olympiads: 1,
      app_meta: 1,
    });
    expect(await seedDemo(t.db, { hashPassword: async (p) => `plain:${p}`, now: new Date() })).toBe(false);
    expect({
      users: await count(t.db, 'users'),
      contests: await count(t.db, 'contests'),
      nominations: await count(t.db, 'nominations'),
      olympiads: await count(t.db, 'olympiads'),
      app_meta: await count(t.db, 'app_meta'),
    }).toEqual(before);
    // The accounts keep their original password hashes.
    const hashes = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('password_hash', 'is not', null)
      .execute();
    for (const { password_hash } of hashes) expect(password_hash).toMatch(/^\$argon2id\$/);
  });

  test('demo dates relative to now: one contest takes applications, one is under review, the olympiad is open', async () => {
    const { contests, olympiads } = await listEvents(t.db, now);
    const phase = Object.fromEntries([...contests, ...olympiads].map((e) => [e.slug, e.phase]));
    expect(phase).toEqual({
      'luchshiy-predsedatel-tos-smolensk': 'applications',
      'luchshiy-rukovoditel-tos-smolenskoy-oblasti': 'review',
      'olimpiada-osnovy-msu': 'open',
    });
    expect(contests.find((c) => c.slug === 'luchshiy-predsedatel-tos-smolensk')!.nominations).toHaveLength(2);
    expect(contests.find((c) => c.slug === 'luchshiy-rukovoditel-tos-smolenskoy-oblasti')!.nominations).toHaveLength(3);
    expect(olympiads[0].grades).toEqual([10, 11]);
    // The same data a few weeks later: the journeys move on by date alone.
    const later = await listEvents(t.db, new Date(now.getTime() + 22 * 24 * 60 * 60 * 1000));
    expect(Object.fromEntries([...later.contests, ...later.olympiads].map((e) => [e.slug, e.phase]))).toEqual({
      'luchshiy-predsedatel-tos-smolensk': 'review',
      'luchshiy-rukovoditel-tos-smolenskoy-oblasti': 'review',
      'olimpiada-osnovy-msu': 'grading',
    });
  });
});
