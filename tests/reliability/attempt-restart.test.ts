import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, DEMO_ACCESS_CODE, sql, type DbHandle } from '@konkurs/db';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import { startServer, type RunningServer } from '../helpers/server-process.ts';

/**
 * A student's saves go on while the server process is stopped and started again; afterwards every save the
 * client saw acknowledged is in the database, and nothing after the deadline was accepted.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'konkurs-reliability-'));
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The database the server processes use, opened directly (for PGlite only while no server runs). */
function openDb(): DbHandle {
  return databaseUrl ? createDb({ databaseUrl, poolSize: 2 }) : createDb({ embeddedDir: join(dataDir, 'db') });
}

const start = () => startServer({ databaseUrl, env: { DATA_DIR: dataDir } });

describe('reliability of saves across a server restart', () => {
  it('keeps every acknowledged save and accepts nothing after the deadline', async () => {
    if (process.env.TEST_DATABASE_URL) {
      const created = await createTestDatabaseUrl();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    const firstStart = Date.now();
    server = await start();
    const startupMs = Date.now() - firstStart;
    let base = server.url;

    const login = await fetch(`${base}/api/auth/access-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: DEMO_ACCESS_CODE }),
    });
    expect(login.status).toBe(200);
    const { olympiadId } = (await login.json()) as { olympiadId: string };
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('konkurs_session='))!
      .split(';')[0];
    const begun = await fetch(`${base}/api/olympiads/${olympiadId}/attempt`, { method: 'POST', headers: { cookie } });
    expect(begun.status).toBe(200);
    const view = (await begun.json()) as { attempt: { id: string }; tasks: { id: string; kind: string }[] };
    const attemptId = view.attempt.id;
    const taskIds = view.tasks
      .filter((t) => t.kind === 'text' || t.kind === 'open' || t.kind === 'number')
      .map((t) => t.id);

    // The client: three workers keep saving; each remembers what the server acknowledged.
    const seqs = new Map<string, number>();
    const acked = new Map<string, number>();
    const log: { sentAt: number; status: number | 'network'; savedAt?: string; restarted: boolean }[] = [];
    let restarted = false;
    let stop = false;
    const worker = async (offset: number) => {
      for (let i = offset; !stop; i += 3) {
        const taskId = taskIds[i % taskIds.length];
        const seq = (seqs.get(taskId) ?? 0) + 1;
        seqs.set(taskId, seq);
        const sentAt = Date.now();
        try {
          const res = await fetch(`${base}/api/attempts/${attemptId}/answers/${taskId}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ answer: { text: `версия ${seq}` }, seq }),
          });
          const body = (await res.json()) as { seq?: number; savedAt?: string };
          log.push({ sentAt, status: res.status, savedAt: body.savedAt, restarted });
          if (res.status === 200) acked.set(taskId, Math.max(acked.get(taskId) ?? 0, body.seq!));
        } catch {
          log.push({ sentAt, status: 'network', restarted });
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const workers = [0, 1, 2].map(worker);

    await new Promise((r) => setTimeout(r, 1500));
    await server.stop();
    server = undefined;
    // While the server is down, bring the deadline close: it passes a while after the second start.
    const deadlineAt = new Date(Date.now() + 2 * startupMs + 5000);
    {
      const handle = openDb();
      await handle.db
        .updateTable('olympiad_attempts')
        .set({ deadline_at: deadlineAt })
        .where('id', '=', attemptId)
        .execute();
      // No grace for saves on their way: from the deadline on, every save is refused (and kept apart as late).
      await handle.db.updateTable('olympiads').set({ grace_seconds: 0 }).where('id', '=', olympiadId).execute();
      await handle.close();
    }
    server = await start();
    base = server.url;
    restarted = true;
    while (Date.now() < deadlineAt.getTime() + 2500) await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await Promise.all(workers);
    await server.stop();
    server = undefined;

    const handle = openDb();
    try {
      const stored = await handle.db
        .selectFrom('olympiad_answers')
        .select(['task_id', 'seq', 'answer', 'saved_at'])
        .where('attempt_id', '=', attemptId)
        .execute();
      const attempt = await handle.db
        .selectFrom('olympiad_attempts')
        .select(['closed_at', 'close_reason', 'deadline_at'])
        .where('id', '=', attemptId)
        .executeTakeFirstOrThrow();
      const byTask = new Map(stored.map((s) => [s.task_id, s]));
      // Every acknowledged save is there (or a newer one of the same task), with its own text.
      expect(acked.size).toBeGreaterThan(0);
      for (const [taskId, seq] of acked) {
        const row = byTask.get(taskId);
        expect(row, taskId).toBeDefined();
        expect(row!.seq).toBeGreaterThanOrEqual(seq);
        expect(row!.answer).toEqual({ text: `версия ${row!.seq}` });
      }
      // Nothing was stored or acknowledged after the deadline; the attempt closed at it.
      for (const row of stored) expect(row.saved_at.getTime()).toBeLessThanOrEqual(attempt.deadline_at.getTime());
      for (const entry of log.filter((e) => e.status === 200))
        expect(new Date(entry.savedAt!).getTime()).toBeLessThanOrEqual(deadlineAt.getTime());
      expect(attempt.close_reason).toBe('deadline');
      expect(attempt.closed_at!.getTime()).toBe(deadlineAt.getTime());
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from olympiad_answers where attempt_id = ${attemptId} and saved_at > ${deadlineAt}`.execute(
        handle.db,
      );
      expect(rows[0].n).toBe(0);
      // The run really covered all three phases: saves before the stop, failures while down, saves after the restart, refusals after the deadline.
      expect(log.filter((e) => e.status === 200 && !e.restarted).length).toBeGreaterThan(0);
      expect(log.filter((e) => e.status === 'network').length).toBeGreaterThan(0);
      expect(log.filter((e) => e.status === 200 && e.restarted).length).toBeGreaterThan(0);
      expect(log.filter((e) => e.status === 409).length).toBeGreaterThan(0);
      // Otherwise only "not saved, send again": 503 from a server that is shutting down.
      expect(
        log.filter((e) => e.status !== 200 && e.status !== 409 && e.status !== 503 && e.status !== 'network'),
      ).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
