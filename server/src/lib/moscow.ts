/** Times are shown in Moscow time (product rule): the one place the server formats them. */
const dateFormat = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' });
const isoDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Moscow',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const yearFormat = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Moscow', year: 'numeric' });

/** ДД.ММ.ГГГГ */
export function moscowDate(at: Date): string {
  return dateFormat.format(at);
}

/** ДД.ММ.ГГГГ ЧЧ:ММ */
export function moscowDateTime(at: Date): string {
  return `${dateFormat.format(at)} ${timeFormat.format(at)}`;
}

/** The year in Moscow at that instant (00:30 МСК on 1 January already belongs to the new year). */
export function moscowYear(at: Date): number {
  return Number(yearFormat.format(at));
}

/** ГГГГ-ММ-ДД: the day in Moscow at that instant, as date answers are stored (so they compare as strings). */
export function moscowIsoDate(at: Date): string {
  return isoDateFormat.format(at);
}

const longDateFormat = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** «15 декабря 2026 г.», as official documents date themselves. */
export function moscowLongDate(at: Date): string {
  return longDateFormat.format(at);
}
