/**
 * pnpm bench:scale — a regional olympiad: BENCH_SCALE_STUDENTS students (10,000 by default) with finished attempts over
 * 20 tasks, their open answers graded by two graders, measured through the real HTTP routes of one server process:
 *   results_ms      the organizer's results table with the award rule (GET /api/olympiads/:id/results; median of 3)
 *   my_result_ms    one student's own result after publication (GET …/results/my; median of 20 students)
 *   publish_ms      publication (POST …/results/publish), the letters to every student queued with it
 *   xlsx_ms         the results table as XLSX (GET …/results.xlsx), until the last byte
 *   certs_per_s     the olympiad's certificates as one PDF (GET /api/certificates/batch.pdf), after issuing them
 *   roster_rows_per_s  a roster of as many students imported into another olympiad (CSV upload)
 *   health_max_ms   the slowest GET /api/health, asked every 50 ms over HTTP through all of the above
 * Needs DATABASE_URL (PostgreSQL); everything it made is removed afterwards. The last line reads:
 *   students=<n> results_ms=<n> my_result_ms=<n> publish_ms=<n> xlsx_ms=<n> certs_per_s=<n> roster_rows_per_s=<n> health_max_ms=<n>
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDb, migrateToLatest, sql } from '@konkurs/db';
import { DEMO_TASKS } from '../db/src/seed/olympiad-tasks.ts';
import { buildApp } from '../server/src/app.ts';
import { readConfig } from '../server/src/config.ts';
import { createSession } from '../server/src/modules/auth/sessions.ts';
import * as certificateService from '../server/src/modules/certificates/service.ts';

const STUDENTS = Number(process.env.BENCH_SCALE_STUDENTS ?? 10_000);
const TASKS = 20;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('pnpm bench:scale needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  process.exit(2);
}
const handle = createDb({ databaseUrl, poolSize: 10 });
const db = handle.db;
await migrateToLatest(db);
const tag = randomBytes(4).toString('hex');
const emailPrefix = `bench-scale-${tag}-`;
const olympiadIds: string[] = [];

const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const value = await work();
  console.log(`${label}: ${Math.round(performance.now() - started)} ms`);
  return value;
};

async function newOlympiad(title: string, windowEndAt: Date): Promise<string> {
  const row = await db
    .insertInto('olympiads')
    .values({
      slug: `bench-scale-${tag}-${olympiadIds.length}`,
      title,
      description: '',
      grades: [9, 10, 11],
      window_start_at: new Date(Date.now() - 5 * 3600_000),
      window_end_at: windowEndAt,
      time_limit_minutes: 120,
      award_per_grade: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  olympiadIds.push(row.id);
  return row.id;
}

// ---- the data, written in bulk by SQL: an olympiad that ended an hour ago
const olympiadId = await newOlympiad(
  'Региональная олимпиада по основам местного самоуправления',
  new Date(Date.now() - 3600_000),
);
const taskSet = Array.from({ length: TASKS }, (_, i) => DEMO_TASKS[i % DEMO_TASKS.length]);
const tasks = await db
  .insertInto('olympiad_tasks')
  .values(
    taskSet.map((t, i) => ({
      olympiad_id: olympiadId,
      position: i + 1,
      kind: t.kind,
      prompt: t.prompt,
      points: t.points,
      content: JSON.stringify({ options: t.options, left: t.left, right: t.right, items: t.items }),
      key: JSON.stringify(t.key),
    })),
  )
  .returning(['id', 'kind', 'points'])
  .execute();
const [organizer, ...graders] = await db
  .insertInto('users')
  .values(
    ['organizer', 'grader-a', 'grader-b'].map((who) => ({
      email: `${emailPrefix}${who}@example.ru`,
      last_name: 'Нагрузочная',
      first_name: who,
      middle_name: null,
      password_hash: null,
      roles: who === 'organizer' ? ['organizer' as const] : ['applicant' as const],
    })),
  )
  .returning('id')
  .execute();
await db
  .insertInto('olympiad_graders')
  .values(graders.map((g, i) => ({ olympiad_id: olympiadId, user_id: g.id, is_chair: i === 0 })))
  .execute();

await step(
  `${STUDENTS} students with closed attempts, ${STUDENTS * TASKS} answers, open answers graded twice`,
  async () => {
    await sql`
    insert into users (email, last_name, first_name, middle_name, password_hash, roles)
    select ${emailPrefix} || n || '@example.ru', 'Ученикова' || n, 'Анна', 'Сергеевна', null, array['student']
    from generate_series(1, ${STUDENTS}) n`.execute(db);
    await sql`
    insert into olympiad_participants (olympiad_id, user_id, school, grade, class_name, access_code, cipher)
    select ${olympiadId}, u.id, 'МБОУ «Средняя школа № ' || (n % 300 + 1) || '»', 9 + n % 3, (9 + n % 3) || 'А',
           'B' || ${tag} || '-' || n, 'Ш-' || ${tag} || '-' || n
    from (select id, (regexp_match(email, '-([0-9]+)@'))[1]::int as n from users where email like ${emailPrefix + '%'}) u
    where u.n is not null`.execute(db);
    await sql`
    insert into olympiad_attempts (olympiad_id, participant_id, user_id, started_at, deadline_at, closed_at, close_reason, seed, auto_score)
    select olympiad_id, id, user_id, now() - interval '4 hours', now() - interval '2 hours', now() - interval '2 hours 30 minutes',
           'finished', (random() * 1000000)::int, 0
    from olympiad_participants where olympiad_id = ${olympiadId}`.execute(db);
    const closed = tasks.filter((t) => t.kind !== 'open');
    const open = tasks.filter((t) => t.kind === 'open');
    // Closed tasks: right or wrong at random; the open ones: a text the two graders agree on.
    await sql`
    insert into olympiad_answers (attempt_id, task_id, answer, seq, saved_at, auto_points)
    select a.id, t.id, '"ответ"'::jsonb, 1, now() - interval '3 hours',
           case when t.open then null when random() < 0.6 then t.points else 0 end
    from olympiad_attempts a
    cross join (select unnest(${sql.val(tasks.map((t) => t.id))}::uuid[]) as id,
                       unnest(${sql.val(tasks.map((t) => t.points))}::float8[]) as points,
                       unnest(${sql.val(tasks.map((t) => t.kind === 'open'))}::bool[]) as open) t
    where a.olympiad_id = ${olympiadId}`.execute(db);
    await sql`
    update olympiad_attempts a set auto_score = s.total
    from (select attempt_id, sum(coalesce(auto_points, 0)) as total from olympiad_answers
          where task_id = any(${sql.val(closed.map((t) => t.id))}::uuid[]) group by attempt_id) s
    where a.id = s.attempt_id and a.olympiad_id = ${olympiadId}`.execute(db);
    for (const [round, grader] of graders.entries()) {
      await sql`
      insert into olympiad_open_grades (attempt_id, task_id, grader_id, round, points)
      select a.id, t.id, ${grader.id}, ${round + 1}, floor(t.points * ((a.seed % 5) / 4.0))
      from olympiad_attempts a
      cross join (select unnest(${sql.val(open.map((t) => t.id))}::uuid[]) as id,
                         unnest(${sql.val(open.map((t) => t.points))}::float8[]) as points) t
      where a.olympiad_id = ${olympiadId}`.execute(db);
    }
    await sql`analyze`.execute(db);
  },
);

// ---- the server, as `pnpm start` runs it (one process), on loopback
const app = await buildApp({
  db,
  config: readConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1', DATABASE_URL: databaseUrl }),
  logger: false,
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const organizerCookie = `konkurs_session=${(await createSession(db, organizer.id)).token}`;

const healthLatencies: number[] = [];
/** When each health answer came (ms since start), to tell which step held the server. */
const healthAt: number[] = [];
const worstHealthSince = (since: number) =>
  Math.round(Math.max(0, ...healthLatencies.filter((_, i) => healthAt[i] >= since)));
let polling = true;
const healthDone = (async () => {
  while (polling) {
    const started = performance.now();
    await (await fetch(`${url}/api/health`)).arrayBuffer();
    healthLatencies.push(performance.now() - started);
    healthAt.push(performance.now());
    await new Promise((r) => setTimeout(r, 50));
  }
})();

// The longest stretch the event loop was held (the server runs in this process): what health_max_ms waits behind.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

async function timed(
  path: string,
  init: RequestInit & { cookie: string },
): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  loopDelay.reset();
  const res = await fetch(url + path, { ...init, headers: { ...init.headers, cookie: init.cookie } });
  const bytes = (await res.arrayBuffer()).byteLength;
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}`);
  console.log(
    `  ${init.method ?? 'GET'} ${path.split('?')[0]}: ${Math.round(ms)} ms, health at worst ${worstHealthSince(started)} ms,` +
      ` event loop held ${Math.round(loopDelay.max / 1e6)} ms at worst`,
  );
  return { ms, bytes, status: res.status };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** BENCH_EXPLAIN=1: the plans of the certificate batch's statements on the data as they stand (bloat and all). */
async function explainBatch(id: string) {
  const middle = await db
    .selectFrom('certificates')
    .select('registry_number')
    .where('olympiad_id', '=', id)
    .orderBy('registry_number')
    .offset(Math.floor(certCount / 2))
    .limit(1)
    .executeTakeFirstOrThrow();
  const show = async (label: string, statement: ReturnType<typeof sql>) => {
    const rows = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${statement}`.execute(db);
    console.log(`EXPLAIN ${label}:\n${rows.rows.map((r) => '    ' + r['QUERY PLAN']).join('\n')}`);
  };
  const stats = await sql`select n_live_tup, n_dead_tup, last_analyze, last_autoanalyze, last_autovacuum
    from pg_stat_user_tables where relname = 'certificates'`.execute(db);
  console.log('certificates table:', JSON.stringify(stats.rows[0]));
  // The statement certificatesForPrinting ran for each page of 200 before (one page from the middle).
  await show(
    'old page (registry_number > $1 order by registry_number limit 200, with joins)',
    sql`select c.*, replacement.issued_on as replaced_on, coalesce(contests.title, olympiads.title)
      from certificates c
      left join contests on contests.id = c.contest_id
      left join olympiads on olympiads.id = c.olympiad_id
      left join certificates replacement on replacement.id = c.replaced_by
      where c.olympiad_id = ${id} and c.revoked_at is null and c.registry_number > ${middle.registry_number}
      order by c.registry_number limit 200`,
  );
  // What it runs now: the order once, then each page by its ids.
  const plan = async (label: string, query: { explain: typeof order.explain }) => {
    const rows = await query.explain('text', sql`analyze, buffers`);
    console.log(`EXPLAIN ${label}:\n${rows.map((r) => '    ' + String(r['QUERY PLAN'])).join('\n')}`);
  };
  const { printingOrder, printingPage } = certificateService;
  if (!printingOrder) return;
  const order = printingOrder(db, { olympiadId: id });
  await plan('new order (once per batch)', order);
  const ids = (await order.execute()).map((r) => r.id);
  await plan('new page (id = any($1), 200 ids)', printingPage(db, ids.slice(ids.length >> 1, (ids.length >> 1) + 200)));
}

const resultsRuns: number[] = [];
for (let i = 0; i < 3; i++)
  resultsRuns.push((await timed(`/api/olympiads/${olympiadId}/results`, { cookie: organizerCookie })).ms);
console.log(`results table: ${resultsRuns.map(Math.round).join(', ')} ms`);

const publish = await timed(`/api/olympiads/${olympiadId}/results/publish`, {
  method: 'POST',
  cookie: organizerCookie,
});
console.log(`publication: ${Math.round(publish.ms)} ms`);

const someStudents = await db
  .selectFrom('olympiad_participants')
  .select('user_id')
  .where('olympiad_id', '=', olympiadId)
  .orderBy(sql`random()`)
  .limit(20)
  .execute();
const myRuns: number[] = [];
for (const s of someStudents) {
  const cookie = `konkurs_session=${(await createSession(db, s.user_id)).token}`;
  myRuns.push((await timed(`/api/olympiads/${olympiadId}/results/my`, { cookie })).ms);
}
console.log(
  `one student's result: median ${Math.round(median(myRuns))} ms, worst ${Math.round(Math.max(...myRuns))} ms`,
);

const xlsx = await timed(`/api/olympiads/${olympiadId}/results.xlsx`, { cookie: organizerCookie });
console.log(`results XLSX: ${Math.round(xlsx.ms)} ms, ${(xlsx.bytes / 1e6).toFixed(1)} MB`);

const issue = await timed(`/api/olympiads/${olympiadId}/certificates/issue`, {
  method: 'POST',
  cookie: organizerCookie,
});
const certificates = await db
  .selectFrom('certificates')
  .select(({ fn }) => fn.countAll<number>().as('n'))
  .where('olympiad_id', '=', olympiadId)
  .executeTakeFirstOrThrow();
const certCount = Number(certificates.n);
console.log(`issuing ${certCount} certificates: ${Math.round(issue.ms)} ms`);
if (process.env.BENCH_EXPLAIN) await explainBatch(olympiadId);
const batch = await timed(`/api/certificates/batch.pdf?olympiadId=${olympiadId}`, { cookie: organizerCookie });
const certsPerS = certCount / (batch.ms / 1000);
console.log(`certificates PDF: ${certCount} in ${Math.round(batch.ms)} ms, ${(batch.bytes / 1e6).toFixed(1)} MB`);

const rosterOlympiad = await newOlympiad('Олимпиада для загрузки списка', new Date(Date.now() + 6 * 3600_000));
const csv = Buffer.from(
  [
    'ФИО;Школа;Класс',
    ...Array.from(
      { length: STUDENTS },
      (_, i) => `Списочная${i} Анна Сергеевна;МБОУ «Средняя школа № ${(i % 300) + 1}»;${9 + (i % 3)}Б`,
    ),
  ].join('\n'),
);
const form = new FormData();
form.append('file', new Blob([csv]), 'roster.csv');
const roster = await timed(`/api/olympiads/${rosterOlympiad}/participants/import`, {
  method: 'POST',
  body: form,
  cookie: organizerCookie,
});
const rosterRowsPerS = STUDENTS / (roster.ms / 1000);
console.log(`roster of ${STUDENTS}: ${Math.round(roster.ms)} ms`);

polling = false;
await healthDone;
const healthMax = Math.max(...healthLatencies);
console.log(`health: ${healthLatencies.length} answers, worst ${Math.round(healthMax)} ms`);
await app.close();

// ---- everything the bench made goes
await step('removing the bench data', async () => {
  await db.deleteFrom('certificates').where('olympiad_id', 'in', olympiadIds).execute();
  const people = db.selectFrom('olympiad_participants').select('user_id').where('olympiad_id', 'in', olympiadIds);
  const userIds = (await people.execute()).map((p) => p.user_id);
  await db.deleteFrom('olympiads').where('id', 'in', olympiadIds).execute();
  await db.deleteFrom('mail_outbox').where('to_address', 'like', `${emailPrefix}%`).execute();
  for (let i = 0; i < userIds.length; i += 5000)
    await db
      .deleteFrom('users')
      .where('id', 'in', userIds.slice(i, i + 5000))
      .execute();
  await db.deleteFrom('users').where('email', 'like', `${emailPrefix}%`).execute();
});
await handle.close();

console.log(
  `students=${STUDENTS} results_ms=${Math.round(median(resultsRuns))} my_result_ms=${Math.round(median(myRuns))} ` +
    `publish_ms=${Math.round(publish.ms)} xlsx_ms=${Math.round(xlsx.ms)} certs_per_s=${Math.round(certsPerS)} ` +
    `roster_rows_per_s=${Math.round(rosterRowsPerS)} health_max_ms=${Math.round(healthMax)}`,
);
