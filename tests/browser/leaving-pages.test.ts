import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import { openTask, organizerContext, phone, shortOlympiad, startAttempt } from '../helpers/olympiad-browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

/** Leaves the page at once (well within the autosave's pause); records the «leave?» question and agrees to leave. */
async function leaveQuickly(page: Page, to: string): Promise<string[]> {
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });
  await page.goto(to);
  return asked;
}

describe('leaving a page right after typing', () => {
  it('the application form: the last typing arrives and leaving asks first', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'applicant@demo.konkurs.local', 'applicant-demo-1');
    await page.goto(`${server.url}/applications`);
    await page.getByRole('link', { name: 'Черновик заявки' }).click();
    await settled(page);
    const draftUrl = page.url();
    await page.getByLabel('Описание деятельности за последний год').fill('Набрано за секунду до ухода со страницы.');
    const asked = await leaveQuickly(page, `${server.url}/applications`);
    expect(asked).toEqual(['beforeunload']);
    await expect
      .poll(async () => (await context.request.get(draftUrl)).text(), { timeout: 10_000 })
      .toMatch(/<textarea[^>]*>Набрано за секунду до ухода со страницы\.<\/textarea>/);
    await context.close();
  });

  it('the olympiad attempt: the answer typed last arrives when the tab is left at once', async () => {
    const org = await organizerContext(browser, server.url);
    const olympiad = await shortOlympiad(org.request, server.url);
    const context = await phone(browser);
    const page = await context.newPage();
    const attemptId = await startAttempt(page, server.url, olympiad.id, olympiad.students[0].accessCode);
    await openTask(page, 7);
    await page.getByLabel('Ваш ответ').fill('Последняя фраза перед уходом');
    const asked = await leaveQuickly(page, `${server.url}/`);
    expect(asked).toEqual(['beforeunload']);
    // Another device (a fresh context without this one's localStorage) reads it from the server.
    await expect
      .poll(
        async () => {
          const view = await (await context.request.get(`${server.url}/api/attempts/${attemptId}`)).json();
          return view.answers[view.tasks[6].id]?.answer;
        },
        { timeout: 10_000 },
      )
      .toEqual({ text: 'Последняя фраза перед уходом' });
    await context.close();
    await org.close();
  }, 120_000);
});
