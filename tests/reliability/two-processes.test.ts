import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createDb, migrateToLatest, sql, type Db, type DbHandle } from '@konkurs/db';
import { ACCESS_CODE_LIMITS, PASSWORD_LIMITS } from '../../server/src/modules/auth/throttle.ts';
import { createUserInDb, login, registerUser, signIn, type App } from '../helpers/app.ts';
import { publishContestResults } from '../helpers/contest.ts';
import { CLOSED_TASK_SET, CORRECT_ANSWERS, createOlympiad, enrolStudents, importTasks } from '../helpers/olympiad.ts';
import { overHttp } from '../helpers/over-http.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { freePort, startServer, type RunningServer } from '../helpers/server-process.ts';

/**
 * Issue 16, item 3: two server processes on one PostgreSQL, as behind a load balancer, with every second request of
 * each person sent to the other process. Sessions, attempts and saves, the closing sweep, mail delivery, the limits
 * and certificate numbering must hold across them, because all their state is in the database. The PostgreSQL is
 * one of the test's own (as in db-restart.test.ts), so both variants of the suite run this with real PostgreSQL.
 */
const STUDENTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pg: PrivatePostgres | undefined;
let handle: DbHandle | undefined;
let db: Db;
let servers: RunningServer[] = [];
let smtp: SMTPServer | undefined;
const received: ParsedMail[] = [];
/** Requests alternate between the two processes. */
let both: App;
let organizer: string;

/** Polls until `done` holds; fails with `what` after `limitMs`. */
async function until(what: string, done: () => Promise<boolean>, limitMs = 45_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(250);
  }
}

beforeAll(async () => {
  const smtpPort = await freePort();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(smtpPort, '127.0.0.1', resolve));

  pg = await startPrivatePostgres();
  handle = createDb({ databaseUrl: pg.url, poolSize: 4 });
  db = handle.db;
  // Migrated once here, so that the two processes start together without racing to migrate.
  await migrateToLatest(db);
  const env = { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, DEMO_DATA: '0', SERVE_PAGES: '0' };
  servers = await Promise.all([0, 1].map(() => startServer({ databaseUrl: pg!.url, env })));
  both = overHttp(servers.map((s) => s.url));

  const account = await createUserInDb(db, { roles: ['organizer'] });
  organizer = await signIn(both, account.email, account.password);
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await handle?.close();
  pg?.destroy();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe('two server processes on one PostgreSQL', () => {
  test('a session begun on one process is honoured by the other, and signing out on either ends it on both', async () => {
    const [a, b] = servers.map((s) => overHttp([s.url]));
    const account = await createUserInDb(db);
    const cookie = await signIn(a, account.email, account.password);
    const meOn = async (app: App) =>
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json() as {
        user: { email: string } | null;
      };
    expect((await meOn(b)).user?.email).toBe(account.email);
    expect((await b.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(200);
    expect((await meOn(a)).user).toBeNull();
  });

  test("students' saves alternate between the processes: every acknowledged save is stored, and the sweeps of both close each attempt once", async () => {
    // The olympiad is made in the database, its window open since an hour ago (the API only makes future ones).
    // No grace after the deadline, so that the sweeps close the attempts as soon as their time is up.
    const olympiadId = await createOlympiad(db, { timeLimitMinutes: 60, graceSeconds: 0 });
    await importTasks(both, organizer, olympiadId, CLOSED_TASK_SET);
    const tasks = await db
      .selectFrom('olympiad_tasks')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .orderBy('position')
      .execute();
    // Roster import, the access-code sign-ins, starts and saves: each request to the other process than the last.
    const students = await enrolStudents(both, organizer, olympiadId, STUDENTS);
    const attemptIds: string[] = [];
    for (const student of students) {
      const begun = await both.inject({
        method: 'POST',
        url: `/api/olympiads/${olympiadId}/attempt`,
        headers: { cookie: student.cookie },
      });
      expect(begun.statusCode, begun.body).toBe(200);
      attemptIds.push((begun.json() as { attempt: { id: string } }).attempt.id);
    }
    // Each student answers every closed task right, all students at once.
    await Promise.all(
      students.map(async (student, s) => {
        for (const [i, answer] of CORRECT_ANSWERS.slice(0, tasks.length).entries()) {
          const res = await both.inject({
            method: 'PUT',
            url: `/api/attempts/${attemptIds[s]}/answers/${tasks[i].id}`,
            headers: { cookie: student.cookie },
            payload: { answer, seq: i + 1 },
          });
          expect(res.statusCode, res.body).toBe(200);
        }
      }),
    );
    const stored = await db
      .selectFrom('olympiad_answers')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('attempt_id', 'in', attemptIds)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(STUDENTS * tasks.length);

    // Time runs out with nobody looking: only the sweeps (every 15 s in each process) can close the attempts.
    await db
      .updateTable('olympiad_attempts')
      .set({ deadline_at: sql<Date>`now() + interval '1 second'` })
      .where('id', 'in', attemptIds)
      .execute();
    await until('the sweeps closed every attempt', async () =>
      (await db.selectFrom('olympiad_attempts').select('closed_at').where('id', 'in', attemptIds).execute()).every(
        (a) => a.closed_at !== null,
      ),
    );
    const closed = await db
      .selectFrom('olympiad_attempts')
      .select(['id', 'close_reason', 'auto_score'])
      .where('id', 'in', attemptIds)
      .execute();
    const full = (
      await db.selectFrom('olympiad_tasks').select('points').where('olympiad_id', '=', olympiadId).execute()
    )
      .map((t) => Number(t.points))
      .reduce((sum, p) => sum + p, 0);
    for (const a of closed) {
      expect(a.close_reason).toBe('deadline');
      expect(Number(a.auto_score)).toBe(full);
    }
    // Give the other process's sweep its turn too, then count the closings the audit log recorded.
    await sleep(16_000);
    const closings = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'olympiad.attempt.deadline')
      .where('entity_id', 'in', attemptIds)
      .execute();
    expect(closings.map((c) => c.entity_id).sort()).toEqual([...attemptIds].sort());
  }, 120_000);

  test('each letter is sent once, although both processes deliver mail at the same moment', async () => {
    const before = received.length;
    const waiting = Array.from({ length: 45 }, (_, i) => ({
      to_address: `waiting-${i}-${randomBytes(3).toString('hex')}@example.ru`,
      subject: 'Письмо из очереди',
      body: `Письмо номер ${i}.`,
      status: 'pending' as const,
    }));
    await db.insertInto('mail_outbox').values(waiting).execute();
    // A registration on each process at once: each queues its confirmation and starts a delivery round at once.
    const [a, b] = servers.map((s) => overHttp([s.url]));
    const registered = await Promise.all([registerUser(a), registerUser(b)]);
    const expected = [...waiting.map((w) => w.to_address), ...registered.map((r) => r.email)];

    const recipients = () => received.slice(before).flatMap((m) => [m.to].flat().flatMap((to) => to?.value ?? []));
    await until('every letter arrived', async () => {
      const pending = await db
        .selectFrom('mail_outbox')
        .select('id')
        .where('to_address', 'in', expected)
        .where('status', '!=', 'sent')
        .execute();
      return pending.length === 0 && recipients().length >= expected.length;
    });
    await sleep(1500);
    const addresses = recipients().map((r) => r.address);
    expect(addresses.length).toBe(expected.length);
    expect([...addresses].sort()).toEqual([...expected].sort());
  }, 90_000);

  test("a sign-in limit counts the failures sent to either process: the owner's typos slow down after the fifth", async () => {
    const account = await createUserInDb(db);
    const ip = '198.51.100.17';
    for (let i = 0; i < PASSWORD_LIMITS.pair.max; i++) {
      const res = await login(both, account.email, 'не тот пароль совсем', { ip });
      expect(res.statusCode, res.body).toBe(401);
    }
    // Five failures, three on one process and two on the other: the next try is slowed on either.
    for (const server of servers) {
      const res = await login(overHttp([server.url]), account.email, account.password, { ip });
      expect(res.statusCode, res.body).toBe(429);
      expect((res.json() as { error: { code: string } }).error.code).toBe('too_many_attempts');
    }
  });

  test('an access code mistyped on either process is counted once for both: after its tenth miss it is refused on each', async () => {
    const typed = 'ABCDE-FGHJK';
    const tryCode = (app: App) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/access-code',
        payload: { code: typed },
        remoteAddress: '198.51.100.23',
      });
    for (let i = 0; i < ACCESS_CODE_LIMITS.code.max; i++) expect((await tryCode(both)).statusCode).toBe(401);
    for (const server of servers) expect((await tryCode(overHttp([server.url]))).statusCode).toBe(429);
  });

  test('certificate numbers stay unique when both processes issue at the same moment', async () => {
    const contests: string[] = [];
    for (const n of [1, 2]) {
      const contest = await db
        .insertInto('contests')
        .values({
          slug: `two-processes-${n}-${randomBytes(3).toString('hex')}`,
          title: `Конкурс ${n} на двух процессах`,
          applications_open_at: new Date(Date.now() - 30 * 864e5),
          applications_close_at: new Date(Date.now() - 10 * 864e5),
          review_end_at: new Date(Date.now() - 5 * 864e5),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const nomination = await db
        .insertInto('nominations')
        .values({ contest_id: contest.id, title: 'Лучший председатель ТОС', position: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const form = await db
        .insertInto('application_forms')
        .values({ contest_id: contest.id, nomination_id: null, version: 1, fields: '[]' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rows = [];
      for (let i = 0; i < 6; i++) {
        const applicant = await createUserInDb(db, { lastName: `Заявителева${i}` });
        const application = await db
          .insertInto('applications')
          .values({
            contest_id: contest.id,
            nomination_id: nomination.id,
            applicant_id: applicant.id,
            form_id: form.id,
            status: 'accepted',
            answers: '{}',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        rows.push({ applicationId: application.id, nominationId: nomination.id, place: i < 3 ? i + 1 : null });
      }
      await publishContestResults(db, contest.id, rows);
      contests.push(contest.id);
    }
    const [a, b] = servers.map((s) => overHttp([s.url]));
    const issue = (app: App, contestId: string) =>
      app.inject({
        method: 'POST',
        url: `/api/contests/${contestId}/certificates/issue`,
        headers: { cookie: organizer },
      });
    // Both contests at once on different processes, and the first one a second time on the other process.
    const answers = await Promise.all([issue(a, contests[0]), issue(b, contests[1]), issue(b, contests[0])]);
    for (const res of answers) expect(res.statusCode, res.body).toBe(200);

    const issued = await db
      .selectFrom('certificates')
      .select(['registry_number', 'contest_id', 'recipient_key'])
      .where('contest_id', 'in', contests)
      .execute();
    // Six applicants each, once each although the first contest was issued twice at the same moment.
    expect(issued.length).toBe(12);
    expect(new Set(issued.map((c) => `${c.contest_id}|${c.recipient_key}`)).size).toBe(12);
    expect(new Set(issued.map((c) => c.registry_number)).size).toBe(12);
  }, 60_000);
});
