import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

/** A day from now as <input type="datetime-local"> reads it in Moscow time (UTC+3). */
const moscowInput = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
};

describe('the organizer creates and edits an olympiad', () => {
  it('creates it from /admin/contests, is told about an empty title at the field, edits the time limit, finds it on the home page', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1', '/admin/contests');
    await page.getByRole('link', { name: 'Новая олимпиада' }).click();
    await page.waitForURL(/\/admin\/olympiads\/new$/);
    await settled(page);
    await noHorizontalScroll(page);

    // 10 and 11 are ticked for a new olympiad.
    await expect(page.getByRole('checkbox', { name: '10' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: '9' }).isChecked()).resolves.toBe(false);
    await page.getByRole('checkbox', { name: '9' }).check();
    await page.getByLabel(/^Начало олимпиады/).fill(moscowInput(3, 10));
    await page.getByLabel(/^Окончание олимпиады/).fill(moscowInput(3, 16));
    await page.getByLabel(/^Время на работу/).fill('120');
    await page.getByRole('button', { name: 'Создать олимпиаду' }).click();

    // The empty title: the summary and the field's own error; what was typed is kept.
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Заполните поле «Название олимпиады».');
    const title = page.getByLabel(/^Название олимпиады/);
    await expect(title.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(title.getAttribute('aria-describedby')).resolves.toBe('field-title-error');
    await expect(page.locator('#field-title-error').textContent()).resolves.toContain('Заполните поле');
    await expect(page.getByLabel(/^Время на работу/).inputValue()).resolves.toBe('120');
    await expect(page.getByRole('checkbox', { name: '9' }).isChecked()).resolves.toBe(true);
    await noHorizontalScroll(page);

    await settled(page);
    await title.fill('Олимпиада по праву для 9–11 классов');
    await page.getByRole('button', { name: 'Создать олимпиаду' }).click();
    await page.waitForURL(/\/olympiads\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Олимпиада по праву для 9–11 классов',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('120 мин.');

    await page.getByRole('link', { name: 'Основные сведения и сроки' }).click();
    await page.waitForURL(/\/edit$/);
    await settled(page);
    await noHorizontalScroll(page);
    await expect(page.getByLabel(/^Название олимпиады/).inputValue()).resolves.toBe(
      'Олимпиада по праву для 9–11 классов',
    );
    await expect(page.getByLabel(/^Начало олимпиады/).inputValue()).resolves.toBe(moscowInput(3, 10));
    await page.getByLabel(/^Время на работу/).fill('150');
    await page.getByRole('button', { name: 'Сохранить изменения' }).click();
    await page.waitForURL(/\/olympiads\/[0-9a-f-]{36}\?saved=1$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Изменения сохранены.');
    await expect(page.locator('main').textContent()).resolves.toContain('150 мин.');

    await page.goto(`${server.url}/`);
    const card = page.getByRole('article', { name: 'Олимпиада по праву для 9–11 классов' });
    await expect(card.textContent()).resolves.toContain('150 мин.');
    await noHorizontalScroll(page);
    await context.close();
  });
});
