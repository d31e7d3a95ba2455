/** Dates are shown in Moscow time as ДД.ММ.ГГГГ; people as Фамилия Имя Отчество. */
const dateFormat = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' });

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return `${formatDate(iso)} ${timeFormat.format(new Date(iso))} (МСК)`;
}

const isoDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Moscow',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today in Moscow as ГГГГ-ММ-ДД, the value of a date input. */
export function moscowToday(): string {
  return isoDateFormat.format(new Date());
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
  return contiguous && sorted.length > 1
    ? `${sorted[0]}–${sorted[sorted.length - 1]} классы`
    : `${sorted.join(', ')} ${sorted.length > 1 ? 'классы' : 'класс'}`;
}

/** Only local paths are followed after sign-in, never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** A link to signing in or registering that leads back to `next` afterwards (a local path only, see safeNext). */
export function withNext(path: '/login' | '/register', next: string | null): string {
  const back = safeNext(next);
  return back === '/' ? path : `${path}?next=${encodeURIComponent(back)}`;
}

export const APPLICATION_STATUS_LABELS: Record<string, string> = {
  draft: 'Черновик',
  submitted: 'Подана',
  returned: 'Возвращена на доработку',
  accepted: 'Принята',
  rejected: 'Отклонена',
  withdrawn: 'Отозвана',
};

export const FIELD_KIND_LABELS: Record<string, string> = {
  text: 'Строка текста',
  textarea: 'Длинный текст',
  number: 'Число',
  date: 'Дата',
  email: 'Электронная почта',
  phone: 'Телефон (+7)',
  choice: 'Выбор из списка',
  multichoice: 'Несколько вариантов',
  yesno: 'Да или нет',
  file: 'Файлы',
  consent: 'Согласие на обработку персональных данных',
};

export const FILE_GROUP_LABELS: Record<string, string> = {
  image: 'Изображения (JPEG, PNG, WebP)',
  pdf: 'PDF',
  document: 'Документы (DOCX, ODT)',
  spreadsheet: 'Таблицы (XLSX, ODS)',
};

/** What a file input may pick, as the accept attribute (the server decides by content anyway). */
export const FILE_GROUP_ACCEPT: Record<string, string> = {
  image: 'image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp',
  pdf: 'application/pdf,.pdf',
  document: '.docx,.odt',
  spreadsheet: '.xlsx,.ods',
};

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toLocaleString('ru-RU', { maximumFractionDigits: 1 })} МБ`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} КБ`;
}

/** Moscow has been UTC+3 all year round since 2014. */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/** An instant as the value of <input type="datetime-local"> in Moscow time. */
export function toMoscowInput(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(new Date(iso).getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 16);
}

/** The value of <input type="datetime-local">, read as Moscow time, as an ISO instant ('' stays ''). */
export function fromMoscowInput(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return value;
  return new Date(`${value}:00+03:00`).toISOString();
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

/** Points and other decimals as a Russian reader writes them, at most two decimals: 40.6666 → «40,67», 7.5 → «7,5». */
export function formatPoints(n: number): string {
  return String(Math.round(n * 100) / 100).replace('.', ',');
}

/**
 * Points as a person types them: «4,5» and «4.5» are 4.5; anything but a plain decimal number (e.g. «4,5,1», «1e3»,
 * «4 5», an empty field) is null. The one reading of typed points for every page (jury sheets, olympiad grading).
 */
export function parsePoints(raw: string): number | null {
  const text = raw.trim();
  if (!/^-?\d+(?:[.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.'));
}

/** The rule for a new password, as the fields that ask for one say it (the server's is in auth/password-policy.ts). */
export const PASSWORD_HELP =
  'Не короче 12 символов. Подойдёт фраза из нескольких слов; самые распространённые пароли не принимаются.';
