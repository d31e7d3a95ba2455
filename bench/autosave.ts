/**
 * pnpm bench:autosave — how many answer saves a second the real server takes.
 *
 * Creates N students with started attempts on the PostgreSQL of DATABASE_URL, starts the real server
 * (server/src/main.ts) as a child process on loopback, then saves answers through the real HTTP route
 * PUT /api/attempts/:attemptId/answers/:taskId from this process with autocannon for DURATION seconds,
 * each request a different student, task and a rising sequence number. Every save is acknowledged by the
 * server only after it is committed. Afterwards the stored answers are checked against what was acknowledged,
 * the bench data is removed, and the last line reads:
 *   saves/s=<n> p50_ms=<n> p99_ms=<n> errors=<n> noop/s=<n> ratio=<saves/s ÷ noop/s> session_ratio=<n>
 * (noop/s: the same server and connections on GET /api/health, which writes nothing; session_ratio: against
 * GET /api/auth/me, which only looks the session up. Absolute rates move with the machine by 2–3×, ratios much less.)
 *
 * Settings (environment): DATABASE_URL (required), BENCH_STUDENTS (2000), BENCH_DURATION (30 s),
 * BENCH_CONNECTIONS (100).
 *
 * BENCH_DB_RESTART_AT=<s>: instead of DATABASE_URL, a private PostgreSQL 15 server of its own (initdb in a temporary
 * folder on a free port, see tests/helpers/private-postgres.ts), restarted with `pg_ctl restart -m fast` <s> seconds
 * into the load. The last line then also gives recovered_ms: from PostgreSQL accepting connections again to the
 * server's /api/health answering 200.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createDb, migrateToLatest, sql } from '@konkurs/db';
import { createSession } from '../server/src/modules/auth/sessions.ts';
import { startPrivatePostgres } from '../tests/helpers/private-postgres.ts';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 2000);
const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const RESTART_AT = process.env.BENCH_DB_RESTART_AT ? Number(process.env.BENCH_DB_RESTART_AT) : undefined;
const TASKS = 20;

if (RESTART_AT !== undefined && !(RESTART_AT > 0 && RESTART_AT < DURATION)) {
  console.error(`BENCH_DB_RESTART_AT must be a number of seconds between 0 and BENCH_DURATION (${DURATION})`);
  process.exit(2);
}
// Restarting PostgreSQL is done only to a server of the bench's own, never to the one DATABASE_URL names.
const privatePg = RESTART_AT !== undefined ? await startPrivatePostgres() : undefined;
if (privatePg)
  console.log(`a private PostgreSQL on port ${privatePg.port}, to be restarted ${RESTART_AT} s into the load`);
const databaseUrl = privatePg?.url ?? process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    'DATABASE_URL is required: the benchmark runs on PostgreSQL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/konkurs_bench pnpm bench:autosave',
  );
  process.exit(2);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const handle = createDb({ databaseUrl, poolSize: 10 });
const db = handle.db;
await migrateToLatest(db);

// --- data: one olympiad, TASKS text tasks, STUDENTS students with sessions and started attempts
const tag = randomBytes(4).toString('hex');
console.log(`creating ${STUDENTS} students with started attempts (bench ${tag}) …`);
const olympiad = await db
  .insertInto('olympiads')
  .values({
    slug: `bench-${tag}`,
    title: `Нагрузочный тест ${tag}`,
    description: '',
    grades: [10, 11],
    window_start_at: new Date(Date.now() - 3600_000),
    window_end_at: new Date(Date.now() + 6 * 3600_000),
    time_limit_minutes: 240,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const tasks = await db
  .insertInto('olympiad_tasks')
  .values(
    Array.from({ length: TASKS }, (_, i) => ({
      olympiad_id: olympiad.id,
      position: i + 1,
      kind: 'text' as const,
      prompt: `Задание ${i + 1}`,
      points: 1,
      content: '{}',
      key: JSON.stringify({ accepted: ['ответ'] }),
    })),
  )
  .returning('id')
  .execute();
const taskIds = tasks.map((t) => t.id);

interface Student {
  cookie: string;
  attemptId: string;
}
const students: Student[] = [];
for (let offset = 0; offset < STUDENTS; offset += 500) {
  const count = Math.min(500, STUDENTS - offset);
  const users = await db
    .insertInto('users')
    .values(
      Array.from({ length: count }, (_, i) => ({
        email: `bench-${tag}-${offset + i}@students.konkurs.invalid`,
        last_name: 'Нагрузкин',
        first_name: `Ученик${offset + i}`,
        password_hash: null,
        roles: ['student' as const],
      })),
    )
    .returning('id')
    .execute();
  const participants = await db
    .insertInto('olympiad_participants')
    .values(
      users.map((u, i) => ({
        olympiad_id: olympiad.id,
        user_id: u.id,
        school: 'Школа',
        grade: 10,
        class_name: '10А',
        access_code: `B${tag}-${offset + i}`,
        cipher: `${tag}-${offset + i}`,
      })),
    )
    .returning(['id', 'user_id'])
    .execute();
  const attempts = await db
    .insertInto('olympiad_attempts')
    .values(
      participants.map((p) => ({
        olympiad_id: olympiad.id,
        participant_id: p.id,
        user_id: p.user_id,
        deadline_at: sql<Date>`now() + interval '4 hours'`,
        seed: 1,
      })),
    )
    .returning(['id', 'user_id'])
    .execute();
  for (const a of attempts) {
    const session = await createSession(db, a.user_id);
    students.push({ cookie: `konkurs_session=${session.token}`, attemptId: a.id });
  }
}

// --- the server: the real single process, on loopback, in a child process
const port = await freePort();
const serverDir = fileURLToPath(new URL('../server', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: serverDir,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DEMO_DATA: '0',
    SERVE_PAGES: '0',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (server.exitCode !== null) throw new Error('the server exited before it was ready');
  try {
    if ((await fetch(`${base}/api/health`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 300) throw new Error('the server did not start in 60 s');
  await new Promise((r) => setTimeout(r, 200));
}

// --- the load: each request the next (student, task), with that pair's next sequence number
const seqs = new Map<string, number>();
let next = 0;
/** The highest sequence number acknowledged per attempt/task. */
const acknowledged = new Map<string, number>();
console.log(`saving for ${DURATION} s over ${CONNECTIONS} connections …`);

/** The restart, RESTART_AT seconds into the load: how long until /api/health answers 200 once PostgreSQL is back. */
async function restartDatabase(): Promise<number> {
  await new Promise((r) => setTimeout(r, RESTART_AT! * 1000));
  const started = Date.now();
  await privatePg!.restart();
  const ready = Date.now();
  for (;;) {
    const status = await fetch(`${base}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() - ready > 60_000) throw new Error('the server did not recover within 60 s of PostgreSQL restarting');
    await new Promise((r) => setTimeout(r, 20));
  }
  const recovered = Date.now() - ready;
  console.log(
    `PostgreSQL restarted (pg_ctl restart -m fast took ${ready - started} ms); /api/health green ${recovered} ms after it accepted connections`,
  );
  return recovered;
}
const restart = privatePg ? restartDatabase() : undefined;
const result = await autocannon({
  url: base,
  connections: CONNECTIONS,
  duration: DURATION,
  requests: [
    {
      method: 'PUT',
      // One request at a time per connection (no pipelining), so the connection's context knows which save an answer is for.
      setupRequest: (request, context) => {
        const n = next++;
        const student = students[n % students.length];
        const taskId = taskIds[Math.floor(n / students.length) % taskIds.length];
        const key = `${student.attemptId}/${taskId}`;
        const seq = (seqs.get(key) ?? 0) + 1;
        seqs.set(key, seq);
        (context as { key?: string }).key = key;
        return {
          ...request,
          path: `/api/attempts/${student.attemptId}/answers/${taskId}`,
          headers: { 'content-type': 'application/json', cookie: student.cookie },
          body: JSON.stringify({ answer: { text: `ответ ${seq}` }, seq }),
        };
      },
      onResponse: (status, body, context) => {
        if (status !== 200) return;
        const saved = JSON.parse(body) as { seq: number };
        const key = (context as { key?: string }).key!;
        acknowledged.set(key, Math.max(acknowledged.get(key) ?? 0, saved.seq));
      },
    },
  ],
});

const recoveredMs = await restart;

// --- the same server and connections on routes that write nothing, so that the save rate can be read against what
// this machine gives at the moment: GET /api/health (one `select 1`, the ratio's reference) and GET /api/auth/me
// (the session looked up as for a save, nothing else).
async function noopRate(path: string, withSession: boolean) {
  let reader = 0;
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path,
          headers: withSession ? { cookie: students[reader++ % students.length].cookie } : {},
        }),
      },
    ],
  });
}
const noop = await noopRate('/api/health', false);
const sessionNoop = await noopRate('/api/auth/me', true);
// The server must have lived through the restart: it is still running when the load ends.
const alive = server.exitCode === null && server.signalCode === null;
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
if (!alive) console.error('the server process exited during the load');

// --- check: every acknowledged save is in the database (its sequence number or a newer one is stored)
const stored = await db
  .selectFrom('olympiad_answers as a')
  .innerJoin('olympiad_attempts as t', 't.id', 'a.attempt_id')
  .select(['a.attempt_id', 'a.task_id', 'a.seq'])
  .where('t.olympiad_id', '=', olympiad.id)
  .execute();
const storedSeq = new Map(stored.map((r) => [`${r.attempt_id}/${r.task_id}`, r.seq]));
let missing = 0;
for (const [key, seq] of acknowledged) if ((storedSeq.get(key) ?? 0) < seq) missing += 1;
const ok = result['2xx'];
console.log(`acknowledged saves: ${ok}; answers stored: ${stored.length}; acknowledged but missing: ${missing}`);

// --- clean up the bench data
await db.deleteFrom('olympiads').where('id', '=', olympiad.id).execute();
await db.deleteFrom('users').where('email', 'like', `bench-${tag}-%`).execute();
await handle.close();
privatePg?.destroy();

const errors = result.errors + result.timeouts + result.non2xx + missing + (alive ? 0 : 1);
const savesPerSecond = Math.round(ok / result.duration);
const noopPerSecond = Math.round(noop['2xx'] / noop.duration);
const sessionNoopPerSecond = Math.round(sessionNoop['2xx'] / sessionNoop.duration);
console.log(
  `no-op GET /api/health: ${noopPerSecond}/s p50_ms=${noop.latency.p50} p99_ms=${noop.latency.p99}; ` +
    `GET /api/auth/me: ${sessionNoopPerSecond}/s p50_ms=${sessionNoop.latency.p50} p99_ms=${sessionNoop.latency.p99}`,
);
console.log(
  `saves/s=${savesPerSecond} p50_ms=${result.latency.p50} p99_ms=${result.latency.p99} errors=${errors} ` +
    `noop/s=${noopPerSecond} ratio=${(savesPerSecond / Math.max(1, noopPerSecond)).toFixed(2)} ` +
    `session_ratio=${(savesPerSecond / Math.max(1, sessionNoopPerSecond)).toFixed(2)}` +
    (recoveredMs === undefined ? '' : ` recovered_ms=${recoveredMs}`),
);
