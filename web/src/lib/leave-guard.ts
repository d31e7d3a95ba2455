/**
 * What an autosaving page does when the person leaves it: the last changes, still waiting for their pause, are sent at
 * once when the page is hidden (pagehide, or a switch to another tab or app: visibilitychange to hidden), with
 * `fetch(…, { keepalive: true })`, which the browser completes after the page is gone; and while something is not
 * saved yet, leaving asks first (beforeunload). One helper for every autosaving form (autosave.svelte.ts, the
 * olympiad's answer queue). Returns the function that removes the listeners.
 */
export function guardLeaving(options: {
  /** Whether something typed has not reached the server yet. */
  unsaved: () => boolean;
  /** Sends what is waiting now, with keepalive. Called only when unsaved() is true. */
  flush: () => void;
}): () => void {
  const hide = () => {
    if (options.unsaved()) options.flush();
  };
  const visibility = () => {
    if (document.visibilityState === 'hidden') hide();
  };
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (!options.unsaved()) return;
    options.flush();
    // The browser shows its own question («Покинуть сайт? Возможно, внесённые изменения не сохранятся»).
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('pagehide', hide);
  document.addEventListener('visibilitychange', visibility);
  window.addEventListener('beforeunload', beforeUnload);
  return () => {
    window.removeEventListener('pagehide', hide);
    document.removeEventListener('visibilitychange', visibility);
    window.removeEventListener('beforeunload', beforeUnload);
  };
}
