import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_OLYMPIAD_STUDENTS } from '@konkurs/db';
import { noHorizontalScroll, phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('blind grading on a phone', () => {
  it('the demo juror grades one answer at a time by шифр and never sees a name; the organizer sees the graders', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'juror@demo.konkurs.local', 'juror-demo-1');
    await page.getByRole('link', { name: 'Проверка олимпиад' }).click();
    await page.waitForURL(/\/grading$/);
    await page.getByRole('link', { name: 'Олимпиада по основам местного самоуправления' }).click();
    await page.waitForURL(/\/grading\/olympiads\//);
    await page.waitForLoadState('networkidle');
    await noHorizontalScroll(page);
    const heading = page.getByRole('heading', { level: 2, name: /^Ответ для проверки: шифр/ });
    const first = await heading.textContent();
    for (const s of DEMO_OLYMPIAD_STUDENTS) expect(await page.content()).not.toContain(s.last);

    // Points per criterion (the demo cases have four); a wrong number names its field; nothing is saved.
    const criteria = page.getByRole('group', { name: /Баллы по критериям/ }).getByRole('textbox');
    await expect(criteria.count()).resolves.toBe(4);
    await criteria.nth(0).fill('много');
    await page.getByRole('button', { name: 'Сохранить оценку' }).click();
    await expect.poll(() => page.locator('.error').first().textContent()).toContain('Укажите баллы числом');
    await expect(criteria.nth(0).getAttribute('aria-invalid')).resolves.toBe('true');
    for (const [i, points] of ['3', '2,5', '1', '1'].entries()) await criteria.nth(i).fill(points);
    await page.getByText('Сумма: 7,5 из 10').waitFor();
    await page.getByLabel('Комментарий (по желанию)').fill('Шаги названы верно.');
    await page.getByRole('button', { name: 'Сохранить оценку' }).click();
    await page.getByRole('status').filter({ hasText: 'Ответ ждёт второго проверяющего' }).waitFor();
    // The next answer comes up; mine is listed with its points.
    expect(await heading.textContent()).not.toBe(first);
    await expect.poll(() => page.getByText(/7,5 из 10 — ждёт второй оценки/).count()).toBe(1);
    await noHorizontalScroll(page);
    await context.close();

    const organizer = await phoneContext(browser);
    organizer.setDefaultTimeout(30_000);
    const op = await organizer.newPage();
    await signIn(op, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await op.getByRole('link', { name: 'Страница олимпиады' }).click();
    await op.getByRole('link', { name: 'Проверяющие открытых ответов' }).click();
    await op.waitForURL(/\/graders$/);
    await op.getByText('Белова Елена Николаевна', { exact: true }).waitFor();
    await noHorizontalScroll(op);
    await organizer.close();
  });

  it("the organizer opens self-registration; a student signs up on a phone with a guardian's consent and sees the access code once", async () => {
    const organizer = await phoneContext(browser);
    organizer.setDefaultTimeout(30_000);
    const op = await organizer.newPage();
    await signIn(op, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await op.getByRole('link', { name: 'Страница олимпиады' }).click();
    await op.getByRole('link', { name: 'Участники и коды доступа' }).click();
    await op.waitForURL(/\/participants$/);
    await op.waitForLoadState('networkidle');
    await op.getByLabel('Разрешить самостоятельную регистрацию').check();
    await op
      .getByLabel('Школы (по одной в строке)')
      .fill('МБОУ «Средняя школа № 27» г. Смоленска\nМБОУ «Гимназия № 1» г. Смоленска');
    await op.getByRole('button', { name: 'Сохранить' }).click();
    await op.getByText('Самостоятельная регистрация включена.').waitFor();
    const registerUrl = await op.getByRole('link', { name: /\/register$/ }).getAttribute('href');
    await organizer.close();

    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${server.url}${registerUrl}`);
    await page.waitForLoadState('networkidle');
    await noHorizontalScroll(page);
    await page.getByLabel('Фамилия участника').fill('Смирнова');
    await page.getByLabel(/^Имя/).fill('Ольга');
    await page.getByLabel('Школа').selectOption('МБОУ «Гимназия № 1» г. Смоленска');
    await page.getByLabel('Класс (параллель)').selectOption('11');
    await page.getByLabel('ФИО родителя или законного представителя').fill('Смирнов Игорь Петрович');
    // Without the consent the checkbox is named as the fault.
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page
      .getByText('Без согласия родителя (законного представителя) зарегистрироваться нельзя.')
      .first()
      .waitFor();
    await page.getByLabel('Я, родитель (законный представитель), даю это согласие').check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.getByRole('heading', { name: 'Вы зарегистрированы, Смирнова Ольга' }).waitFor();
    expect(await page.locator('.access-code code').textContent()).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await noHorizontalScroll(page);
    await page.getByRole('link', { name: 'Перейти к олимпиаде' }).click();
    await page.getByRole('button', { name: 'Начать работу' }).waitFor();
    await context.close();
  });
});
