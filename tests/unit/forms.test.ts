import { describe, expect, test } from 'vitest';
import {
  answerText,
  checkAnswers,
  normalizeAnswers,
  type FormField,
} from '../../server/src/modules/forms/definition.ts';
import {
  effectiveDeadline,
  formatRegistrationNumber,
  isBeforeDeadline,
  canTransition,
} from '../../server/src/modules/applications/lifecycle.ts';
import { moscowIsoDate, moscowYear } from '../../server/src/lib/moscow.ts';
import { safeFileName } from '../../server/src/modules/files/upload.ts';
import { contentDisposition } from '../../server/src/modules/files/routes.ts';
import { retryDelayMinutes } from '../../server/src/modules/mail/outbox.ts';
import { everyKindForm, validAnswers } from '../helpers/contest.ts';

const form = everyKindForm();
const files = { photos: 1 };
const check = (overrides: Record<string, string | string[]>) =>
  checkAnswers(form, normalizeAnswers(form, { ...validAnswers(), ...overrides }), files);

describe('the answer validator', () => {
  test('a complete, valid application has no errors and nothing missing', () => {
    expect(check({})).toEqual({ errors: {}, missing: {} });
  });

  test.each([
    ['org', 'x'.repeat(51), 'не больше 50 символов'],
    ['about', 'я'.repeat(201), 'не больше 200 символов'],
    ['members', 'двести', 'введите число'],
    ['members', '12.5', 'целое число'],
    ['members', '0', 'не меньше 1'],
    ['members', '100001', 'не больше 100000'],
    ['founded', '2023-02-30', 'ДД.ММ.ГГГГ'],
    ['founded', '21.04.2015', 'ДД.ММ.ГГГГ'],
    ['email', 'ivanova@', 'адрес электронной почты'],
    ['phone', '12345', 'номер телефона'],
    ['phone', '+1 900 123 45 67', 'номер телефона'],
    ['municipality', 'Москва', 'выберите вариант из списка'],
    ['areas', ['спорт'], 'варианта «спорт» нет в списке'],
    ['areas', ['благоустройство', 'досуг', 'безопасность'], 'не больше 2'],
    ['areas', 'досуг', 'список вариантов'],
    ['registered', 'может быть', '«да» или «нет»'],
  ])('%s = %j is refused: %s', (key, value, message) => {
    const { errors } = check({ [key]: value as string });
    expect(Object.keys(errors)).toEqual([key]);
    expect(errors[key]).toContain(message);
  });

  test('a consent that is not given, or required fields left empty, are listed as missing', () => {
    const { missing } = checkAnswers(
      form,
      normalizeAnswers(form, { ...validAnswers(), consent: 'no', org: '   ' }),
      {},
    );
    expect(missing).toEqual({
      org: 'Заполните поле «Название ТОС».',
      consent: 'Отметьте «Согласие на обработку персональных данных».',
      photos: 'Приложите файл в поле «Фотографии».',
    });
  });

  test('too many files for a file field', () => {
    expect(checkAnswers(form, normalizeAnswers(form, validAnswers()), { photos: 3 }).errors.photos).toContain(
      'не больше 2 файлов',
    );
  });

  test('a field the form does not have is an error', () => {
    expect(checkAnswers(form, { ...validAnswers(), stray: 'x' }, files).errors._).toContain('stray');
  });

  test('answers are normalized: phone to +7, e-mail lower case, decimal comma, text trimmed', () => {
    const n = normalizeAnswers(form, {
      phone: '8 (900) 123-45-67',
      email: ' TOS@Example.RU ',
      members: '1 200',
      org: '  ТОС ',
    });
    expect(n).toEqual({ phone: '+79001234567', email: 'tos@example.ru', members: '1200', org: 'ТОС' });
    const f: FormField = { key: 'n', kind: 'number', label: 'Ч', required: false, personal: false };
    expect(normalizeAnswers([f], { n: '3,5' })).toEqual({ n: '3.5' });
  });

  test('words typed in a number field stay as typed and are refused naming the field', () => {
    const n = normalizeAnswers(form, { members: 'около тысячи' });
    expect(n.members).toBe('около тысячи');
    expect(check({ members: 'около тысячи' }).errors.members).toMatch(/«Число жителей».*введите число/);
  });

  test('a date that may not be in the future: today is accepted, tomorrow (in Moscow) is refused naming the field', () => {
    const today = '2026-12-01';
    const at = (founded: string) =>
      checkAnswers(form, normalizeAnswers(form, { ...validAnswers(), founded }), files, today).errors;
    expect(at('2026-12-01')).toEqual({});
    expect(at('2026-12-02').founded).toBe('Поле «Дата создания ТОС»: дата не может быть позже сегодняшней.');
    // The day is Moscow's: at 22:30 UTC on 31 December it is already 1 January there.
    expect(moscowIsoDate(new Date('2026-12-31T22:30:00Z'))).toBe('2027-01-01');
    // A date field without the rule takes any real date.
    const plain = form.map((f) => (f.key === 'founded' ? { ...f, notFuture: undefined } : f));
    const later = normalizeAnswers(plain, { ...validAnswers(), founded: '2099-01-01' });
    expect(checkAnswers(plain, later, files, today).errors).toEqual({});
  });

  test('answers read as a person expects', () => {
    const byKey = Object.fromEntries(form.map((f) => [f.key, f]));
    expect(answerText(byKey.founded, '2015-04-21')).toBe('21.04.2015');
    expect(answerText(byKey.registered, 'yes')).toBe('да');
    expect(answerText(byKey.areas, ['досуг', 'безопасность'])).toBe('досуг; безопасность');
  });
});

describe('application lifecycle', () => {
  const open = new Date('2026-11-01T00:00:00Z');
  const close = new Date('2026-12-01T21:00:00Z');

  test('the deadline is an instant: a millisecond before is in time, the instant itself is late', () => {
    expect(isBeforeDeadline(new Date(close.getTime() - 1), open, close, null)).toBe(true);
    expect(isBeforeDeadline(close, open, close, null)).toBe(false);
    expect(isBeforeDeadline(new Date(open.getTime() - 1), open, close, null)).toBe(false);
    const extended = new Date(close.getTime() + 86400000);
    expect(isBeforeDeadline(close, open, close, extended)).toBe(true);
    expect(effectiveDeadline(close, new Date(close.getTime() - 1))).toEqual(close);
  });

  test('transitions', () => {
    expect(canTransition('draft', 'submit')).toBe(true);
    expect(canTransition('returned', 'submit')).toBe(true);
    expect(canTransition('submitted', 'submit')).toBe(false);
    expect(canTransition('accepted', 'withdraw')).toBe(false);
    expect(canTransition('draft', 'accept')).toBe(false);
    expect(canTransition('submitted', 'return')).toBe(true);
  });

  test('registration numbers like ТОС-2026-017, year in Moscow', () => {
    expect(formatRegistrationNumber('ТОС', 2026, 17)).toBe('ТОС-2026-017');
    expect(formatRegistrationNumber('ТОС', 2026, 1234)).toBe('ТОС-2026-1234');
    expect(moscowYear(new Date('2026-12-31T21:30:00Z'))).toBe(2027);
  });
});

describe('file names and mail retries', () => {
  test.each([
    ['../../../etc/passwd', 'png', 'passwd.png'],
    ['..\\..\\boot.ini', 'pdf', 'boot.pdf'],
    ['фото двора.JPG', 'jpg', 'фото двора.jpg'],
    ['con', 'pdf', '_.pdf'],
    ['a<b>:"c"|?*.exe', 'pdf', 'a_b___c____.pdf'],
    ['', 'png', 'файл.png'],
  ])('%j becomes %j', (name, ext, expected) => {
    expect(safeFileName(name, ext)).toBe(expected);
  });

  test('Content-Disposition carries the Cyrillic name and an ASCII fallback', () => {
    expect(contentDisposition('attachment', 'фото "1".png')).toBe(
      `attachment; filename="____ _1_.png"; filename*=UTF-8''${encodeURIComponent('фото "1".png')}`,
    );
  });

  test('retries back off up to six hours', () => {
    expect([1, 2, 3, 4, 20].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 360]);
  });
});
