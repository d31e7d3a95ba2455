import { guardLeaving } from './leave-guard';

/** How a save is sent: `keepalive` when the page is being left (the request outlives the page). */
export interface SaveOptions {
  keepalive: boolean;
}

/**
 * Saves a draft in the background while the person types. `schedule()` after each change saves once they pause;
 * `now()` saves at once and resolves when done. Saves run one after another, so an older one never lands after a
 * newer one. `save` reads the form when its turn comes and resolves to null when saved, to the server's reason
 * when refused, or to `{ savedExcept }` when it saved part of the form: the caller's words for what it left out, which
 * follow «Черновик сохранён в 12:00:00, » (e.g. «кроме …»). `status` is the line to show in a role="status" element.
 * Created in a component, it also sends the waiting changes when the page is left and asks before leaving while the
 * changes are not saved in full: not sent yet, on their way, refused, or saved only in part (leave-guard.ts). `submit`
 * is for the form's onsubmit: the form then sends the changes itself, so leaving by it neither asks nor sends them.
 */
export function autosave(
  save: (options: SaveOptions) => Promise<string | null | { savedExcept: string }>,
  pauseMs = 1500,
) {
  let status = $state('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  /** Changes not sent yet (or lost on the way): the leave-page flush sends them. */
  let unsent = false;
  /** Changes made (one per schedule()), and how many of them the server has saved in full (answered null). */
  let changes = 0;
  let savedChanges = 0;
  /** Saves on their way. */
  let inFlight = 0;
  /** The form is being sent by its own button (until the next change). */
  let submitting = false;
  const clock = new Intl.DateTimeFormat('ru-RU', {
    timeZone: 'Europe/Moscow',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  async function run(options: SaveOptions): Promise<void> {
    unsent = false;
    // `save` reads the form as it is now: the changes made so far.
    const upTo = changes;
    inFlight += 1;
    status = 'Сохраняется…';
    try {
      const refused = await save(options);
      // Only a full save settles the changes; after a refusal or a partial save leaving the page still asks.
      if (refused === null) savedChanges = Math.max(savedChanges, upTo);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment formatted once, not state
      const savedAt = new Date();
      status =
        refused === null
          ? `Черновик сохранён в ${clock.format(savedAt)}`
          : typeof refused === 'string'
            ? `Черновик не сохранён. ${refused}`
            : `Черновик сохранён в ${clock.format(savedAt)}, ${refused.savedExcept}`;
    } catch {
      unsent = true;
      status =
        'Нет связи с сервером: черновик не сохранён. Введённое остаётся на странице; сохраните его, когда связь появится.';
    } finally {
      inFlight -= 1;
    }
  }

  function now(): Promise<void> {
    clearTimeout(timer);
    chain = chain.then(() => run({ keepalive: false }));
    return chain;
  }

  function schedule(): void {
    submitting = false;
    unsent = true;
    changes += 1;
    clearTimeout(timer);
    timer = setTimeout(() => void now(), pauseMs);
  }

  function submit(): void {
    clearTimeout(timer);
    submitting = true;
  }

  $effect(() =>
    guardLeaving({
      unsaved: () => !submitting && (unsent || inFlight > 0 || savedChanges < changes),
      flush: () => {
        if (!unsent) return;
        clearTimeout(timer);
        // Sent (or queued) once, however many of pagehide, visibilitychange and beforeunload come.
        unsent = false;
        const send = () => run({ keepalive: true });
        // At once when no save is on its way (the page may be gone before a queued one would start); otherwise after
        // it, so that the older save cannot land after this newer one (a draft's saves carry no sequence number).
        chain = inFlight > 0 ? chain.then(send) : Promise.all([chain, send()]).then(() => undefined);
      },
    }),
  );

  return {
    get status() {
      return status;
    },
    now,
    schedule,
    submit,
  };
}
