import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('certificates in Chromium', () => {
  it('the organizer rewords a diploma template with a signatory, and a wrong placeholder is shown at its field', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1', '/admin/certificates');

    await page.getByLabel('Мероприятие').selectOption({ label: 'Лучший руководитель ТОС Смоленской области' });
    await page.getByRole('button', { name: 'Открыть' }).click();
    await page.waitForURL(/event=contest/);
    await page.locator('summary', { hasText: 'Диплом I степени' }).click();

    const body = page.locator('#place1-body');
    await body.fill('за {мест} место в номинации «{номинация}»');
    await page.locator('#place1-position0').fill('Председатель жюри');
    await page.locator('#place1-name0').fill('А. В. Соколов');
    await page.locator('details[open] button[type=submit]').click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Неизвестная подстановка {мест}');

    await page.locator('summary', { hasText: 'Диплом I степени' }).click();
    await page.locator('#place1-body').fill('за {место} место в номинации «{номинация}»');
    await page.locator('#place1-position0').fill('Председатель жюри');
    await page.locator('#place1-name0').fill('А. В. Соколов');
    await page.locator('details[open] button[type=submit]').click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Шаблон сохранён.');
    await page.locator('summary', { hasText: 'Диплом I степени' }).click();
    await expect(page.locator('#place1-name0').inputValue()).resolves.toBe('А. В. Соколов');
    await context.close();
  });

  it("the organizer fills in the organisation's details once, for every event's default templates", async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1', '/admin/certificates');
    await page.getByLabel('Мероприятие').selectOption({ value: 'organisation' });
    await page.getByRole('button', { name: 'Открыть' }).click();
    await page.waitForURL(/event=organisation/);
    // The demo's details are there; the organisation's templates cover every award kind.
    await expect(page.getByLabel('Город').inputValue()).resolves.toBe('г. Смоленск');
    await expect(page.locator('summary', { hasText: 'Диплом победителя' }).count()).resolves.toBe(1);
    await page.getByLabel('Город').fill('г. Вязьма');
    await page.locator('#org-position2').fill('Секретарь');
    await page.locator('#org-name2').fill('О. Н. Петрова');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Реквизиты организации сохранены.');
    await expect(page.getByLabel('Город').inputValue()).resolves.toBe('г. Вязьма');
    await expect(page.locator('#org-name2').inputValue()).resolves.toBe('О. Н. Петрова');
    await noHorizontalScroll(page);
    // A contest is offered only its own award kinds.
    await page.getByLabel('Мероприятие').selectOption({ label: 'Лучший руководитель ТОС Смоленской области' });
    await page.getByRole('button', { name: 'Открыть' }).click();
    await page.waitForURL(/event=contest/);
    await expect(page.locator('summary', { hasText: 'Диплом победителя' }).count()).resolves.toBe(0);
    await expect(page.locator('summary', { hasText: 'Диплом I степени' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('anyone checking an unknown code is told so', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/verify`);
    await page.getByLabel('Код проверки').fill('abcd-efgh-jkmn-pqrs');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.waitForURL(/\/verify\/abcd/);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Документ с таким кодом не найден');
    await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Документ не найден');
    await context.close();
  });
});
