/**
 * The browser's side of "never lose an answer": every answer given is kept in localStorage with its sequence
 * number until the server acknowledges that number (or a newer one). A reload, a lost connection or a crash of
 * the tab leaves the unacknowledged answers here; they are sent again when the page is back or the connection returns.
 */
import type { AnswerDto } from '@konkurs/server/api-types';
import { apiResult, browserApi, messageOr } from '$lib/api/browser';

export interface PendingAnswer {
  answer: AnswerDto;
  seq: number;
  /** When the student gave it, by this device's clock corrected to the server's (ISO). */
  answeredAt?: string;
}

/** `unavailable`: the server is up but its database is not (503 database_unavailable); the answers wait here meanwhile. */
export type SaveProblem = 'offline' | 'closed' | 'signed_out' | 'refused' | 'retry' | 'unavailable';

export interface QueueEvents {
  /** Called whenever what is saved or pending changes. */
  changed: () => void;
  /** The server refused or could not be reached. */
  problem: (problem: SaveProblem, message?: string) => void;
  /**
   * The server keeps another answer than the one this device sent last: one given later, perhaps on another device.
   * The page shows it (and says so when it differs from what is on the screen).
   */
  superseded?: (taskId: string, stored: AnswerDto) => void;
  /** The attempt's deadline as the server has it now, with every save (it moves when the organizer extends the time). */
  deadline?: (deadlineAt: string) => void;
}

/** Whether two answers are the same, whatever the order of their keys (the database's JSON sorts them). */
export function sameAnswer(a: AnswerDto | undefined, b: AnswerDto | undefined): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a ?? {})) === JSON.stringify(canonical(b ?? {}));
}

const storageKey = (attemptId: string) => `konkurs-attempt-${attemptId}`;

export class AnswerQueue {
  /** Unacknowledged answers by task. */
  pending: Record<string, PendingAnswer> = {};
  /** Highest sequence number the server acknowledged, by task. */
  acked: Record<string, number> = {};
  /** Whether the pending answers are in localStorage (false when storage is full or disabled: only this tab has them). */
  keptOnDevice = true;
  /** Tasks whose answer reached the server after the time and its grace: stored as late, not counted. */
  late = new Set<string>();
  /** Tasks whose last answer the server refused (400, 404) and this device dropped: that answer is not saved. */
  refused = new Set<string>();
  private inFlight = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly attemptId: string,
    serverSeqs: Record<string, number>,
    private readonly events: QueueEvents,
    /** The server's time now (ms): answers are stamped with it, so that two devices' answers can be ordered. */
    private readonly serverNow: () => number = Date.now,
  ) {
    this.acked = { ...serverSeqs };
    try {
      const stored = JSON.parse(localStorage.getItem(storageKey(attemptId)) ?? '{}') as Record<string, PendingAnswer>;
      for (const [taskId, p] of Object.entries(stored)) {
        if (p && typeof p.seq === 'number' && p.seq > (this.acked[taskId] ?? 0)) this.pending[taskId] = p;
      }
    } catch {
      // A broken entry is dropped: the server's answers stand.
    }
    this.persist();
  }

  /** The sequence number the next answer of this task gets: newer than anything this or another device sent. */
  nextSeq(taskId: string): number {
    return Math.max(this.acked[taskId] ?? 0, this.pending[taskId]?.seq ?? 0) + 1;
  }

  put(taskId: string, answer: AnswerDto, delayMs = 500): void {
    const answeredAt = new Date(this.serverNow()).toISOString();
    this.pending[taskId] = { answer, seq: this.nextSeq(taskId), answeredAt };
    // A new answer replaces one the server refused: it is on its way now.
    this.refused.delete(taskId);
    this.persist();
    this.events.changed();
    this.schedule(delayMs);
  }

  /** Whether the task's last answer is on the server: neither waiting to be sent nor refused. */
  isSaved(taskId: string): boolean {
    return !this.pending[taskId] && !this.refused.has(taskId);
  }

  get pendingCount(): number {
    return Object.keys(this.pending).length;
  }

  schedule(delayMs = 0): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
  }

  /**
   * Sends every pending answer; resolves when each has been answered or failed. `keepalive` when the page is being
   * left: the requests outlive it (kept for that moment only, as the browser limits keepalive bodies to 64 KB in all).
   */
  async flush(keepalive = false): Promise<void> {
    if (keepalive) clearTimeout(this.timer);
    const sends = Object.keys(this.pending)
      .filter((taskId) => !this.inFlight.has(taskId))
      .map((taskId) => this.send(taskId, keepalive));
    await Promise.all(sends);
  }

  private async send(taskId: string, keepalive = false): Promise<void> {
    const entry = this.pending[taskId];
    if (!entry) return;
    this.inFlight.add(taskId);
    try {
      let result;
      try {
        result = await apiResult(
          browserApi.PUT('/api/attempts/{attemptId}/answers/{taskId}', {
            params: { path: { attemptId: this.attemptId, taskId } },
            body: entry,
            keepalive,
          }),
        );
      } catch {
        this.events.problem('offline');
        this.retryLater();
        return;
      }
      if (result.ok) {
        const saved = result.data;
        this.acked[taskId] = Math.max(this.acked[taskId] ?? 0, saved.seq);
        // Only the acknowledged version leaves the queue; an answer given meanwhile stays and goes next.
        const newerHere = !!this.pending[taskId] && this.pending[taskId].seq > entry.seq;
        if (!newerHere) delete this.pending[taskId];
        this.persist();
        // A later answer (another device's) is stored instead of this one: unless this device has a newer one on its
        // way, the page shows the stored answer rather than pretend its own was saved.
        if (saved.stored && !newerHere) this.events.superseded?.(taskId, saved.stored);
        this.events.deadline?.(saved.deadlineAt);
        this.events.changed();
        return;
      }
      const { status, error } = result;
      if (status === 409 && error.code === 'answer_late') {
        // Stored apart as late: nothing more to send for this version; the closed screen names the task.
        this.late.add(taskId);
        if (this.pending[taskId] && this.pending[taskId].seq <= entry.seq) delete this.pending[taskId];
        this.persist();
        this.events.changed();
      } else if (status === 409) {
        this.stop();
        this.events.problem('closed', messageOr(error, 'Работа закрыта: ответы больше не принимаются.'));
      } else if (status === 401) {
        this.events.problem('signed_out', messageOr(error, 'Вы вышли из системы.'));
      } else if (status === 400 || status === 404) {
        // This answer can never be saved as it is: drop it rather than retry forever; the closed screen names the task.
        // An answer given meanwhile stays and goes next.
        if (this.pending[taskId] && this.pending[taskId].seq <= entry.seq) {
          delete this.pending[taskId];
          this.refused.add(taskId);
        }
        this.persist();
        this.events.problem('refused', messageOr(error, 'Сервер не принял ответ: он не сохранён.'));
        this.events.changed();
      } else {
        const problem = status === 503 && error.code === 'database_unavailable' ? 'unavailable' : 'retry';
        this.events.problem(problem, messageOr(error, 'Ответ не сохранён, пробуем ещё раз.'));
        this.retryLater();
      }
    } finally {
      this.inFlight.delete(taskId);
      // An answer given while this one was on its way.
      if (this.pending[taskId] && !this.stopped && this.pending[taskId].seq > entry.seq) this.schedule(300);
    }
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    if (!this.stopped) this.retryTimer = setTimeout(() => void this.flush(), 3000);
  }

  private persist(): void {
    try {
      if (Object.keys(this.pending).length)
        localStorage.setItem(storageKey(this.attemptId), JSON.stringify(this.pending));
      else localStorage.removeItem(storageKey(this.attemptId));
      this.keptOnDevice = true;
    } catch {
      // Storage full or disabled: the answers still go to the server; only the offline copy is missing.
      this.keptOnDevice = false;
    }
  }
}
