import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, settled, withPlatform } from '../helpers/browser.ts';
import {
  allSaved,
  openTask,
  organizerContext,
  phone,
  shortOlympiad,
  startAttempt,
} from '../helpers/olympiad-browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('answers that arrive after the time', () => {
  it('offline answers arriving after the grace are named on the closed screen as late; the organizer accepts one', async () => {
    const org = await organizerContext(browser, server.url);
    const olympiad = await shortOlympiad(org.request, server.url, { graceSeconds: 3 });
    const [student] = olympiad.students;
    const context = await phone(browser);
    const page = await context.newPage();
    await olympiad.endIn(40_000);
    const attemptId = await startAttempt(page, server.url, olympiad.id, student.accessCode);

    // Task 1 in time, online.
    await page.getByRole('radio', { name: '21 апреля' }).check();
    await allSaved(page);
    // Tasks 3, 4 and 7 offline, before the deadline.
    await context.setOffline(true);
    await openTask(page, 3);
    await page.getByLabel('Ваш ответ').fill('территориальное общественное самоуправление');
    await openTask(page, 4);
    await page.getByLabel('Ваш ответ (число)').fill('131');
    await openTask(page, 7);
    await page.getByLabel('Ваш ответ').fill('Создать ТОС');
    await page
      .getByTestId('save-status')
      .getByText(/Нет связи с сервером/)
      .waitFor();

    // The time runs out while offline: the page says which answers have not arrived, and never «saved».
    const screen = page.getByTestId('closed-screen');
    await screen.waitFor({ timeout: 60_000 });
    await expect(screen.textContent()).resolves.toContain('Ещё не дошли до сервера ответы на задания: 3, 4, 7.');
    expect(await screen.textContent()).not.toContain('Все ответы, которые вы дали, сохранены');
    expect(await screen.textContent()).not.toContain('Ответы сохранены и переданы на проверку');
    await noHorizontalScroll(page);
    // Back online after the grace: they are stored as late, and the screen says so and what happens to them.
    await page.waitForTimeout(5000);
    await context.setOffline(false);
    await screen.getByText('Ответы на задания 3, 4, 7 пришли на сервер после окончания времени').waitFor();
    const text = await screen.textContent();
    expect(text).toContain('сохранены как опоздавшие');
    expect(text).toContain('решение о них примет организатор');
    expect(text).not.toContain('Ещё не дошли');
    const view = await (await context.request.get(`${server.url}/api/attempts/${attemptId}`)).json();
    expect(Object.keys(view.answers)).toHaveLength(1);
    expect(view.lateAnswers).toHaveLength(3);

    // The organizer finds them on the participant's card and accepts one with a reason.
    const orgPage = await org.newPage();
    await orgPage.goto(`${server.url}/olympiads/${olympiad.id}/participants`);
    await orgPage.getByRole('link', { name: student.fullName }).click();
    await orgPage.getByRole('heading', { name: 'Опоздавшие ответы (3)' }).waitFor();
    await settled(orgPage);
    await expect(orgPage.getByTestId('auto-score').textContent()).resolves.toBe('1');
    await orgPage.getByRole('button', { name: 'Засчитать ответ на задание 4' }).click();
    // Without a reason: refused at the field, which gets the focus.
    const reason = orgPage.locator(`#reason-${view.tasks[3].id}`);
    await orgPage.locator(`#reason-error-${view.tasks[3].id}`).waitFor();
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await reason.fill('Пропала связь в классе');
    await orgPage.getByRole('button', { name: 'Засчитать ответ на задание 4' }).click();
    await orgPage.getByRole('status').getByText('Опоздавший ответ на задание 4 засчитан').waitFor();
    await expect(orgPage.getByTestId('auto-score').textContent()).resolves.toBe('2');
    await expect(orgPage.locator('main').textContent()).resolves.toContain('Причина: Пропала связь в классе');
    await noHorizontalScroll(orgPage);
    await context.close();
    await org.close();
  }, 150_000);
});

describe('one student on two phones', () => {
  it('the answer given last wins whichever phone gave it; an overtaken phone shows the stored answer and says so', async () => {
    const org = await organizerContext(browser, server.url);
    const olympiad = await shortOlympiad(org.request, server.url);
    const [student] = olympiad.students;
    const phoneA = await phone(browser);
    const a = await phoneA.newPage();
    const attemptId = await startAttempt(a, server.url, olympiad.id, student.accessCode);
    await openTask(a, 3);
    await a.getByLabel('Ваш ответ').fill('первый ответ');
    await allSaved(a);
    /** The answer of task 3 the database keeps. */
    const stored = async () => {
      const view = await (await phoneA.request.get(`${server.url}/api/attempts/${attemptId}`)).json();
      return view.answers[view.tasks[2].id]?.answer;
    };

    // Phone B opens the work too and changes the answer; phone A keeps its old copy of the page. B is a slow phone: its
    // page starts 3 s after the server rendered it, so the render time alone would set its clock 3 s late and make
    // each of its answers look older than one given on A just before.
    const phoneB = await phone(browser);
    await phoneB.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    const b = await phoneB.newPage();
    await startAttempt(b, server.url, olympiad.id, student.accessCode);
    await openTask(b, 3);
    await b.getByLabel('Ваш ответ').fill('ответ с телефона Б');
    await allSaved(b);
    // Then A changes it again: that is the last answer given, and it is what the database keeps.
    await a.getByLabel('Ваш ответ').fill('ответ с телефона А');
    await allSaved(a);
    expect(await stored()).toEqual({ text: 'ответ с телефона А' });

    // A answers offline; B answers later, online; when A's older answer arrives, B's stays and A shows it.
    await phoneA.setOffline(true);
    await a.getByLabel('Ваш ответ').fill('офлайн на А');
    await a
      .getByTestId('save-status')
      .getByText(/Нет связи с сервером/)
      .waitFor();
    await b.getByLabel('Ваш ответ').fill('позже на Б');
    await allSaved(b);
    await phoneA.setOffline(false);
    await a.getByTestId('changed-elsewhere').getByText('изменён на другом устройстве').waitFor();
    await expect(a.getByLabel('Ваш ответ').inputValue()).resolves.toBe('позже на Б');
    await allSaved(a);
    expect(await stored()).toEqual({ text: 'позже на Б' });
    await noHorizontalScroll(a);
    await phoneA.close();
    await phoneB.close();
    await org.close();
  }, 150_000);
});
