import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createDb, migrateToLatest, sql, type DbHandle } from '@konkurs/db';
import { createSession } from '../../server/src/modules/auth/sessions.ts';
import { newAccessCode } from '../../server/src/modules/olympiad/access/access-codes.ts';
import { deliverDueMail } from '../../server/src/modules/mail/outbox.ts';
import { SAVE_PATIENCE_MS } from '../../server/src/modules/olympiad/attempts/answer-saver.ts';
import { webBuildExists } from '../../server/src/web.ts';
import { launchBrowser, PHONE } from '../helpers/browser.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { startServer, type RunningServer } from '../helpers/server-process.ts';

/**
 * PostgreSQL itself restarts under a burst of saves (issue 17): its own PostgreSQL 15 server (so the machine's server
 * and the other tests are untouched, with or without TEST_DATABASE_URL), the real server process on it, several
 * students saving as the attempt page does (every unacknowledged answer kept and sent again), and the attempt page
 * itself in Chromium. PostgreSQL is restarted twice: `pg_ctl restart -m fast` in the middle of the burst, then a
 * stop, an outage longer than a save waits, and a start.
 */
const STUDENTS = 8;
const TASKS = 8;
/** Every loop and wait below is bounded by one of these, so that the test ends by itself on a slow machine. */
const RECOVERY_LIMIT_MS = 5000;
const DRAIN_LIMIT_MS = 30_000;

let pg: PrivatePostgres | undefined;
let handle: DbHandle | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;

interface Student {
  cookie: string;
  token: string;
  attemptId: string;
  accessCode: string;
}
let olympiadId: string;
let taskIds: string[];
let students: Student[];
/** The attempt page's student, and one whose attempt nobody touches: only the closing sweep can close it. */
let pageStudent: Student;
let sweepStudent: Student;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  if (!webBuildExists(fileURLToPath(new URL('../../web/build', import.meta.url))))
    throw new Error('web/build is missing: run `pnpm build` first');
  pg = await startPrivatePostgres();
  handle = createDb({ databaseUrl: pg.url, poolSize: 2 });
  const db = handle.db;
  await migrateToLatest(db);
  const tag = randomBytes(4).toString('hex');
  olympiadId = (
    await db
      .insertInto('olympiads')
      .values({
        slug: `restart-${tag}`,
        title: 'Олимпиада при перезапуске базы',
        description: '',
        grades: [10, 11],
        window_start_at: new Date(Date.now() - 3600_000),
        window_end_at: new Date(Date.now() + 6 * 3600_000),
        time_limit_minutes: 240,
        // The sweep closes an attempt right at its deadline: no grace for saves on their way.
        grace_seconds: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  taskIds = (
    await db
      .insertInto('olympiad_tasks')
      .values(
        Array.from({ length: TASKS }, (_, i) => ({
          olympiad_id: olympiadId,
          position: i + 1,
          kind: 'text' as const,
          prompt: `Задание ${i + 1}`,
          points: 1,
          content: '{}',
          key: JSON.stringify({ accepted: ['ответ'] }),
        })),
      )
      .returning('id')
      .execute()
  ).map((t) => t.id);
  students = [];
  for (let i = 0; i < STUDENTS + 2; i++) {
    const user = await db
      .insertInto('users')
      .values({
        email: `restart-${tag}-${i}@students.konkurs.invalid`,
        last_name: 'Перезапускова',
        first_name: `Ученица${i}`,
        password_hash: null,
        roles: ['student'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const accessCode = newAccessCode();
    const participant = await db
      .insertInto('olympiad_participants')
      .values({
        olympiad_id: olympiadId,
        user_id: user.id,
        school: 'Школа № 1',
        grade: 10,
        class_name: '10А',
        access_code: accessCode,
        cipher: `${tag}-${i}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const attempt = await db
      .insertInto('olympiad_attempts')
      .values({
        olympiad_id: olympiadId,
        participant_id: participant.id,
        user_id: user.id,
        deadline_at: sql<Date>`now() + interval '4 hours'`,
        seed: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { token } = await createSession(db, user.id);
    students.push({ cookie: `konkurs_session=${token}`, token, attemptId: attempt.id, accessCode });
  }
  [pageStudent, sweepStudent] = students.splice(STUDENTS, 2);
  server = await startServer({ databaseUrl: pg.url, env: { DEMO_DATA: '0' } });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  await handle?.close().catch(() => {});
  pg?.destroy();
}, 60_000);

/** Polls /api/health every 50 ms until it answers 200; the time that took (bounded: fails past the limit, with a margin). */
async function timeUntilHealthy(base: string): Promise<number> {
  const from = Date.now();
  while (Date.now() - from < RECOVERY_LIMIT_MS * 3) {
    const status = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return Date.now() - from;
    await sleep(50);
  }
  return Number.POSITIVE_INFINITY;
}

describe('a PostgreSQL restart under a burst of saves', () => {
  it('keeps the server running, loses no acknowledged save, stores every retried one, and is healthy within 5 s', async () => {
    const base = server!.url;
    const db = handle!.db;
    type Outcome = { at: number; status: number | 'network'; code?: string };
    const outcomes: Outcome[] = [];
    /** Per student and task: the last answer given, the highest acknowledged, the unacknowledged one, the refused ones. */
    const given = new Map<string, number>();
    const acked = new Map<string, number>();
    const reported = new Set<string>();
    const leftPending: string[] = [];
    let giving = true;
    let drainUntil = Number.POSITIVE_INFINITY;
    const text = (seq: number) => ({ text: `ответ номер ${seq}` });

    // Each student as the attempt page behaves: a new answer every turn, all unacknowledged answers sent together,
    // a pause after a failure; 400 means refused (reported, not repeated).
    const student = async (s: Student, n: number) => {
      const pending = new Map<string, number>();
      for (let turn = 0; (giving || pending.size > 0) && Date.now() < drainUntil; turn++) {
        if (giving) {
          const taskId = taskIds[(turn + n) % TASKS];
          const seq = (given.get(`${s.attemptId}/${taskId}`) ?? 0) + 1;
          given.set(`${s.attemptId}/${taskId}`, seq);
          pending.set(taskId, seq);
        }
        let failed = false;
        await Promise.all(
          [...pending].map(async ([taskId, seq]) => {
            const key = `${s.attemptId}/${taskId}`;
            let status: number | 'network' = 'network';
            let body: { seq?: number; error?: { code?: string } } = {};
            try {
              const res = await fetch(`${base}/api/attempts/${s.attemptId}/answers/${taskId}`, {
                method: 'PUT',
                headers: { 'content-type': 'application/json', cookie: s.cookie },
                body: JSON.stringify({ answer: text(seq), seq }),
                signal: AbortSignal.timeout(30_000),
              });
              status = res.status;
              body = (await res.json()) as typeof body;
            } catch {
              // counted below as 'network'
            }
            outcomes.push({ at: Date.now(), status, code: body.error?.code });
            if (status === 200) {
              acked.set(key, Math.max(acked.get(key) ?? 0, body.seq!));
              if ((pending.get(taskId) ?? 0) <= body.seq!) pending.delete(taskId);
            } else if (status === 400) {
              reported.add(key);
              pending.delete(taskId);
            } else failed = true;
          }),
        );
        await sleep(failed ? 300 : 10);
      }
      for (const taskId of pending.keys()) leftPending.push(`${s.attemptId}/${taskId}`);
    };
    // Other routes meanwhile: a page load's reads (the session checked by the auth hook) and an access-code sign-in,
    // which writes; each is answered, with 200 or with 503 and nothing half-done.
    const others: Outcome[] = [];
    const reader = async () => {
      const [s] = students;
      while (giving) {
        for (const call of [
          () =>
            fetch(`${base}/api/attempts/${s.attemptId}`, {
              headers: { cookie: s.cookie },
              signal: AbortSignal.timeout(30_000),
            }),
          () =>
            fetch(`${base}/api/auth/access-code`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ code: s.accessCode }),
              signal: AbortSignal.timeout(30_000),
            }),
        ]) {
          const res = await call().catch(() => null);
          const body = (await res?.json().catch(() => null)) as { error?: { code?: string } } | null;
          others.push({ at: Date.now(), status: res?.status ?? 'network', code: body?.error?.code });
        }
        await sleep(50);
      }
    };

    // The attempt page in a phone's browser, signed in as its student.
    const context = await browser!.newContext(PHONE);
    context.setDefaultTimeout(30_000);
    await context.addCookies([{ name: 'konkurs_session', value: pageStudent.token, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/olympiads/${olympiadId}/attempt`);
    await page.waitForLoadState('networkidle');
    const saveStatus = page.getByTestId('save-status');
    await saveStatus.getByText('Все ответы сохранены.').waitFor();

    const burst = [...students.map((s, n) => student(s, n)), reader()];
    // Whatever fails below, the students stop (at once) before the test ends.
    const stopBurst = async () => {
      giving = false;
      drainUntil = Math.min(drainUntil, Date.now());
      await Promise.all(burst);
    };
    try {
      await sleep(2000);

      // 1. `pg_ctl restart -m fast` in the middle of the burst: every connection is terminated (57P01).
      const restartedAt = Date.now();
      await pg!.restart();
      const firstDownMs = Date.now() - restartedAt;
      const firstRecoveryMs = await timeUntilHealthy(base);
      // Before the fix the process ended here: "Unhandled 'error' event" on a checked-out client (57P01).
      expect(server!.exited(), server!.output()).toBe(false);
      const afterFirst = Date.now();
      await sleep(2500);

      // 2. Down for longer than a save waits for the database. The sweep student's deadline passes meanwhile.
      await db
        .updateTable('olympiad_attempts')
        .set({ deadline_at: sql<Date>`now() + interval '1 second'` })
        .where('id', '=', sweepStudent.attemptId)
        .execute();
      await pg!.stop();
      const stoppedAt = Date.now();
      // The page's student answers now: the page keeps the answer and says that the database is unavailable.
      await page.getByLabel('Ваш ответ').fill('ответ, данный при недоступной базе');
      await saveStatus.getByText(/База данных сервера временно недоступна/).waitFor({ timeout: 30_000 });
      const pageStatus = await saveStatus.textContent();
      const keptInPage = await page.evaluate(
        (id) => localStorage.getItem(`konkurs-attempt-${id}`),
        pageStudent.attemptId,
      );
      // /api/health and the API routes answer 503 with the reason, in the error shape.
      const health = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) });
      const healthBody = (await health.json()) as {
        error: { code: string; message: string; fields: Record<string, string> };
      };
      const route = await fetch(`${base}/api/attempts/${students[0].attemptId}`, {
        headers: { cookie: students[0].cookie },
        signal: AbortSignal.timeout(10_000),
      });
      const routeBody = (await route.json()) as { error: { code: string; message: string } };
      // A page loaded meanwhile says so too, instead of sending the signed-in student to the sign-in page.
      const pageLoad = await fetch(`${base}/olympiads/${olympiadId}/attempt`, {
        headers: { cookie: pageStudent.cookie },
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      const pageLoadText = await pageLoad.text();
      while (Date.now() - stoppedAt < SAVE_PATIENCE_MS + 1500) await sleep(100);
      await pg!.start();
      const secondRecoveryMs = await timeUntilHealthy(base);
      const afterSecond = Date.now();
      await sleep(2500);

      giving = false;
      drainUntil = Date.now() + DRAIN_LIMIT_MS;
      await Promise.all(burst);
      // The page sends its kept answer again by itself and says so only once the server has stored it.
      await saveStatus.getByText('Все ответы сохранены.').waitFor({ timeout: 30_000 });
      const pageTaskId = (await page.locator('textarea, input[type="text"]').first().getAttribute('id'))?.replace(
        /^task-(.*)-input$/,
        '$1',
      );
      await context.close();

      // The sweep closes the attempt whose deadline passed while PostgreSQL was down (nothing else touches it).
      let swept;
      for (const until = Date.now() + 25_000; Date.now() < until; await sleep(250)) {
        swept = await db
          .selectFrom('olympiad_attempts')
          .select(['closed_at', 'close_reason', 'deadline_at'])
          .where('id', '=', sweepStudent.attemptId)
          .executeTakeFirstOrThrow();
        if (swept.closed_at) break;
      }

      console.log(
        `PostgreSQL restart under load: restart took ${firstDownMs} ms, /api/health green ${firstRecoveryMs} ms after it; ` +
          `stop/start: green ${secondRecoveryMs} ms after the start; saves ${outcomes.length}, acknowledged ${outcomes.filter((o) => o.status === 200).length}, ` +
          `answered 503 ${outcomes.filter((o) => o.status === 503).length}`,
      );

      // The server process lived through both restarts and serves.
      expect(server!.exited(), server!.output()).toBe(false);
      expect(server!.output()).not.toMatch(/Unhandled 'error' event|uncaught/i);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      // Healthy again within 5 s of PostgreSQL accepting connections, both times.
      expect(firstRecoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
      expect(secondRecoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
      // During the outage: 503 with the reason, and the Russian message on an API route.
      expect(health.status).toBe(503);
      expect(healthBody.error.code).toBe('database_unavailable');
      expect(healthBody.error.fields.database).toMatch(/PostgreSQL/);
      expect(route.status).toBe(503);
      expect(routeBody.error).toMatchObject({
        code: 'database_unavailable',
        message: 'База данных недоступна, повторите через минуту.',
      });
      expect(pageLoad.status).toBe(503);
      expect(pageLoadText).toContain('База данных недоступна, повторите через минуту.');
      expect(pageStatus).toMatch(/сохранены на этом устройстве/);
      expect(keptInPage).toContain('ответ, данный при недоступной базе');

      // Every answer was answered by the server (no connection dropped), with 200, or 503 "not saved, try again".
      expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
      expect(outcomes.filter((o) => o.status === 503 && o.code !== 'database_unavailable')).toEqual([]);
      expect(
        others.filter((o) => o.status !== 200 && !(o.status === 503 && o.code === 'database_unavailable')),
      ).toEqual([]);
      expect(others.filter((o) => o.status === 200).length).toBeGreaterThan(0);
      // The outage reached the students (503s), and saves were acknowledged after each restart.
      expect(outcomes.some((o) => o.status === 503)).toBe(true);
      expect(outcomes.some((o) => o.status === 200 && o.at > afterFirst)).toBe(true);
      expect(outcomes.some((o) => o.status === 200 && o.at > afterSecond)).toBe(true);
      // Nothing was left unsent or refused: every unacknowledged answer was sent again and stored.
      expect(leftPending).toEqual([]);
      expect([...reported]).toEqual([]);

      const stored = await db
        .selectFrom('olympiad_answers as a')
        .innerJoin('olympiad_attempts as t', 't.id', 'a.attempt_id')
        .select(['a.attempt_id', 'a.task_id', 'a.seq', 'a.answer'])
        .where('t.olympiad_id', '=', olympiadId)
        .execute();
      const byKey = new Map(stored.map((r) => [`${r.attempt_id}/${r.task_id}`, r]));
      // Every acknowledged save is stored (or a newer one of the same task), with its own text.
      expect(acked.size).toBeGreaterThan(0);
      for (const [key, seq] of acked) {
        const row = byKey.get(key);
        expect(row, key).toBeDefined();
        expect(row!.seq).toBeGreaterThanOrEqual(seq);
      }
      for (const row of stored)
        expect(row.answer).toEqual(
          row.attempt_id === pageStudent.attemptId ? { text: 'ответ, данный при недоступной базе' } : text(row.seq),
        );
      // The last answer each student gave to each task is the one stored.
      for (const [key, seq] of given) expect(byKey.get(key)?.seq, key).toBe(seq);
      expect(byKey.get(`${pageStudent.attemptId}/${pageTaskId}`)?.answer).toEqual({
        text: 'ответ, данный при недоступной базе',
      });

      // The sweep came back by itself: the attempt is closed at its deadline.
      expect(swept?.close_reason).toBe('deadline');
      expect(swept?.closed_at?.getTime()).toBe(swept?.deadline_at.getTime());
    } finally {
      await stopBurst();
      if (!pg!.running()) await pg!.start();
    }
  }, 180_000);

  it('mail that went out while the database could not record it is recorded at the next round, not sent twice', async () => {
    const db = handle!.db;
    const message = await db
      .insertInto('mail_outbox')
      .values({ to_address: 'restart@example.ru', subject: 'Проверка', body: 'Письмо', status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sent: string[] = [];
    const unrecorded = new Map<number, Date>();
    // The mail server takes the message; PostgreSQL goes down before the outbox can mark it sent.
    const round = deliverDueMail(
      db,
      async (m) => {
        sent.push(m.to);
        await pg!.stop();
      },
      new Date(),
      20,
      unrecorded,
    );
    await expect(round).rejects.toThrow();
    expect(unrecorded.has(message.id)).toBe(true);
    await pg!.start();
    // The next round (even a minute later, when the message would be due again) records it and sends nothing.
    expect(
      await deliverDueMail(db, async (m) => void sent.push(m.to), new Date(Date.now() + 120_000), 20, unrecorded),
    ).toBe(0);
    expect(sent).toEqual(['restart@example.ru']);
    expect(
      await db
        .selectFrom('mail_outbox')
        .select(['status', 'attempts'])
        .where('id', '=', message.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'sent', attempts: 1 });
  }, 120_000);
});
