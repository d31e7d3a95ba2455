import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('the organizer side of J1 on a phone', () => {
  it('filters the demo applications, returns one with a comment, and reads the mail in the outbox', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');

    await page.getByRole('link', { name: 'Конкурсы', exact: true }).click();
    await page.waitForURL(/\/admin\/contests$/);
    await noHorizontalScroll(page);
    const city = page.getByRole('article').filter({ hasText: 'в городе Смоленске' });
    await expect(city.textContent()).resolves.toContain('Заявок подано: 3; черновиков: 1');
    await city.getByRole('link', { name: 'Заявки', exact: true }).click();
    await page.waitForURL(/\/applications$/);
    // The list shows the draft too (issue 13, item 5): three submitted and one draft.
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Найдено заявок: 4');
    await expect(page.getByText('Черновик', { exact: false }).first().isVisible()).resolves.toBe(true);
    const xlsx = await page.getByRole('link', { name: 'Выгрузить в Excel (XLSX)' }).getAttribute('href');
    expect(xlsx).toMatch(/\/api\/contests\/[0-9a-f-]{36}\/applications\/export\?format=xlsx$/);
    const exported = await context.request.get(`${server.url}${xlsx}`);
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toContain('spreadsheetml');

    await page.getByLabel('Статус').selectOption('submitted');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/status=submitted/);
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Найдено заявок: 2');
    await noHorizontalScroll(page);

    await page.getByRole('link', { name: /^ТОС-\d{4}-001$/ }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('img', { name: /Предпросмотр/ }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect(page.locator('#decision-comment-error').textContent()).resolves.toBe(
      'Напишите комментарий для заявителя.',
    );
    await expect(page.getByLabel('Комментарий для заявителя').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Комментарий для заявителя').fill('Добавьте фото после благоустройства.');
    await page.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Решение сохранено' }).textContent()).resolves.toContain(
      'Решение сохранено',
    );
    await expect(page.locator('.status-line').textContent()).resolves.toContain('Возвращена на доработку');
    await expect(page.locator('.history').textContent()).resolves.toContain('Добавьте фото после благоустройства.');
    await noHorizontalScroll(page);

    await page.getByRole('link', { name: 'Почта' }).click();
    await page.waitForURL(/\/admin\/outbox/);
    const mail = page.getByRole('article').filter({ hasText: 'возвращена на доработку' }).first();
    await expect(mail.textContent()).resolves.toContain('petrova.tos@demo.konkurs.local');
    await expect(mail.textContent()).resolves.toContain('Добавьте фото после благоустройства.');
    await noHorizontalScroll(page);
    await context.close();
  });

  it('creates a contest, adds a choice field to its form without code, and finds it on the public page', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');

    await page.goto(`${server.url}/admin/contests/new`);
    await page.getByLabel('Название конкурса').fill('Лучший двор Смоленска');
    await page.getByLabel('Адрес страницы').fill('luchshiy-dvor');
    await page.getByLabel('Положение о конкурсе').fill('## Условия\n\nУчаствуют дворы города.');
    await page.getByLabel('Начало приёма заявок').fill('2026-01-10T09:00');
    // A close before the open is refused at its field, and what was typed stays.
    await page.getByLabel('Окончание приёма заявок').fill('2026-01-01T18:00');
    await page.getByLabel('Окончание работы жюри').fill('2036-02-01T18:00');
    await page.getByLabel('Номинация 1').fill('Лучший двор');
    // Blind or open review is a required choice (issue #11, item 3): without it the contest is not created.
    await page.getByRole('button', { name: 'Создать конкурс' }).click();
    await expect(page.locator('#field-juryBlind-error').textContent()).resolves.toContain('«Оценка жюри»');
    await page.getByLabel('Открытая: жюри видит ФИО заявителя').check();
    await page.getByRole('button', { name: 'Создать конкурс' }).click();
    await expect(page.locator('#field-applicationsCloseAt-error').textContent()).resolves.toContain('позже его начала');
    await expect(page.getByLabel('Название конкурса').inputValue()).resolves.toBe('Лучший двор Смоленска');
    await page.getByLabel('Окончание приёма заявок').fill('2036-01-20T18:00');
    await page.getByRole('button', { name: 'Создать конкурс' }).click();
    await page.waitForURL(/\/admin\/contests\/[0-9a-f-]{36}\?created=1/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Конкурс создан');
    await noHorizontalScroll(page);

    await page.getByRole('link', { name: 'Форма заявки' }).first().click();
    await page.waitForURL(/\/form/);
    await expect(page.locator('main').textContent()).resolves.toContain('Версия 1.');
    await page.getByLabel('Тип нового поля').selectOption('choice');
    await page.getByRole('button', { name: 'Добавить поле' }).click();
    const last = page.locator('fieldset.editor-field').last();
    await last.getByLabel('Название').fill('Район города');
    await last.getByLabel('Код поля').fill('district');
    await last.getByLabel('Варианты, по одному в строке').fill('Заднепровский\nЛенинский\nПромышленный');
    await last.getByLabel('Варианты, по одному в строке').blur();
    await last.getByLabel('Обязательное').check();
    await noHorizontalScroll(page);
    await page.getByRole('button', { name: 'Сохранить форму' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Форма сохранена' }).textContent()).resolves.toContain(
      'версия 2',
    );
    await expect(page.locator('fieldset.editor-field').last().getByLabel('Название').inputValue()).resolves.toBe(
      'Район города',
    );

    const form = await (await context.request.get(`${server.url}/api/contests/by-slug/luchshiy-dvor`)).json();
    const saved = await (await context.request.get(`${server.url}/api/contests/${form.contest.id}/form`)).json();
    expect(saved.form.fields.at(-1)).toEqual({
      key: 'district',
      kind: 'choice',
      label: 'Район города',
      required: true,
      personal: false,
      options: ['Заднепровский', 'Ленинский', 'Промышленный'],
    });
    expect(form.contest.applicationsOpenAt).toBe('2026-01-10T06:00:00.000Z');

    await page.goto(`${server.url}/contests/luchshiy-dvor`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Лучший двор Смоленска');
    await expect(page.locator('.rules').textContent()).resolves.toContain('Участвуют дворы города.');
    await expect(page.locator('main').textContent()).resolves.toContain('10.01.2026 09:00 (МСК)');
    await context.close();
  });
});
