/**
 * Saves a draft in the background while the person types. `schedule()` after each change saves once they pause;
 * `now()` saves at once and resolves when done. Saves run one after another, so an older one never lands after a
 * newer one. `save` reads the form when its turn comes and resolves to null when saved, to the server's reason
 * when refused, or to `{ savedExcept }` when it saved part of the form and says what it left out. `status` is the line to show in a role="status" element.
 */
export function autosave(save: () => Promise<string | null | { savedExcept: string }>, pauseMs = 1500) {
  let status = $state('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  const clock = new Intl.DateTimeFormat('ru-RU', {
    timeZone: 'Europe/Moscow',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  function now(): Promise<void> {
    clearTimeout(timer);
    chain = chain.then(async () => {
      status = 'Сохраняется…';
      try {
        const refused = await save();
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment formatted once, not state
        const savedAt = new Date();
        status =
          refused === null
            ? `Черновик сохранён в ${clock.format(savedAt)}`
            : typeof refused === 'string'
              ? `Черновик не сохранён. ${refused}`
              : `Черновик сохранён в ${clock.format(savedAt)}, кроме неверных оценок. ${refused.savedExcept}`;
      } catch {
        status =
          'Нет связи с сервером: черновик не сохранён. Введённое остаётся на странице; сохраните его, когда связь появится.';
      }
    });
    return chain;
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void now(), pauseMs);
  }

  return {
    get status() {
      return status;
    },
    now,
    schedule,
  };
}
