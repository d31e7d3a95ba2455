import { afterAll, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startPlatform, type RunningServer } from './server-process.ts';

/** Debian's Chromium (installed by .ci/run with apt-get), driven by playwright-core: no browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The machine has no network but loopback: keep Chromium from trying to reach its own services.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized screen. */
export const PHONE = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'ru-RU',
  timezoneId: 'Europe/Moscow',
};

/** A new phone-sized context whose steps fail within 10 s, so that a failing step is named rather than the whole test timing out. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext(PHONE);
  context.setDefaultTimeout(10_000);
  return context;
}

/** The page fits the screen's width: nothing makes a phone scroll sideways. */
export async function noHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

/**
 * Waits until the page's scripts have loaded and run: on a busy machine SvelteKit may hydrate after the load
 * event. The root layout marks the page `<html data-started>` once it has (web/src/lib/early-typing.ts).
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('html[data-started]').waitFor({ state: 'attached' });
}

/** Signs in on the sign-in page and waits for the page it leads to: `next`, or the home page. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string, next = '/'): Promise<void> {
  await page.goto(next === '/' ? `${baseUrl}/login` : `${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await settled(page);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => url.pathname === next);
}

/**
 * The usual start of a browser test file: the platform with demo data (startPlatform) and Chromium, stopped after
 * the file. `ready` receives both once they run: `withPlatform((p) => ({ server, browser } = p));`.
 */
export function withPlatform(ready: (platform: { server: RunningServer; browser: Browser }) => unknown): void {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startPlatform();
    browser = await launchBrowser();
    await ready({ server, browser });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}
