import { describe, expect, test } from 'vitest';
import { readConfig } from '../../server/src/config.ts';
import { AUTOMATIC_FOOTER, greeting, letterHtml, letterText } from '../../server/src/modules/mail/letter.ts';

describe('the one shape of a letter (issue #13, item 11)', () => {
  test('one greeting: first name and patronymic, or none for an address without an account', () => {
    expect(greeting({ firstName: 'Мария', middleName: 'Сергеевна' })).toBe('Здравствуйте, Мария Сергеевна!');
    expect(greeting({ firstName: 'Джон', middleName: null })).toBe('Здравствуйте, Джон!');
    expect(greeting(null)).toBe('Здравствуйте!');
  });

  test('the text: greeting, paragraphs, footer, a blank line between', () => {
    expect(letterText({ firstName: 'Мария', middleName: null }, ['Первый.', 'Второй\nв две строки.'])).toBe(
      `Здравствуйте, Мария!\n\nПервый.\n\nВторой\nв две строки.\n\n${AUTOMATIC_FOOTER}`,
    );
  });

  test('the HTML part says what the text says: escaped, paragraphs and line breaks kept, addresses as links', () => {
    const text = letterText(null, [
      'ТОС «Дом <№5> & сад» подал заявку.',
      'Откройте ссылку:\nhttp://localhost:3000/reset-password/abc234.',
      'Итоги: https://konkurs.example.ru/contests/tos/results?x=1&y=2 — там же.',
    ]);
    const html = letterHtml('Тема <письма>', text);
    expect(html).toMatch(/^<!doctype html>\n<html lang="ru">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Тема &lt;письма&gt;</title>');
    expect(html).toContain('<p style="margin:0 0 16px">Здравствуйте!</p>');
    expect(html).toContain('ТОС «Дом &lt;№5&gt; &amp; сад» подал заявку.');
    expect(html).not.toContain('<№5>');
    // The full stop after an address is not part of the link.
    expect(html).toContain(
      'Откройте ссылку:<br>\n<a href="http://localhost:3000/reset-password/abc234">http://localhost:3000/reset-password/abc234</a>.',
    );
    expect(html).toContain('<a href="https://konkurs.example.ru/contests/tos/results?x=1&amp;y=2">');
    expect(html).toContain(`<p style="margin:24px 0 0;color:#666666;font-size:13px">${AUTOMATIC_FOOTER}</p>`);
    expect(html.match(/<p /g)).toHaveLength(5);
  });
});

describe('MAIL_FROM', () => {
  test('defaults to noreply at the host of PUBLIC_URL, takes an address with or without a name, refuses anything else', () => {
    expect(readConfig({ PUBLIC_URL: 'https://konkurs.example.ru' }).mailFrom).toBe(
      'Konkurs <noreply@konkurs.example.ru>',
    );
    expect(readConfig({ MAIL_FROM: 'Конкурсы РО ВСМС <konkurs@vsms.example.ru>' }).mailFrom).toBe(
      'Конкурсы РО ВСМС <konkurs@vsms.example.ru>',
    );
    expect(readConfig({ MAIL_FROM: 'konkurs@vsms.example.ru' }).mailFrom).toBe('konkurs@vsms.example.ru');
    expect(() => readConfig({ MAIL_FROM: 'Konkurs' })).toThrow(/MAIL_FROM/);
    expect(() => readConfig({ MAIL_FROM: 'a@b, c@d' })).toThrow(/MAIL_FROM/);
  });
});
