import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('typing before the page has started, as on a slow phone', () => {
  it('keeps every field typed into while the page script was still loading', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');

    // Hold the page's scripts back until the fields have been typed into, as a slow network would.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**/*.js', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${server.url}/admin/contests/new`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Название конкурса').fill('Двор, набранный заранее');
    await page.getByLabel('Начало приёма заявок').fill('2036-01-10T09:00');
    await page.getByLabel('Окончание приёма заявок').fill('2036-01-20T18:00');
    await expect(page.locator('html[data-started]').count()).resolves.toBe(0);
    release();
    await page.locator('html[data-started]').waitFor({ state: 'attached' });

    await expect(page.getByLabel('Название конкурса').inputValue()).resolves.toBe('Двор, набранный заранее');
    await expect(page.getByLabel('Начало приёма заявок').inputValue()).resolves.toBe('2036-01-10T09:00');
    await expect(page.getByLabel('Окончание приёма заявок').inputValue()).resolves.toBe('2036-01-20T18:00');
    await context.close();
  });
});
