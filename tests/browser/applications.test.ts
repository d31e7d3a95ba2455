import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { solidPng, smallPdf } from '../../db/src/seed/demo-applications.ts';
import { noHorizontalScroll, phoneContext, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

const CITY =
  'Лучший председатель ТОС, лучшая общественная инициатива в решении вопросов местного значения в городе Смоленске';
const NOMINATION = 'Лучший председатель территориального общественного самоуправления';

describe('J1: the applicant on a phone, against the single production process with demo data', () => {
  it('registers, fills the form, attaches a photo and a PDF, saves, reloads, finds everything, submits and sees the number', async () => {
    const context = await phoneContext(browser);
    // Registration hashes a password and submission writes several tables: allow for a busy two-core machine.
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();

    await page.goto(`${server.url}/register`);
    await page.getByLabel('Фамилия').fill('Орлова');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Светлана');
    await page.getByLabel('Отчество').fill('Юрьевна');
    await page.getByLabel('Электронная почта').fill('orlova.tos@example.ru');
    await page.getByLabel('Пароль').fill('надёжный-пароль-1');
    await page.getByLabel(/даю согласие/).check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.waitForURL(/\/account/, { timeout: 30_000 });

    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: CITY }).click();
    await page.waitForURL(/\/contests\//);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(CITY);
    await expect(page.locator('.rules').textContent()).resolves.toContain('Порядок подачи заявок');
    await noHorizontalScroll(page);
    await page.getByRole('button', { name: `Подать заявку в номинации «${NOMINATION}»` }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const applicationUrl = page.url();

    // What is missing is listed before anything is filled in.
    await expect(page.locator('.missing').textContent()).resolves.toContain('Заполните поле «Наименование ТОС»');
    await page.getByLabel('Наименование ТОС').fill('ТОС «Садки»');
    await page.getByLabel('Муниципальное образование').selectOption('город Смоленск');
    await page.getByLabel('Контактный телефон').fill('8 (910) 765-43-21');
    await page
      .getByLabel('Описание деятельности за последний год')
      .fill('Провели конкурс на лучший двор и высадили 40 деревьев.');
    await page.getByLabel('Благоустройство').check();
    await page.getByRole('radio', { name: 'Нет' }).check();
    await page.getByLabel('Дата создания ТОС').fill('2018-09-01');
    await page.getByLabel('Я прочитал(а) текст и даю согласие').check();

    await page
      .getByLabel('Фотографии')
      .setInputFiles({ name: 'двор.png', mimeType: 'image/png', buffer: solidPng(80, 60, [30, 120, 200]) });
    await page.getByText('Файл «двор.png» загружен.').waitFor();
    await page
      .getByLabel('Документы')
      .setInputFiles({ name: 'характеристика.pdf', mimeType: 'application/pdf', buffer: smallPdf('Harakteristika') });
    await page.getByText('Файл «характеристика.pdf» загружен.').waitFor();
    await expect(page.getByRole('img', { name: 'Предпросмотр: двор.png' }).isVisible()).resolves.toBe(true);
    await noHorizontalScroll(page);

    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    await page.waitForLoadState('load');
    await expect(
      page.getByRole('status').filter({ hasText: 'Черновик сохранён.' }).first().textContent(),
    ).resolves.toContain('Черновик сохранён');

    await page.goto(applicationUrl);
    await expect(page.getByLabel('Наименование ТОС').inputValue()).resolves.toBe('ТОС «Садки»');
    await expect(page.getByLabel('Муниципальное образование').inputValue()).resolves.toBe('город Смоленск');
    await expect(page.getByLabel('Контактный телефон').inputValue()).resolves.toBe('+79107654321');
    await expect(page.getByLabel('Описание деятельности за последний год').inputValue()).resolves.toContain(
      '40 деревьев',
    );
    await expect(page.getByLabel('Благоустройство').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Я прочитал(а) текст и даю согласие').isChecked()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'двор.png' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'характеристика.pdf' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('.missing').count()).toBe(0);

    await page.getByRole('button', { name: 'Подать заявку' }).click();
    await page.waitForURL(/submitted=1/);
    const notice = await page.getByRole('status').filter({ hasText: 'Заявка подана' }).textContent();
    expect(notice).toMatch(/Регистрационный номер: ТОС-\d{4}-\d{3}/);
    const number = /ТОС-\d{4}-\d{3}/.exec(notice ?? '')![0];
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Заявка ${number}`);
    await expect(page.locator('.history').textContent()).resolves.toContain('Подана');
    await noHorizontalScroll(page);

    // The list of my applications shows it with its status.
    await page.getByRole('link', { name: 'Мои заявки' }).first().click();
    await expect(page.locator('main').textContent()).resolves.toContain(number);
    await expect(page.locator('main').textContent()).resolves.toContain('Подана');
    await context.close();
  });

  it('shows the autosaved draft after a reload without pressing save', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'applicant@demo.konkurs.local', 'applicant-demo-1');
    await page.goto(`${server.url}/applications`);
    await page.getByRole('link', { name: 'Черновик заявки' }).click();
    await page.getByLabel('Описание деятельности за последний год').fill('Автосохранение: текст набран и не потерян.');
    await page.getByText(/Черновик сохранён в/).waitFor();
    // The server's page already holds the text: nothing waits for the page's script to put it back.
    const html = await (await page.request.get(page.url())).text();
    expect(html).toMatch(/<textarea[^>]*>Автосохранение: текст набран и не потерян\.<\/textarea>/);
    await page.reload();
    await expect(page.getByLabel('Описание деятельности за последний год').inputValue()).resolves.toBe(
      'Автосохранение: текст набран и не потерян.',
    );
    await context.close();
  });
});
