/**
 * When letters a request queued can be sent: once that request has been answered, since a route answers only after
 * the transaction that queued them has ended. enqueueMails does not know its request, so this module knows which
 * requests are still being served instead: they are numbered as they come, and letters queued while request N was
 * the newest one belong to a request numbered N or lower. Once every request up to N has been answered, the mailers
 * are woken.
 *
 * Why not an AsyncLocalStorage carrying a mark from the service to the request's hook: on Node 20 it installs a hook
 * on every promise of the process, which cost the answer saves, that never send mail, 5–8 % of their rate.
 */

/** Requests being served: number → when it began (Date.now()); a Map iterates in insertion order, the oldest first. */
const open = new Map<number, number>();
let numbered = 0;
/** Letters are due once every request up to this number has been answered; 0: none is waiting. */
let dueThrough = 0;
const mailers = new Set<() => void>();

/**
 * A request left open longer than this (its response never finished, say) no longer holds the mailers back: the
 * mailer's own rounds, as often, send whatever it queued.
 */
export const OPEN_REQUEST_LIMIT_MS = 60_000;

/** A request has begun; its number, for requestAnswered. */
export function requestBegun(): number {
  numbered += 1;
  open.set(numbered, Date.now());
  return numbered;
}

/** A request has been answered: letters it (or an older request) queued are sent if no older request is still open. */
export function requestAnswered(answered: number): void {
  open.delete(answered);
  // The oldest first: those open too long are forgotten (so none is kept for ever); the first one in time decides.
  const tooOld = Date.now() - OPEN_REQUEST_LIMIT_MS;
  let oldest: number | undefined;
  for (const [number, begun] of open) {
    if (begun >= tooOld) {
      oldest = number;
      break;
    }
    open.delete(number);
  }
  // Nothing queued, or an older request is still being served: it may hold a letter not yet committed.
  if (dueThrough === 0 || (oldest !== undefined && oldest <= dueThrough)) return;
  dueThrough = 0;
  for (const wake of mailers) wake();
}

/** Called by enqueueMails: a letter to send has been queued (committed once the request that queued it has ended). */
export function markMailDue(): void {
  dueThrough = numbered;
}

/** A mailer to wake when queued letters are due; the function it returns forgets it. */
export function onMailDue(wake: () => void): () => void {
  mailers.add(wake);
  return () => mailers.delete(wake);
}
