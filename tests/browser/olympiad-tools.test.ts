import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('the olympiad results page', () => {
  it('groups a per-grade rating by grade, says the threshold limit in per cent and asks before publishing', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await page.getByRole('link', { name: 'Страница олимпиады' }).click();
    await page.getByRole('link', { name: 'Итоги и награждение' }).click();
    await page.waitForURL(/\/results$/);
    await settled(page);

    // The limit of a value typed in per cent is said in per cent.
    await page.getByLabel(/Порог/).fill('150');
    await page.getByRole('button', { name: 'Пересчитать' }).click();
    await expect.poll(() => page.locator('#rule-threshold-error').textContent()).toContain('не больше 100 %');
    await expect(page.getByLabel(/Порог/).getAttribute('aria-invalid')).resolves.toBe('true');

    // A rating per grade: a table under each grade's heading, each with only that grade's students.
    await page.getByLabel(/Порог/).fill('50');
    await page.getByLabel('Отдельный рейтинг для каждой параллели').check();
    await page.getByRole('button', { name: 'Пересчитать' }).click();
    await page.getByRole('heading', { level: 3, name: '10 класс' }).waitFor();
    await page.getByRole('heading', { level: 3, name: '11 класс' }).waitFor();
    const tables = page.locator('table.stack-table');
    await expect(tables.count()).resolves.toBe(2);
    const classes = async (i: number) => tables.nth(i).locator('td[data-label="Класс"]').allTextContents();
    expect((await classes(0)).every((c) => c.startsWith('10'))).toBe(true);
    expect((await classes(1)).every((c) => c.startsWith('11'))).toBe(true);
    await expect(tables.nth(0).locator('td[data-label="Место"]').first().textContent()).resolves.toBe('1');
    await expect(tables.nth(1).locator('td[data-label="Место"]').first().textContent()).resolves.toBe('1');
    for (const points of await page.locator('td[data-label="Баллы"]').allTextContents())
      expect(points).not.toContain('.');
    await noHorizontalScroll(page);

    // Publication asks first: without the tick nothing happens and the checkbox is named.
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect.poll(() => page.locator('#publish-confirm-error').textContent()).toContain('таблица проверена');
    await page.getByLabel('Я проверил(а) таблицу, итоги можно публиковать').check();
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('ещё идёт');
    await context.close();
  }, 120_000);
});
