/**
 * pnpm bench:roster — how long a roster import takes, and whether the server keeps answering meanwhile.
 *
 * Builds the real API in this process (listening on loopback), on the PostgreSQL of DATABASE_URL or, without it, on an
 * embedded PostgreSQL in a temporary folder. For a CSV and an XLSX roster of BENCH_ROSTER_ROWS students (10,000 by default) it
 * uploads the file through POST /api/olympiads/:id/participants/import while GET /api/health is asked every 20 ms,
 * and prints the import time and the health answers' latencies. Then it uploads a roster over the row limit and
 * prints how fast it is refused. The last line reads:
 *   rows=<n> csv_ms=<n> xlsx_ms=<n> health_max_ms=<n> loop_max_ms=<n> over_limit_ms=<n>
 * (loop_max_ms: the longest the event loop was held during an import.)
 * Bench data is removed afterwards on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDb, migrateToLatest } from '@konkurs/db';
import { buildApp } from '../server/src/app.ts';
import { readConfig } from '../server/src/config.ts';
import { toXlsx } from '../server/src/lib/spreadsheet.ts';
import { createSession } from '../server/src/modules/auth/sessions.ts';
import { ROSTER_MAX_ROWS } from '../server/src/modules/olympiad/participants/participant-service.ts';

const ROWS = Number(process.env.BENCH_ROSTER_ROWS ?? 10_000);
const databaseUrl = process.env.DATABASE_URL || undefined;
// The embedded database on disk, as `pnpm start` keeps it (PGlite's in-memory mode copies its whole store as it grows).
const embeddedDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'konkurs-bench-roster-'));
const handle = createDb({ databaseUrl, embeddedDir, poolSize: 10 });
const db = handle.db;
await migrateToLatest(db);

const tag = randomBytes(4).toString('hex');
const organizer = await db
  .insertInto('users')
  .values({
    email: `bench-roster-${tag}@example.ru`,
    last_name: 'Нагрузочная',
    first_name: 'Ирина',
    middle_name: null,
    password_hash: null,
    roles: ['organizer'],
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const session = await createSession(db, organizer.id);
const cookie = `konkurs_session=${session.token}`;

const app = await buildApp({
  db,
  config: readConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1' }),
  logger: false,
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });

const olympiadIds: string[] = [];
async function newOlympiad(): Promise<string> {
  const row = await db
    .insertInto('olympiads')
    .values({
      slug: `bench-roster-${tag}-${olympiadIds.length}`,
      title: `Нагрузочный тест ${tag}`,
      description: '',
      grades: [9, 10, 11],
      window_start_at: new Date(Date.now() - 3600_000),
      window_end_at: new Date(Date.now() + 6 * 3600_000),
      time_limit_minutes: 90,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  olympiadIds.push(row.id);
  return row.id;
}

interface Person {
  name: string;
  school: string;
  grade: string;
}
const people = (n: number): Person[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `Ученикова${i} Анна Сергеевна`,
    school: `МБОУ «Средняя школа № ${(i % 120) + 1}»`,
    grade: `${9 + (i % 3)}${'АБВГ'[i % 4]}`,
  }));
const csvOf = (list: Person[]) =>
  Buffer.from(['ФИО;Школа;Класс', ...list.map((p) => `${p.name};${p.school};${p.grade}`)].join('\n'));
const xlsxOf = (list: Person[]) =>
  toXlsx(
    'Участники',
    [
      { header: 'ФИО', value: (p: Person) => p.name },
      { header: 'Школа', value: (p: Person) => p.school },
      { header: 'Класс', value: (p: Person) => p.grade },
    ],
    list,
  );

/** Asks /api/health every 20 ms until stopped; returns each answer's latency. */
function pollHealth() {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return latencies;
    },
  };
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

/**
 * The upload goes in through app.inject with a ready multipart body, so that building and sending a large request in
 * this same process does not hold the event loop the server shares; /api/health is asked over real HTTP.
 */
async function upload(file: Buffer, filename: string) {
  const olympiadId = await newOlympiad();
  const boundary = `----bench${randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const health = pollHealth();
  await new Promise((r) => setTimeout(r, 100));
  // The longest the event loop was held: what any request arriving meanwhile could have had to wait on top.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: `/api/olympiads/${olympiadId}/participants/import`,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  const ms = performance.now() - started;
  loop.disable();
  const body = res.json() as { added?: unknown[]; refused?: unknown[]; error?: { message: string } };
  const latencies = await health.stop();
  return { status: res.statusCode, ms, body, latencies, loopMaxMs: loop.max / 1e6 };
}

function report(label: string, r: Awaited<ReturnType<typeof upload>>) {
  const h = r.latencies;
  const outcome = r.body.error
    ? `«${r.body.error.message}»`
    : `added=${r.body.added?.length} refused=${r.body.refused?.length}`;
  console.log(
    `${label.padEnd(22)} status=${r.status} import_ms=${Math.round(r.ms)} ${outcome} | health answers=${h.length} ` +
      `p50_ms=${quantile(h, 0.5).toFixed(1)} p99_ms=${quantile(h, 0.99).toFixed(1)} max_ms=${Math.max(...h).toFixed(1)} | event loop held at most ${r.loopMaxMs.toFixed(0)} ms`,
  );
}

console.log(`database: ${handle.kind}; roster of ${ROWS} students; row limit ${ROSTER_MAX_ROWS}`);
const list = people(ROWS);
const csv = await upload(csvOf(list), 'roster.csv');
report(`CSV, ${ROWS} rows`, csv);
const xlsx = await upload(await xlsxOf(list), 'roster.xlsx');
report(`XLSX, ${ROWS} rows`, xlsx);
const over = people(ROSTER_MAX_ROWS + 1);
const overCsv = await upload(csvOf(over), 'too-long.csv');
report(`CSV, ${ROSTER_MAX_ROWS + 1} rows`, overCsv);
const overXlsx = await upload(await xlsxOf(over), 'too-long.xlsx');
report(`XLSX, ${ROSTER_MAX_ROWS + 1} rows`, overXlsx);

await app.close();
if (handle.kind === 'postgres') {
  const students = db.selectFrom('olympiad_participants').select('user_id').where('olympiad_id', 'in', olympiadIds);
  await db.deleteFrom('users').where('id', 'in', students).execute();
  await db.deleteFrom('olympiads').where('id', 'in', olympiadIds).execute();
  await db.deleteFrom('users').where('id', '=', organizer.id).execute();
}
await handle.close();
if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
const healthMax = Math.max(...[csv, xlsx, overCsv, overXlsx].flatMap((r) => r.latencies));
const loopMax = Math.max(...[csv, xlsx, overCsv, overXlsx].map((r) => r.loopMaxMs));
console.log(
  `rows=${ROWS} csv_ms=${Math.round(csv.ms)} xlsx_ms=${Math.round(xlsx.ms)} health_max_ms=${Math.round(healthMax)} loop_max_ms=${Math.round(loopMax)} over_limit_ms=${Math.round(Math.max(overCsv.ms, overXlsx.ms))}`,
);
