import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('foundation journey in Chromium, against the single production process', () => {
  it('registers, signs out, signs in and sees the events on a phone-sized screen', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();

    await page.goto(`${server.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Конкурсы и олимпиады');
    await noHorizontalScroll(page);

    await page.getByRole('link', { name: 'Регистрация' }).click();
    await settled(page);
    await page.getByLabel('Фамилия').fill('Смирнова');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Ольга');
    await page.getByLabel('Отчество').fill('Николаевна');
    await page.getByLabel('Электронная почта').fill('olga.smirnova@example.ru');
    await page.getByLabel('Пароль').fill('надёжный-пароль-1');
    await page.getByLabel(/даю согласие/).check();
    await noHorizontalScroll(page);
    // A plain form POST: through Fastify into the SvelteKit action, which calls the API.
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();

    await page.waitForURL(/\/account/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Вы зарегистрированы');
    await expect(page.locator('main').textContent()).resolves.toContain('Смирнова Ольга Николаевна');
    await expect(page.locator('main').textContent()).resolves.toContain('Заявитель');

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL(`${server.url}/`);
    await expect(page.getByRole('link', { name: 'Войти' }).isVisible()).resolves.toBe(true);
    const afterLogout = await (await context.request.get(`${server.url}/api/auth/me`)).json();
    expect(afterLogout).toEqual({ user: null });

    await page.getByRole('link', { name: 'Войти' }).click();
    await settled(page);
    await page.getByLabel('Электронная почта').fill('olga.smirnova@example.ru');
    await page.getByLabel('Пароль').fill('надёжный-пароль-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${server.url}/`);

    await expect(page.locator('header').textContent()).resolves.toContain('Смирнова Ольга Николаевна');
    const titles = await page.locator('article h3').allTextContents();
    expect(titles).toEqual(
      expect.arrayContaining([
        'Лучший руководитель ТОС Смоленской области',
        'Лучший председатель ТОС, лучшая общественная инициатива в решении вопросов местного значения в городе Смоленске',
        'Олимпиада по основам местного самоуправления',
      ]),
    );
    const text = await page.locator('main').textContent();
    expect(text).toContain('Идёт приём заявок');
    expect(text).toContain('Работа жюри');
    expect(text).toContain('Идёт олимпиада');
    expect(text).toContain('Лучший старейшина');
    expect(text).toMatch(/\d{2}\.\d{2}\.\d{4}/);
    await noHorizontalScroll(page);
    await context.close();
  });

  it('shows each error at its field and keeps what was typed', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/register`);
    await settled(page);
    await page.getByLabel('Фамилия').fill('Кузнецов');
    await page.getByLabel('Электронная почта').fill('не-почта');
    await page.getByLabel('Пароль').fill('короткий');
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();

    await expect(page.getByRole('alert').textContent()).resolves.toContain('Проверьте введённые данные');
    const firstName = page.getByRole('textbox', { name: 'Имя', exact: true });
    await expect(firstName.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#field-firstName-error').textContent()).resolves.toBe('Заполните поле «Имя».');
    await expect(page.locator('#field-email-error').textContent()).resolves.toContain('адрес электронной почты');
    await expect(page.locator('#field-password-error').textContent()).resolves.toContain('не меньше 12 символов');
    await expect(page.locator('#field-consent-error').textContent()).resolves.toContain('Отметьте');
    await expect(page.getByLabel('Фамилия').inputValue()).resolves.toBe('Кузнецов');
    await context.close();
  });

  it('refuses a wrong password in Russian and signs in the demo organizer by keyboard', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await settled(page);
    await page.getByLabel('Электронная почта').fill('organizer@demo.konkurs.local');
    await page.getByLabel('Пароль').fill('wrong-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Неверный адрес электронной почты или пароль.');

    await page.getByLabel('Пароль').fill('organizer-demo-1');
    await page.getByLabel('Пароль').press('Enter');
    await page.waitForURL(`${server.url}/`);
    await expect(page.getByRole('navigation').textContent()).resolves.toContain('Пользователи');
    await page.getByRole('link', { name: 'Пользователи' }).click();
    await page.waitForURL(/\/admin\/users/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Пользователи');
    await expect(page.locator('main').textContent()).resolves.toContain('Соколов Андрей Викторович');
    await context.close();
  });

  it('the organizer changes roles and reads the change in «Журнал» on a phone', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1', '/admin/users');
    const roles = page.getByRole('form', { name: 'Роли: Соколов Андрей Викторович' });
    await roles.getByLabel('Заявитель').check();
    await roles.getByRole('button', { name: /Сохранить/ }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Роли пользователя Соколов Андрей Викторович сохранены.',
    );

    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Журнал' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    await settled(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Журнал действий');
    const top = page.locator('ol.audit > li').first();
    await expect(top.getByRole('heading').textContent()).resolves.toBe('Роли пользователя изменены');
    await expect(top.textContent()).resolves.toContain('Ковалёва Ирина Петровна');
    await expect(top.textContent()).resolves.toContain('Объект: Пользователь');
    await expect(top.textContent()).resolves.toMatch(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(МСК\)/);
    const before = top.locator('pre').first();
    await expect(before.isVisible()).resolves.toBe(false);
    await top.getByText('Было / стало').click();
    await expect(before.isVisible()).resolves.toBe(true);
    expect(JSON.parse((await before.textContent()) ?? '')).toEqual({ roles: ['juror'] });
    expect(JSON.parse((await top.locator('pre').nth(1).textContent()) ?? '')).toEqual({
      roles: ['juror', 'applicant'],
    });
    await noHorizontalScroll(page);

    await page.getByLabel('Раздел').selectOption({ label: 'Олимпиады' });
    await page.getByLabel('Кто: ФИО или почта').fill('ковалёва');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/area=olympiad/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Записей нет.');
    await expect(page.getByLabel('Кто: ФИО или почта').inputValue()).resolves.toBe('ковалёва');
    await context.close();
  });
});
