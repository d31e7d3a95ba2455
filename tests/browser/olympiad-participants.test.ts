import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_ACCESS_CODE } from '@konkurs/db';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('the organizer tidies the roster on a phone', () => {
  it('removes a participant who has not started and voids a finished attempt with a reason', async () => {
    // The demo student takes the olympiad and finishes (through the API, as the attempt page would).
    const signedIn = await fetch(`${server.url}/api/auth/access-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: DEMO_ACCESS_CODE }),
    });
    expect(signedIn.status).toBe(200);
    const studentCookie = signedIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('konkurs_session='))!
      .split(';')[0];
    const { olympiadId } = await signedIn.json();
    const begun = await fetch(`${server.url}/api/olympiads/${olympiadId}/attempt`, {
      method: 'POST',
      headers: { cookie: studentCookie },
    });
    const attemptId = (await begun.json()).attempt.id;
    expect(
      (
        await fetch(`${server.url}/api/attempts/${attemptId}/finish`, {
          method: 'POST',
          headers: { cookie: studentCookie },
        })
      ).status,
    ).toBe(200);

    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(
      page,
      server.url,
      'organizer@demo.konkurs.local',
      'organizer-demo-1',
      `/olympiads/${olympiadId}/participants`,
    );
    await settled(page);
    await page.getByLabel('Файл со списком').setInputFiles({
      name: 'one.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ФИО;Школа;Класс\nЛишняя Ольга Петровна;МБОУ «СШ № 7»;10А\n'),
    });
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'Результат загрузки' }).waitFor();
    await noHorizontalScroll(page);

    await page.getByRole('button', { name: 'Удалить из списка: Лишняя Ольга Петровна' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Лишняя Ольга Петровна удалён(а) из списка участников.',
    );
    await expect(page.getByRole('row', { name: /Лишняя Ольга Петровна/ }).count()).resolves.toBe(0);

    // The finished attempt: no removal, but voiding, which needs a reason.
    const row = page.getByRole('row', { name: /1001-АБ/ });
    await expect(row.getByRole('button', { name: /^Удалить из списка/ }).count()).resolves.toBe(0);
    await row.getByText('Аннулировать работу', { exact: true }).click();
    await row.getByRole('button', { name: /^Аннулировать работу:/ }).click();
    const reason = page.getByRole('row', { name: /1001-АБ/ }).getByLabel(/Причина/);
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await reason.fill('Повторная регистрация');
    await page
      .getByRole('row', { name: /1001-АБ/ })
      .getByRole('button', { name: /^Аннулировать работу:/ })
      .click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'аннулирована: она не учитывается в итогах',
    );
    await expect(page.getByRole('row', { name: /1001-АБ/ }).textContent()).resolves.toContain(
      'Причина: Повторная регистрация',
    );
    await noHorizontalScroll(page);
    await context.close();
  });
});
