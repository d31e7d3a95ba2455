import { sql, type Db } from '@konkurs/db';
import type { AnswerDto } from './schemas.ts';

export interface SaveRequest {
  attemptId: string;
  /** The session of the request: its id and the SHA-256 of its secret (see auth/sessions.ts). */
  sessionId: string;
  secretHash: string;
  taskId: string;
  answer: AnswerDto;
  seq: number;
}

export type SaveOutcome = { saved: true; seq: number; savedAt: Date } | { saved: false };

interface Pending extends SaveRequest {
  resolve: (outcome: SaveOutcome) => void;
  reject: (error: unknown) => void;
}

/** More saves than this go into the next statement. */
const MAX_BATCH = 500;
/** Statements in flight at once; saves that arrive meanwhile wait and go together into the next one. */
const MAX_IN_FLIGHT = 2;

/**
 * Saves answers, grouping the saves that arrive together into one statement: under load this is what lets
 * one database take thousands of saves a second. Each save is answered only after the statement that wrote it
 * has committed, so nothing a student saw acknowledged can be lost. Nothing is kept between statements: a
 * process that stops drops only unacknowledged saves, which the page sends again.
 *
 * Per save, the statement checks the session (so a save costs no query of its own: the session is looked up in the
 * same statement; comparing hashes in SQL leaks nothing useful, as the stored value is a hash of a random secret),
 * that the attempt is the session's student's, open and before its deadline (on the
 * database's clock), and that the task belongs to the olympiad; it writes the answer only when its sequence
 * number is newer than the stored one, so a late older save never overwrites a newer one and a repeated save
 * changes nothing. The attempt rows are locked FOR SHARE, so a save waits for a closing attempt and then is refused.
 */
export class AnswerSaver {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly db: Db) {}

  save(request: SaveRequest): Promise<SaveOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return;
    this.scheduled = true;
    // Let the requests that arrived in the same turn of the event loop join this statement.
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return;
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      this.write(batch)
        .catch((error) => batch.forEach((p) => p.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.schedule();
        });
      this.schedule();
    });
  }

  private async write(batch: Pending[]): Promise<void> {
    const input = batch.map((p, n) => ({ n, attempt_id: p.attemptId, session_id: p.sessionId, secret_hash: p.secretHash, task_id: p.taskId, answer: p.answer, seq: p.seq }));
    const { rows } = await sql<{ n: number; seq: number | null; saved_at: Date | null }>`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
          as i(n int, attempt_id uuid, session_id text, secret_hash text, task_id uuid, answer jsonb, seq int)
      ),
      allowed as (
        select i.n, i.attempt_id, i.task_id, i.answer, i.seq
        from input i
        join sessions s on s.id = i.session_id and s.secret_hash = i.secret_hash and s.expires_at > now()
        join olympiad_attempts a on a.id = i.attempt_id and a.user_id = s.user_id
        join olympiad_tasks t on t.id = i.task_id and t.olympiad_id = a.olympiad_id
        where a.closed_at is null and a.deadline_at > now()
        for share of a
      ),
      newest as (
        select distinct on (attempt_id, task_id) attempt_id, task_id, answer, seq
        from allowed order by attempt_id, task_id, seq desc
      ),
      written as (
        insert into olympiad_answers as o (attempt_id, task_id, answer, seq, saved_at)
        select attempt_id, task_id, answer, seq, now() from newest
        on conflict (attempt_id, task_id) do update
          set answer = excluded.answer, seq = excluded.seq, saved_at = excluded.saved_at
          where o.seq < excluded.seq
        returning o.attempt_id, o.task_id, o.seq, o.saved_at
      )
      select al.n, coalesce(w.seq, e.seq) as seq, coalesce(w.saved_at, e.saved_at) as saved_at
      from allowed al
      left join written w on w.attempt_id = al.attempt_id and w.task_id = al.task_id
      left join olympiad_answers e on e.attempt_id = al.attempt_id and e.task_id = al.task_id`.execute(this.db);
    const outcomes = new Map(rows.map((r) => [Number(r.n), r]));
    batch.forEach((p, n) => {
      const row = outcomes.get(n);
      if (!row || row.seq === null || row.saved_at === null) p.resolve({ saved: false });
      else p.resolve({ saved: true, seq: Number(row.seq), savedAt: new Date(row.saved_at) });
    });
  }
}
