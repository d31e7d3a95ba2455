import { isConnectionError, preparedAs, sql, type Db } from '@konkurs/db';
import type { AnswerDto } from '../schemas.ts';

export interface SaveRequest {
  attemptId: string;
  /** The session of the request: its id and the SHA-256 of its secret (see auth/sessions.ts). */
  sessionId: string;
  secretHash: string;
  taskId: string;
  answer: AnswerDto;
  seq: number;
  /** When the student gave the answer, by the page's clock corrected to the server's (ISO); absent from old pages. */
  answeredAt?: string;
}

/**
 * Saved; or `late`: it arrived after the deadline and its grace, and is kept apart as a late answer for the organizer;
 * or refused by the statement's checks (the route finds out why); or `invalid`: the answer itself cannot be
 * stored (PostgreSQL refused its value, e.g. a NUL character in a text), so sending it again would never help.
 */
export type SaveOutcome =
  | { saved: true; seq: number; savedAt: Date; stored?: AnswerDto; deadlineAt: Date }
  | { saved: false; late: true; invalid?: false }
  | { saved: false; late?: false; invalid?: false }
  | { saved: false; late?: false; invalid: true };

interface Pending {
  request: SaveRequest;
  /** When the save arrived (Date.now()). */
  since: number;
  resolve: (outcome: SaveOutcome) => void;
  reject: (error: unknown) => void;
}

/** More saves than this go into the next statement. */
const MAX_BATCH = 500;
/** Statements in flight at once; saves that arrive meanwhile wait and go together into the next one. */
const MAX_IN_FLIGHT = 2;
/**
 * How long a save waits for a database that cannot be reached: a quick restart of PostgreSQL passes unnoticed by the
 * student, a longer outage is answered "not saved" (503) and the page keeps the answer and sends it again.
 */
export const SAVE_PATIENCE_MS = 4000;
/** Pauses between tries of a statement whose connection failed. */
const RETRY_DELAYS_MS = [100, 250, 500, 1000];

/** SQLSTATE class 22, data exception: the values are at fault (\u0000 in a jsonb text, a lone surrogate), not the database. */
const isDataError = (error: unknown) => /^22/.test(String((error as { code?: unknown } | null)?.code ?? ''));

/**
 * Saves answers, grouping the saves that arrive together into one statement: under load this is what lets
 * one database take thousands of saves a second. Each save is answered only after the statement that wrote it
 * has committed, so nothing a student saw acknowledged can be lost. Nothing is kept between statements: a
 * process that stops drops only unacknowledged saves, which the page sends again.
 *
 * Per save, the statement checks the session (so a save costs no query of its own: the session is looked up in the
 * same statement; comparing hashes in SQL leaks nothing useful, as the stored value is a hash of a random secret),
 * that the attempt is the session's student's and that the task belongs to the olympiad. An attempt still open and
 * before its deadline plus the olympiad's grace (on the database's clock) takes the answer; a save arriving later,
 * or after the attempt was closed, is stored apart as late (olympiad_late_answers: the page's own timestamp and the
 * arrival time), never counted unless the organizer accepts it.
 *
 * Which answer wins: the one the student gave last, whichever device gave it. Answers are ordered by the moment they
 * were given (`answeredAt`, each page's clock corrected to the server's, never later than now) and then by sequence
 * number; a save is written only when it is newer than the stored answer by that order, so a late older save never
 * overwrites a newer one and a repeated save changes nothing. A save that is not written is answered with the stored
 * answer (`stored`), so that a device whose answer was overtaken by another device's newer one shows that one. The attempt rows are locked FOR SHARE, so a save waits for a closing attempt and then is refused.
 *
 * Failures. A statement whose connection failed (PostgreSQL restarting) may or may not have committed; being
 * idempotent by sequence number, it is simply run again once the database answers, for SAVE_PATIENCE_MS at most.
 * A statement that PostgreSQL refused is split in halves until the save at fault is alone, so one student's bad
 * answer never fails the others' saves that happened to travel with it.
 */
export class AnswerSaver {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly db: Db) {}

  save(request: SaveRequest): Promise<SaveOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, since: Date.now(), resolve, reject });
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
        // write() answers every save itself; this is only for an error of its own (a save answered twice is ignored).
        .catch((error) => batch.forEach((p) => p.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.schedule();
        });
      this.schedule();
    });
  }

  /** Writes the batch and answers each of its saves. */
  private async write(batch: Pending[], tries = 0): Promise<void> {
    let outcomes: SaveOutcome[];
    try {
      outcomes = await this.statement(batch);
    } catch (error) {
      if (isConnectionError(error)) return this.retry(batch, error, tries);
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.write(batch.slice(0, half));
        await this.write(batch.slice(half));
        return;
      }
      // Alone, so this save is the one at fault. Its value cannot be stored: a refusal the page shows and does not
      // repeat. Anything else is not the answer's fault, and the page tries again later.
      if (isDataError(error)) batch[0].resolve({ saved: false, invalid: true });
      else batch[0].reject(error);
      return;
    }
    batch.forEach((p, n) => p.resolve(outcomes[n]));
  }

  /** Runs the batch again after a pause, without the saves that have waited too long (they get the error: "not saved"). */
  private async retry(batch: Pending[], error: unknown, tries: number): Promise<void> {
    const now = Date.now();
    const waiting = batch.filter((p) => now - p.since < SAVE_PATIENCE_MS);
    for (const p of batch) if (!waiting.includes(p)) p.reject(error);
    if (waiting.length === 0) return;
    await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[Math.min(tries, RETRY_DELAYS_MS.length - 1)]));
    return this.write(waiting, tries + 1);
  }

  /** The one statement: checks and writes every save of the batch; the outcome of each, in order. */
  private async statement(batch: Pending[]): Promise<SaveOutcome[]> {
    const input = batch.map(({ request: r }, n) => ({
      n,
      attempt_id: r.attemptId,
      session_id: r.sessionId,
      secret_hash: r.secretHash,
      task_id: r.taskId,
      answer: r.answer,
      seq: r.seq,
      answered_at: r.answeredAt ?? null,
    }));
    const { rows } = await sql<{
      n: number;
      seq: number | null;
      saved_at: Date | null;
      late: boolean;
      stored: AnswerDto | null;
      deadline_at: Date;
    }>`${preparedAs('save_answers')}
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
          as i(n int, attempt_id uuid, session_id text, secret_hash text, task_id uuid, answer jsonb, seq int,
               answered_at timestamptz)
      ),
      allowed as (
        select i.n, i.attempt_id, i.task_id, i.answer, i.seq, a.deadline_at,
          -- A page's clock ahead of the server's cannot put an answer in the future.
          case when i.answered_at > now() then now() else i.answered_at end as answered_at,
          a.closed_at is null and now() < a.deadline_at + make_interval(secs => ol.grace_seconds) as on_time
        from input i
        join sessions s on s.id = i.session_id and s.secret_hash = i.secret_hash and s.expires_at > now()
        join olympiad_attempts a on a.id = i.attempt_id and a.user_id = s.user_id
        join olympiads ol on ol.id = a.olympiad_id
        join olympiad_tasks t on t.id = i.task_id and t.olympiad_id = a.olympiad_id
        for share of a
      ),
      newest as (
        select distinct on (attempt_id, task_id) attempt_id, task_id, answer, seq, answered_at
        from allowed where on_time
        order by attempt_id, task_id, coalesce(answered_at, '-infinity') desc, seq desc
      ),
      written as (
        insert into olympiad_answers as o (attempt_id, task_id, answer, seq, saved_at, answered_at)
        select attempt_id, task_id, answer, seq, now(), answered_at from newest
        on conflict (attempt_id, task_id) do update
          set answer = excluded.answer, seq = excluded.seq, saved_at = excluded.saved_at,
            answered_at = excluded.answered_at
          where (coalesce(o.answered_at, '-infinity'), o.seq) < (coalesce(excluded.answered_at, '-infinity'), excluded.seq)
        returning o.attempt_id, o.task_id, o.seq, o.saved_at, o.answer
      ),
      -- Too late: newer than what is stored in time (a repeated save of a stored answer is simply saved).
      late as (
        select al.n, al.attempt_id, al.task_id, al.answer, al.seq, al.answered_at
        from allowed al
        left join olympiad_answers e on e.attempt_id = al.attempt_id and e.task_id = al.task_id
        where not al.on_time
          and (e.seq is null
            or (coalesce(e.answered_at, '-infinity'), e.seq) < (coalesce(al.answered_at, '-infinity'), al.seq))
      ),
      late_written as (
        insert into olympiad_late_answers as l (attempt_id, task_id, answer, seq, answered_at, received_at)
        select distinct on (attempt_id, task_id) attempt_id, task_id, answer, seq, answered_at, now()
        from late order by attempt_id, task_id, coalesce(answered_at, '-infinity') desc, seq desc
        on conflict (attempt_id, task_id) do update
          set answer = excluded.answer, seq = excluded.seq, answered_at = excluded.answered_at,
            received_at = excluded.received_at
          where (coalesce(l.answered_at, '-infinity'), l.seq) < (coalesce(excluded.answered_at, '-infinity'), excluded.seq)
            and l.accepted_at is null
        returning l.attempt_id, l.task_id, l.seq
      )
      -- Reported late only when the late answers hold it (written now, or already by an earlier sending of it): an
      -- older one, or one after the organizer accepted another, is not said to be kept.
      select al.n, coalesce(w.seq, e.seq) as seq, coalesce(w.saved_at, e.saved_at) as saved_at,
        exists (select 1 from late where late.n = al.n) and (
          exists (select 1 from late_written lw
            where lw.attempt_id = al.attempt_id and lw.task_id = al.task_id and lw.seq = al.seq)
          or exists (select 1 from olympiad_late_answers l
            where l.attempt_id = al.attempt_id and l.task_id = al.task_id and l.seq = al.seq)) as late,
        case when coalesce(w.answer, e.answer) is distinct from al.answer then coalesce(w.answer, e.answer) end
          as stored,
        -- The attempt's deadline as it is now: an organizer's extension reaches the page with its next save.
        al.deadline_at
      from allowed al
      left join written w on w.attempt_id = al.attempt_id and w.task_id = al.task_id
      left join olympiad_answers e on e.attempt_id = al.attempt_id and e.task_id = al.task_id`.execute(this.db);
    const outcomes = new Map(rows.map((r) => [Number(r.n), r]));
    return batch.map((_, n) => {
      const row = outcomes.get(n);
      if (row?.late) return { saved: false, late: true };
      if (!row || row.seq === null || row.saved_at === null) return { saved: false };
      return {
        saved: true,
        seq: Number(row.seq),
        savedAt: new Date(row.saved_at),
        deadlineAt: new Date(row.deadline_at),
        ...(row.stored ? { stored: row.stored } : {}),
      };
    });
  }
}
