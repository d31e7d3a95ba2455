/**
 * Application forms: what an organizer configures and the one validator of applicants' answers.
 * Pure code (no database), so the rules are unit-tested and the pages render from the same definition.
 */
import { moscowIsoDate } from '../../lib/moscow.ts';

export type FieldKind =
  'text' | 'textarea' | 'number' | 'date' | 'email' | 'phone' | 'choice' | 'multichoice' | 'yesno' | 'file' | 'consent';
export const FIELD_KINDS: readonly FieldKind[] = [
  'text',
  'textarea',
  'number',
  'date',
  'email',
  'phone',
  'choice',
  'multichoice',
  'yesno',
  'file',
  'consent',
];

export const FIELD_KIND_LABELS: Record<FieldKind, string> = {
  text: 'Строка текста',
  textarea: 'Длинный текст',
  number: 'Число',
  date: 'Дата',
  email: 'Электронная почта',
  phone: 'Телефон',
  choice: 'Выбор из списка',
  multichoice: 'Несколько вариантов',
  yesno: 'Да или нет',
  file: 'Файлы',
  consent: 'Согласие на обработку персональных данных',
};

/** Groups of file types an organizer may allow; the real type is decided from the content. */
export type FileTypeGroup = 'image' | 'pdf' | 'document' | 'spreadsheet';
export const FILE_TYPE_GROUPS: Record<FileTypeGroup, { label: string; mimeTypes: string[] }> = {
  image: { label: 'Изображения (JPEG, PNG, WebP)', mimeTypes: ['image/jpeg', 'image/png', 'image/webp'] },
  pdf: { label: 'PDF', mimeTypes: ['application/pdf'] },
  document: {
    label: 'Документы Word (DOCX), ODT',
    mimeTypes: [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.oasis.opendocument.text',
    ],
  },
  spreadsheet: {
    label: 'Таблицы Excel (XLSX), ODS',
    mimeTypes: [
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.oasis.opendocument.spreadsheet',
    ],
  },
};

export interface FormField {
  /** Stable name of the answer; letters, digits and _ (latin). */
  key: string;
  kind: FieldKind;
  label: string;
  help?: string;
  required: boolean;
  /** Identifies the applicant: hidden from jurors in blind mode. */
  personal: boolean;
  /** text, textarea: most characters allowed. */
  maxLength?: number;
  /** number: bounds and whether only whole numbers are allowed. */
  min?: number;
  max?: number;
  integer?: boolean;
  /** date: not later than today in Moscow (a date of founding or creation). */
  notFuture?: boolean;
  /** choice, multichoice: the list. */
  options?: string[];
  /** multichoice: most options one may tick. */
  maxChoices?: number;
  /** file: allowed type groups, size of one file in megabytes, how many files. */
  accept?: FileTypeGroup[];
  maxSizeMb?: number;
  maxFiles?: number;
  /** consent: the exact text the applicant agrees to (stored with the consent). */
  consentText?: string;
}

export type AnswerValue = string | string[];
export type Answers = Record<string, AnswerValue>;

export const DEFAULT_MAX_LENGTH: Record<'text' | 'textarea', number> = { text: 500, textarea: 5000 };
export const MAX_TEXT_LENGTH = 20_000;
export const MAX_FILE_SIZE_MB = 50;

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Checks an organizer's form: returns a Russian message per problem, keyed by `fields.<index>.<property>`. */
export function checkFormDefinition(fields: FormField[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = (prop: string) => `fields.${i}.${prop}`;
    const name = `Поле ${i + 1}${f.label ? ` «${f.label}»` : ''}`;
    if (!KEY_PATTERN.test(f.key))
      errors[at('key')] = `${name}: код поля — латинские строчные буквы, цифры и _, начиная с буквы.`;
    else if (seen.has(f.key)) errors[at('key')] = `${name}: код «${f.key}» уже занят другим полем.`;
    seen.add(f.key);
    if (!f.label.trim()) errors[at('label')] = `Поле ${i + 1}: заполните название поля.`;
    if (f.kind === 'choice' || f.kind === 'multichoice') {
      const options = (f.options ?? []).map((o) => o.trim()).filter(Boolean);
      if (options.length === 0) errors[at('options')] = `${name}: укажите хотя бы один вариант.`;
      else if (new Set(options).size !== options.length)
        errors[at('options')] = `${name}: варианты не должны повторяться.`;
    }
    if (f.kind === 'number' && f.min !== undefined && f.max !== undefined && f.min > f.max) {
      errors[at('max')] = `${name}: наибольшее значение меньше наименьшего.`;
    }
    if (f.kind === 'file' && (!f.accept || f.accept.length === 0))
      errors[at('accept')] = `${name}: выберите допустимые типы файлов.`;
    if (f.kind === 'consent' && !f.consentText?.trim()) errors[at('consentText')] = `${name}: впишите текст согласия.`;
  });
  if (!fields.some((f) => f.kind === 'consent')) {
    errors.fields = 'Добавьте в форму согласие на обработку персональных данных: оно обязательно в каждой заявке.';
  }
  return errors;
}

/** The limits of a file field with the defaults applied. */
export function fileLimits(f: FormField): { mimeTypes: string[]; maxBytes: number; maxFiles: number } {
  const groups = f.accept?.length ? f.accept : (['image', 'pdf'] as FileTypeGroup[]);
  return {
    mimeTypes: groups.flatMap((g) => FILE_TYPE_GROUPS[g]?.mimeTypes ?? []),
    maxBytes: Math.round(Math.min(f.maxSizeMb ?? 10, MAX_FILE_SIZE_MB) * 1024 * 1024),
    maxFiles: f.maxFiles ?? 5,
  };
}

/** Brings an answer to its stored form: trimmed text, a phone as +7XXXXXXXXXX, a lower-cased e-mail. */
export function normalizeAnswer(f: FormField, value: AnswerValue): AnswerValue {
  if (Array.isArray(value)) return value.map((v) => v.trim()).filter(Boolean);
  const v = f.kind === 'textarea' ? value.replace(/\r\n/g, '\n').trim() : value.trim();
  if (f.kind === 'email') return v.toLowerCase();
  if (f.kind === 'phone') {
    const digits = v.replace(/[\s()\-–]/g, '');
    if (/^(\+7|8)\d{10}$/.test(digits)) return `+7${digits.slice(-10)}`;
    return v;
  }
  if (f.kind === 'number') {
    // Only a number written with spaces or a decimal comma is rewritten; words («около тысячи») stay as typed,
    // so the validator refuses them and names the field.
    const n = v.replace(',', '.').replace(/\s/g, '');
    return /^-?\d+(\.\d+)?$/.test(n) ? n : v;
  }
  return v;
}

function isEmpty(value: AnswerValue | undefined): boolean {
  return value === undefined || (Array.isArray(value) ? value.length === 0 : value.trim() === '');
}

function isRealDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3]) &&
    Number(m[1]) >= 1900 &&
    Number(m[1]) <= 2100
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Why a filled-in answer is wrong, or null. `fileCount` is the number of files attached to a file field; `today` is
 * the day in Moscow as ГГГГ-ММ-ДД (moscowIsoDate), for dates that may not be in the future.
 */
export function answerProblem(
  f: FormField,
  value: AnswerValue | undefined,
  fileCount = 0,
  today = moscowIsoDate(new Date()),
): string | null {
  const label = `«${f.label}»`;
  if (f.kind === 'file') {
    const { maxFiles } = fileLimits(f);
    return fileCount > maxFiles ? `Поле ${label}: не больше ${maxFiles} файлов.` : null;
  }
  if (isEmpty(value)) return null;
  const multi = f.kind === 'multichoice';
  if (multi !== Array.isArray(value))
    return `Поле ${label} заполнено неверно: ожидается ${multi ? 'список вариантов' : 'текст'}.`;
  if (Array.isArray(value)) {
    const options = f.options ?? [];
    const unknown = value.find((v) => !options.includes(v));
    if (unknown !== undefined) return `Поле ${label}: варианта «${unknown}» нет в списке.`;
    if (new Set(value).size !== value.length) return `Поле ${label}: варианты не должны повторяться.`;
    if (f.maxChoices !== undefined && value.length > f.maxChoices)
      return `Поле ${label}: выберите не больше ${f.maxChoices}.`;
    return null;
  }
  const v = value as string;
  switch (f.kind) {
    case 'text':
    case 'textarea': {
      const max = Math.min(f.maxLength ?? DEFAULT_MAX_LENGTH[f.kind], MAX_TEXT_LENGTH);
      return [...v].length > max
        ? `Поле ${label} должно содержать не больше ${max} символов (сейчас ${[...v].length}).`
        : null;
    }
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(v)) return `Поле ${label}: введите число, например 12 или 3,5.`;
      const n = Number(v);
      if (f.integer && !Number.isInteger(n)) return `Поле ${label}: введите целое число.`;
      if (f.min !== undefined && n < f.min) return `Поле ${label} должно быть не меньше ${f.min}.`;
      if (f.max !== undefined && n > f.max) return `Поле ${label} должно быть не больше ${f.max}.`;
      return null;
    }
    case 'date':
      if (!isRealDate(v)) return `Поле ${label}: введите дату в формате ДД.ММ.ГГГГ.`;
      // ГГГГ-ММ-ДД strings compare as the dates do.
      return f.notFuture && v > today ? `Поле ${label}: дата не может быть позже сегодняшней.` : null;
    case 'email':
      return EMAIL.test(v) && v.length <= 254
        ? null
        : `Поле ${label}: введите адрес электронной почты, например ivanova@mail.ru.`;
    case 'phone':
      return /^\+7\d{10}$/.test(v) ? null : `Поле ${label}: введите номер телефона, например +7 900 123-45-67.`;
    case 'choice':
      return (f.options ?? []).includes(v) ? null : `Поле ${label}: выберите вариант из списка.`;
    case 'yesno':
      return v === 'yes' || v === 'no' ? null : `Поле ${label}: выберите «да» или «нет».`;
    case 'consent':
      return v === 'yes' ? null : `Отметьте ${label}.`;
    default:
      return null;
  }
}

export interface AnswerCheck {
  /** Answers that are filled in but wrong, by field key. */
  errors: Record<string, string>;
  /** Required fields still empty, by field key, with the message to show. */
  missing: Record<string, string>;
}

/**
 * Checks every answer against the form. A draft may have `missing` fields; a submission may have neither.
 * Keys that the form does not have are errors (under `_`), so an old page cannot store stray data.
 */
export function checkAnswers(
  fields: FormField[],
  answers: Answers,
  fileCounts: Record<string, number> = {},
  today = moscowIsoDate(new Date()),
): AnswerCheck {
  const errors: Record<string, string> = {};
  const missing: Record<string, string> = {};
  const known = new Set(fields.map((f) => f.key));
  const stray = Object.keys(answers).filter((k) => !known.has(k));
  if (stray.length) errors._ = `В форме нет полей: ${stray.join(', ')}. Обновите страницу.`;
  for (const f of fields) {
    const value = answers[f.key];
    const count = fileCounts[f.key] ?? 0;
    const empty = f.kind === 'file' ? count === 0 : isEmpty(value) || (f.kind === 'consent' && value === 'no');
    if (empty) {
      if (f.required || f.kind === 'consent') {
        missing[f.key] =
          f.kind === 'file'
            ? `Приложите файл в поле «${f.label}».`
            : f.kind === 'consent'
              ? `Отметьте «${f.label}».`
              : `Заполните поле «${f.label}».`;
      }
      continue;
    }
    const problem = answerProblem(f, value, count, today);
    if (problem) errors[f.key] = problem;
  }
  return { errors, missing };
}

/** Normalizes every answer and drops empty ones; file fields have no answer (their files are kept apart). */
export function normalizeAnswers(fields: FormField[], answers: Answers): Answers {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const out: Answers = {};
  for (const [key, value] of Object.entries(answers)) {
    const f = byKey.get(key);
    if (!f) {
      out[key] = value;
      continue;
    }
    if (f.kind === 'file') continue;
    const normalized = normalizeAnswer(f, value);
    if (!isEmpty(normalized)) out[key] = normalized;
  }
  return out;
}

/** How an answer reads to a person (exports, the organizer's view). */
export function answerText(f: FormField, value: AnswerValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join('; ');
  if (f.kind === 'yesno') return value === 'yes' ? 'да' : value === 'no' ? 'нет' : value;
  if (f.kind === 'consent') return value === 'yes' ? 'согласие дано' : '';
  if (f.kind === 'date') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return m ? `${m[3]}.${m[2]}.${m[1]}` : value;
  }
  return value;
}
