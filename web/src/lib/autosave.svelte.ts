import { guardLeaving } from './leave-guard';

/** How a save is sent: `keepalive` when the page is being left (the request outlives the page). */
export interface SaveOptions {
  keepalive: boolean;
}

/**
 * Saves a draft in the background while the person types. `schedule()` after each change saves once they pause;
 * `now()` saves at once and resolves when done. Saves run one after another, so an older one never lands after a
 * newer one. `save` reads the form when its turn comes and resolves to null when saved, to the server's reason
 * when refused, or to `{ savedExcept }` when it saved part of the form and says what it left out. `status` is the line
 * to show in a role="status" element. Created in a component, it also sends the waiting changes when the page is left
 * and asks before leaving with unsaved changes (leave-guard.ts).
 */
export function autosave(
  save: (options: SaveOptions) => Promise<string | null | { savedExcept: string }>,
  pauseMs = 1500,
) {
  let status = $state('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  /** Changes not sent yet, and saves on their way. */
  let dirty = false;
  let inFlight = 0;
  const clock = new Intl.DateTimeFormat('ru-RU', {
    timeZone: 'Europe/Moscow',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  async function run(options: SaveOptions): Promise<void> {
    dirty = false;
    inFlight += 1;
    status = 'Сохраняется…';
    try {
      const refused = await save(options);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment formatted once, not state
      const savedAt = new Date();
      status =
        refused === null
          ? `Черновик сохранён в ${clock.format(savedAt)}`
          : typeof refused === 'string'
            ? `Черновик не сохранён. ${refused}`
            : `Черновик сохранён в ${clock.format(savedAt)}, кроме неверных оценок. ${refused.savedExcept}`;
    } catch {
      dirty = true;
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
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(() => void now(), pauseMs);
  }

  $effect(() =>
    guardLeaving({
      unsaved: () => dirty || inFlight > 0,
      flush: () => {
        if (!dirty) return;
        clearTimeout(timer);
        // At once, not after the saves in the chain: the page may be gone before they finish.
        void run({ keepalive: true });
      },
    }),
  );

  return {
    get status() {
      return status;
    },
    now,
    schedule,
  };
}
