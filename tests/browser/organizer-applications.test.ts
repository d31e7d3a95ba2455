import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phoneContext } from '../helpers/browser.ts';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import { startServer, type RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (process.env.TEST_DATABASE_URL) {
    const created = await createTestDatabaseUrl();
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  server = await startServer({ databaseUrl });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dropDatabase?.();
});

async function noHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe('the organizer side of J1 on a phone', () => {
  it('filters the demo applications, returns one with a comment, and reads the mail in the outbox', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Электронная почта').fill('organizer@demo.konkurs.local');
    await page.getByLabel('Пароль').fill('organizer-demo-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${server.url}/`);

    await page.getByRole('link', { name: 'Конкурсы', exact: true }).click();
    await page.waitForURL(/\/admin\/contests$/);
    await noHorizontalScroll(page);
    const city = page.getByRole('article').filter({ hasText: 'в городе Смоленске' });
    await expect(city.textContent()).resolves.toContain('Заявок подано: 3; черновиков: 1');
    await city.getByRole('link', { name: 'Заявки', exact: true }).click();
    await page.waitForURL(/\/applications$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Найдено заявок: 3');
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
    await expect(page.locator('#decision-comment-error').textContent()).resolves.toBe('Напишите комментарий для заявителя.');
    await expect(page.getByLabel('Комментарий для заявителя').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Комментарий для заявителя').fill('Добавьте фото после благоустройства.');
    await page.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Решение сохранено' }).textContent()).resolves.toContain('Решение сохранено');
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
});
