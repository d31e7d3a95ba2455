import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ACCESS_CODE } from '@konkurs/db';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

/** A phone-sized context whose steps may take 30 s: sign-in hashing and page loads are slow when the machine is busy. */
async function phone() {
  const context = await phoneContext(browser);
  context.setDefaultTimeout(30_000);
  return context;
}

const saveStatus = (page: Page) => page.getByTestId('save-status');
const allSaved = (page: Page) => page.getByTestId('save-status').getByText('Все ответы сохранены.').waitFor();

/** Goes to task n (1-based) through the task navigation. */
async function openTask(page: Page, n: number): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Задания' })
    .getByRole('button', { name: new RegExp(`^Задание ${n}:`) })
    .click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`^Задание ${n} `) }).waitFor();
}

describe('the organizer prepares the olympiad', () => {
  it('loads a roster with a report of refused rows, sees access codes and the task set with keys', async () => {
    const context = await phone();
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await page.getByRole('link', { name: 'Страница олимпиады' }).click();
    await page.getByRole('link', { name: 'Участники и коды доступа' }).click();
    await page.waitForURL(/\/participants$/);
    await settled(page);

    // Submitting without a file names the field.
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await expect(page.getByLabel('Файл со списком').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Файл со списком').setInputFiles({
      name: 'школа-5.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ФИО;Школа;Класс\nСоколова Дарья Игоревна;МБОУ «СШ № 5»;11Б\nБезымянный;МБОУ «СШ № 5»;11Б\n'),
    });
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'Результат загрузки' }).waitFor();
    const report = await page.locator('section[aria-labelledby="report-title"]').textContent();
    expect(report).toContain('Добавлено участников: 1. Не принято строк: 1.');
    expect(report).toContain('фамилию и имя');
    const row = page.getByRole('row', { name: /Соколова Дарья Игоревна/ });
    await expect(row.textContent()).resolves.toMatch(/[A-Z2-9]{5}-[A-Z2-9]{5}/);
    await noHorizontalScroll(page);

    await page.getByRole('link', { name: /← Олимпиада/ }).click();
    await page.getByRole('link', { name: 'Задания и ключи' }).click();
    await page.waitForURL(/\/tasks$/);
    await expect(page.locator('main').textContent()).resolves.toContain('Заданий: 20');
    await expect(page.locator('.task-list > li').count()).resolves.toBe(20);
    const exported = await context.request.get(
      `${server.url}${await page.getByRole('link', { name: /Выгрузить задания/ }).getAttribute('href')}`,
    );
    expect((await exported.json()).tasks).toHaveLength(20);
    await noHorizontalScroll(page);

    // The results page: the award rule with its parameters; a wrong value is named at its field.
    await page.getByRole('link', { name: /← Олимпиада/ }).click();
    await page.getByRole('link', { name: 'Итоги и награждение' }).click();
    await page.waitForURL(/\/results$/);
    await settled(page);
    await expect(page.getByLabel(/Порог/).inputValue()).resolves.toBe('50');
    await expect(page.getByLabel(/Квота/).inputValue()).resolves.toBe('45');
    await page.getByLabel('Число победителей').fill('два');
    await page.getByRole('button', { name: 'Пересчитать' }).click();
    await expect(page.getByLabel('Число победителей').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#rule-winners-error').textContent()).resolves.toContain('целым числом');
    await page.getByLabel('Я проверил(а) таблицу, итоги можно публиковать').check();
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('ещё идёт');
    await noHorizontalScroll(page);
    await context.close();
    // A whole journey in a real browser: far longer than one API test, more so on a busy machine.
  }, 120_000);
});

describe('J3: the student takes the olympiad in Chromium, against the single production process', () => {
  it('signs in with an access code, answers, reloads, answers offline, comes back online and finishes', async () => {
    const context = await phone();
    const page = await context.newPage();

    // Sign in with the code as a student would type it: lower case, without the dash.
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Войдите по коду доступа' }).click();
    await page.waitForURL(/\/code$/);
    await settled(page);
    await page.getByLabel('Код доступа').fill('demka-wrong');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('10 латинских букв и цифр');
    await expect(page.getByLabel('Код доступа').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Код доступа').fill(DEMO_ACCESS_CODE.toLowerCase().replace('-', ''));
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/olympiads\/[0-9a-f-]+$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Олимпиада по основам местного самоуправления',
    );
    await expect(page.locator('header').textContent()).resolves.toContain('Петров Никита Алексеевич');
    await noHorizontalScroll(page);

    await page.getByRole('button', { name: 'Начать работу' }).click();
    await page.waitForURL(/\/attempt$/);
    await settled(page);
    await expect(page.getByRole('timer').textContent()).resolves.toMatch(/Осталось: \d{2}:\d{2}:\d{2}/);
    const timer = await page.getByRole('timer').textContent();
    expect(timer).toMatch(/01:(29|30):\d{2}|01:2\d:\d{2}/);

    // Task 1 (the demo set in order): a single choice. Its options may be shuffled, so choose by text.
    await page.getByRole('radio', { name: 'Федеральный закон от 06.10.2003 № 131-ФЗ' }).check();
    await allSaved(page);
    // Task 8: short text.
    await openTask(page, 8);
    await page.getByLabel('Ваш ответ').fill('территориальное общественное самоуправление');
    await allSaved(page);
    await noHorizontalScroll(page);

    // A matching task with long texts still fits a phone.
    await openTask(page, 15);
    await noHorizontalScroll(page);

    // A reload keeps every answer.
    await page.reload();
    await settled(page);
    await expect(
      page.getByRole('radio', { name: 'Федеральный закон от 06.10.2003 № 131-ФЗ' }).isChecked(),
    ).resolves.toBe(true);
    await openTask(page, 8);
    await expect(page.getByLabel('Ваш ответ').inputValue()).resolves.toBe(
      'территориальное общественное самоуправление',
    );

    // Offline: the answer stays on the device and the page says it is not saved yet.
    await context.setOffline(true);
    await openTask(page, 12);
    await page.getByLabel('Ваш ответ (число)').fill('131');
    await expect(saveStatus(page).textContent()).resolves.toBeTruthy();
    await page
      .getByTestId('save-status')
      .getByText(/Нет связи с сервером/)
      .waitFor();
    const queued = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('konkurs-attempt-'))
        .map((k) => localStorage.getItem(k)),
    );
    expect(queued.join('')).toContain('131');
    await expect(page.getByRole('button', { name: /^Задание 12: есть ответ, не сохранено/ }).count()).resolves.toBe(1);

    // Back online: it is sent and shown as saved.
    await context.setOffline(false);
    await allSaved(page);
    await expect(page.getByRole('button', { name: /^Задание 12: есть ответ$/ }).count()).resolves.toBe(1);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('konkurs-attempt-')).length),
    ).toBe(0);

    // A second device (a new browser context) signs in with the same code and continues the same attempt.
    const other = await phone();
    const second = await other.newPage();
    await second.goto(`${server.url}/code`);
    await settled(second);
    await second.getByLabel('Код доступа').fill(DEMO_ACCESS_CODE);
    await second.getByRole('button', { name: 'Войти' }).click();
    await second.getByRole('link', { name: 'Продолжить работу' }).click();
    await second.waitForURL(/\/attempt$/);
    await settled(second);
    await openTask(second, 12);
    await expect(second.getByLabel('Ваш ответ (число)').inputValue()).resolves.toBe('131');
    await other.close();

    // The overview names the unanswered tasks; finishing asks first.
    await expect(page.locator('.overview').textContent()).resolves.toContain(`Без ответа: 17 из 20`);
    await page.getByRole('button', { name: 'Завершить работу' }).click();
    await expect(page.getByRole('alertdialog').textContent()).resolves.toContain('Без ответа осталось заданий: 17');
    await page.getByRole('button', { name: 'Да, завершить' }).click();
    await page.getByText('Работа завершена').first().waitFor();
    await noHorizontalScroll(page);

    // The key never reached the browser, and the finished attempt takes no more answers.
    const api = await context.request.get(`${server.url}/api/olympiads/${page.url().split('/')[4]}/my`);
    const my = await api.json();
    expect(my.attempt.closeReason).toBe('finished');
    const view = await (await context.request.get(`${server.url}/api/attempts/${my.attempt.id}`)).text();
    expect(view).not.toMatch(/"key"|"correct"|"accepted"|"guidance"/);
    await context.close();
    // A whole journey in a real browser: far longer than one API test, more so on a busy machine.
  }, 120_000);
});
