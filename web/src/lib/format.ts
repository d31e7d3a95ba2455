/** Dates are shown in Moscow time as ДД.ММ.ГГГГ; people as Фамилия Имя Отчество. */
const dateFormat = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' });

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return `${formatDate(iso)} ${timeFormat.format(new Date(iso))} (МСК)`;
}

export const ROLE_LABELS: Record<string, string> = {
  organizer: 'Организатор',
  juror: 'Член жюри',
  applicant: 'Заявитель',
  student: 'Участник олимпиады',
};

export const CONTEST_PHASE_LABELS: Record<string, string> = {
  upcoming: 'Скоро',
  applications: 'Идёт приём заявок',
  review: 'Работа жюри',
  results: 'Итоги подведены',
};

export const OLYMPIAD_PHASE_LABELS: Record<string, string> = {
  upcoming: 'Скоро',
  open: 'Идёт олимпиада',
  grading: 'Проверка работ',
  results: 'Итоги подведены',
};

export function gradesLabel(grades: number[]): string {
  if (grades.length === 0) return '';
  const sorted = [...grades].sort((a, b) => a - b);
  const contiguous = sorted.every((g, i) => i === 0 || g === sorted[i - 1] + 1);
  return contiguous && sorted.length > 1 ? `${sorted[0]}–${sorted[sorted.length - 1]} классы` : `${sorted.join(', ')} ${sorted.length > 1 ? 'классы' : 'класс'}`;
}

/** Only local paths are followed after sign-in, never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** A countdown as ЧЧ:ММ:СС (never negative). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

export const TASK_KIND_LABELS: Record<string, string> = {
  single: 'Один ответ из нескольких',
  multiple: 'Несколько ответов',
  text: 'Краткий ответ (текст)',
  number: 'Числовой ответ',
  matching: 'Установление соответствия',
  ordering: 'Установление последовательности',
  open: 'Открытый ответ (проверяет жюри)',
};

export const AWARD_STATUS_LABELS: Record<string, string> = {
  winner: 'Победитель',
  prize: 'Призёр',
  participant: 'Участник',
};
