import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { noHorizontalScroll, settled, withPlatform } from '../helpers/browser.ts';
import { allSaved, organizerContext, phone, shortOlympiad, startAttempt } from '../helpers/olympiad-browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

/** Counts the changes of the time's live region from now on (a region that changes every second is announced every second). */
const watchNotice = (page: Page) =>
  page.evaluate(() => {
    const region = document.querySelector('[data-testid="time-notice"]')!;
    const w = window as unknown as { noticeChanges: number };
    w.noticeChanges = 0;
    new MutationObserver(() => (w.noticeChanges += 1)).observe(region, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
const noticeChanges = (page: Page) =>
  page.evaluate(() => (window as unknown as { noticeChanges: number }).noticeChanges);

describe('the time running out and an individual extension', () => {
  it('a student with little time left is warned once per step; the organizer extends; the open page shows the new time and says so', async () => {
    const org = await organizerContext(browser, server.url);
    const olympiad = await shortOlympiad(org.request, server.url);
    const [student] = olympiad.students;
    // The work ends with the window, in 80 s: the page opens with less than 5 minutes left.
    await olympiad.endIn(80_000);
    const context = await phone(browser);
    const page = await context.newPage();
    await startAttempt(page, server.url, olympiad.id, student.accessCode);

    const notice = page.getByTestId('time-notice');
    await expect(notice.getAttribute('aria-live')).resolves.toBe('assertive');
    // The ticking clock is not a live region.
    await expect(page.getByRole('timer').getAttribute('aria-live')).resolves.toBe('off');
    // Only the warning that applies: less than 5 minutes, not yet the last minute.
    await notice.getByText('Осталось меньше 5 минут.').waitFor();
    expect(await notice.textContent()).not.toContain('меньше минуты');
    // Said once: the region does not change while the clock ticks.
    await watchNotice(page);
    await page.waitForTimeout(2500);
    expect(await noticeChanges(page)).toBe(0);
    await noHorizontalScroll(page);

    // The last minute: the warning changes once.
    await notice.getByText('Осталось меньше минуты.').waitFor({ timeout: 60_000 });
    expect(await noticeChanges(page)).toBeGreaterThan(0);
    expect(await notice.textContent()).not.toContain('меньше 5 минут');
    await noHorizontalScroll(page);

    // The organizer gives 5 more minutes on the participant's card; without a reason it is refused at the field.
    const orgPage = await org.newPage();
    await orgPage.goto(`${server.url}/olympiads/${olympiad.id}/participants/${student.participantId}`);
    await settled(orgPage);
    await orgPage.getByLabel('Дополнительные минуты (от 1 до 300)').fill('5');
    await orgPage.getByRole('button', { name: 'Продлить время' }).click();
    const reason = orgPage.getByLabel('Причина продления');
    await orgPage.locator('#extend-reason-error').waitFor();
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(orgPage.evaluate(() => document.activeElement?.id)).resolves.toBe('extend-reason');
    await reason.fill('Сбой планшета');
    await orgPage.getByRole('button', { name: 'Продлить время' }).click();
    await orgPage.getByRole('status').getByText('Время продлено на 5 мин').waitFor();
    await expect(orgPage.getByTestId('extensions').textContent()).resolves.toContain('+5 мин');
    await expect(orgPage.getByTestId('extensions').textContent()).resolves.toContain('Причина: Сбой планшета');
    await noHorizontalScroll(orgPage);

    // The student answers: the save's answer brings the new deadline, the page shows the time and says why.
    await page.getByRole('radio', { name: '21 апреля' }).check();
    await allSaved(page);
    await notice.getByText(/^Время продлено на 5 мин: работу нужно завершить до /).waitFor();
    await expect(page.getByRole('timer').textContent()).resolves.toMatch(/00:0[56]:\d\d/);
    await noHorizontalScroll(page);

    // A second extension reaches the page of a student who is not typing, by its own check of the time.
    await orgPage.getByLabel('Дополнительные минуты (от 1 до 300)').fill('10');
    await orgPage.getByLabel('Причина продления').fill('Ещё один сбой');
    await orgPage.getByRole('button', { name: 'Продлить время' }).click();
    await orgPage.getByRole('status').getByText('Время продлено на 10 мин').waitFor();
    await notice.getByText(/^Время продлено на 10 мин/).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('timer').textContent()).resolves.toMatch(/00:1[56]:\d\d/);
    expect(await notice.textContent()).not.toContain('Осталось меньше');
    await context.close();
    await org.close();
  }, 150_000);
});
