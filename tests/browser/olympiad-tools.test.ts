import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { noHorizontalScroll, phoneContext, settled, signIn, withPlatform } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

describe('the olympiad results page', () => {
  it('groups a per-grade rating by grade, says the threshold limit in per cent and asks before publishing', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await page.getByRole('link', { name: 'Страница олимпиады' }).click();
    await page.getByRole('link', { name: 'Итоги и награждение' }).click();
    await page.waitForURL(/\/results$/);
    await settled(page);

    // The limit of a value typed in per cent is said in per cent.
    await page.getByLabel(/Порог/).fill('150');
    await page.getByRole('button', { name: 'Пересчитать' }).click();
    await expect.poll(() => page.locator('#rule-threshold-error').textContent()).toContain('не больше 100 %');
    await expect(page.getByLabel(/Порог/).getAttribute('aria-invalid')).resolves.toBe('true');

    // A rating per grade: a table under each grade's heading, each with only that grade's students.
    await page.getByLabel(/Порог/).fill('50');
    await page.getByLabel('Отдельный рейтинг для каждой параллели').check();
    await page.getByRole('button', { name: 'Пересчитать' }).click();
    await page.getByRole('heading', { level: 3, name: '10 класс' }).waitFor();
    await page.getByRole('heading', { level: 3, name: '11 класс' }).waitFor();
    const tables = page.locator('table.stack-table');
    await expect(tables.count()).resolves.toBe(2);
    const classes = async (i: number) => tables.nth(i).locator('td[data-label="Класс"]').allTextContents();
    expect((await classes(0)).every((c) => c.startsWith('10'))).toBe(true);
    expect((await classes(1)).every((c) => c.startsWith('11'))).toBe(true);
    await expect(tables.nth(0).locator('td[data-label="Место"]').first().textContent()).resolves.toBe('1');
    await expect(tables.nth(1).locator('td[data-label="Место"]').first().textContent()).resolves.toBe('1');
    for (const points of await page.locator('td[data-label="Баллы"]').allTextContents())
      expect(points).not.toContain('.');
    await noHorizontalScroll(page);

    // Publication asks first: without the tick nothing happens and the checkbox is named.
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect.poll(() => page.locator('#publish-confirm-error').textContent()).toContain('таблица проверена');
    await page.getByLabel('Я проверил(а) таблицу, итоги можно публиковать').check();
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('ещё идёт');
    await context.close();
  }, 120_000);
});

describe('a student after self-registration', () => {
  it('is shown signed in, has «Мои олимпиады», is led to the olympiad from home, and sees no .invalid address', async () => {
    const organizer = await phoneContext(browser);
    organizer.setDefaultTimeout(30_000);
    const op = await organizer.newPage();
    await signIn(op, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await op.getByRole('link', { name: 'Страница олимпиады' }).click();
    await op.getByRole('link', { name: 'Участники и коды доступа' }).click();
    await op.waitForURL(/\/participants$/);
    await settled(op);
    await op.getByLabel('Разрешить самостоятельную регистрацию').check();
    await op.getByLabel('Школы (по одной в строке)').fill('МБОУ «Гимназия № 1» г. Смоленска');
    await op.getByRole('button', { name: 'Сохранить' }).click();
    await op.getByText('Самостоятельная регистрация включена.').waitFor();
    const registerUrl = await op.getByRole('link', { name: /\/register$/ }).getAttribute('href');
    await organizer.close();

    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${server.url}${registerUrl}`);
    await settled(page);
    await page.getByLabel('Фамилия участника').fill('Орлова');
    await page.getByLabel(/^Имя/).fill('Вера');
    await page.getByLabel('Школа').selectOption('МБОУ «Гимназия № 1» г. Смоленска');
    await page.getByLabel('Класс (параллель)').selectOption('10');
    await page.getByLabel('ФИО родителя или законного представителя').fill('Орлов Пётр Ильич');
    await page.getByLabel('Я, родитель (законный представитель), даю это согласие').check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.getByRole('heading', { name: 'Вы зарегистрированы, Орлова Вера' }).waitFor();

    // The header, on the very page that shows the code, names the student.
    const menu = page.getByRole('navigation', { name: 'Основное меню' });
    await expect(menu.textContent()).resolves.toContain('Орлова Вера');
    await expect(menu.getByRole('link', { name: 'Войти' }).count()).resolves.toBe(0);
    await expect(menu.getByRole('link', { name: 'Регистрация' }).count()).resolves.toBe(0);
    await expect(menu.getByRole('link', { name: 'Мои заявки' }).count()).resolves.toBe(0);
    await expect(menu.getByRole('link', { name: 'Мои олимпиады' }).count()).resolves.toBe(1);

    // The home page leads to the olympiad; «Мои олимпиады» with one olympiad opens it.
    await page.goto(`${server.url}/`);
    const mine = page.getByRole('region', { name: 'Мои олимпиады' });
    await mine.getByRole('link', { name: 'Олимпиада по основам местного самоуправления', exact: true }).click();
    await page.getByRole('button', { name: 'Начать работу' }).waitFor();
    await menu.getByRole('link', { name: 'Мои олимпиады' }).click();
    await page.waitForURL(/\/olympiads\/[0-9a-f-]+$/);
    await noHorizontalScroll(page);

    // The profile shows no internal address.
    await menu.getByRole('link', { name: 'Профиль' }).click();
    await page.waitForURL(/\/account$/);
    const main = await page.locator('main').textContent();
    expect(main).not.toContain('.invalid');
    expect(main).toContain('вход по коду доступа');
    await context.close();
  }, 120_000);
});

describe('a key correction from the task page', () => {
  it('voids a task with a reason and shows whose totals changed, before and after', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await page.getByRole('link', { name: 'Страница олимпиады' }).click();
    await page.getByRole('link', { name: 'Задания и ключи' }).click();
    await page.waitForURL(/\/tasks$/);
    await settled(page);
    const task = page.locator('.task-list > li').nth(12);
    await task.getByText('Исправить ключ или аннулировать (после начала)').click();
    // Without a reason the field is named.
    await task.getByLabel('Аннулировать: всем полные баллы').check();
    await task.getByRole('button', { name: 'Пересчитать все работы' }).click();
    const again = page.locator('.task-list > li').nth(12);
    await expect.poll(() => again.locator('.error').first().textContent()).toContain('Причина');
    await again.getByLabel('Аннулировать: всем полные баллы').check();
    await again.getByLabel(/^Причина/).fill('В условии две верные трактовки');
    await again.getByRole('button', { name: 'Пересчитать все работы' }).click();
    const done = page.locator('.task-list > li').nth(12).getByRole('status');
    await expect.poll(() => done.textContent()).toContain('Задание 13: работы пересчитаны');
    // The demo students who had not answered task 13 right gain its point.
    const changed = await done.textContent();
    for (const name of ['Громов Илья Павлович', 'Жукова Полина Андреевна', 'Кузнецов Матвей Олегович'])
      expect(changed).toContain(name);
    expect(changed).not.toContain('Алексеева');
    await page.getByRole('heading', { name: 'Исправления после начала' }).waitFor();
    await noHorizontalScroll(page);
    await context.close();
  }, 120_000);
});

describe('«показ работ» for the organizer', () => {
  it("opens one student's whole work from the results table and sets whether students see the keys", async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Страница олимпиады' }).click();
    await page.getByRole('link', { name: 'Итоги и награждение' }).click();
    await page.waitForURL(/\/results$/);
    await settled(page);
    await page.getByLabel('Показывать участникам верные ответы и критерии оценивания').check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').filter({ hasText: 'Участники увидят верные ответы' }).waitFor();
    await expect(
      page.getByLabel('Показывать участникам верные ответы и критерии оценивания').isChecked(),
    ).resolves.toBe(true);

    await page.getByRole('link', { name: 'Алексеева Дарья Игоревна' }).click();
    await page.waitForURL(/\/work\/[0-9a-f-]+$/);
    await page.getByRole('heading', { level: 1, name: 'Работа участника: Алексеева Дарья Игоревна' }).waitFor();
    const main = await page.locator('main').textContent();
    expect(main).toContain('Шифр 2041-КР');
    expect(main).toContain('Федеральный закон от 06.10.2003 № 131-ФЗ');
    expect(main).toContain('Верный ответ:');
    expect(main).toContain('Шаги создания ТОС');
    await expect(page.locator('.task-list > li').count()).resolves.toBe(20);
    await noHorizontalScroll(page);
    await context.close();
  }, 120_000);
});

describe('task import errors', () => {
  it('a failed import names the task at fault, counted from 1', async () => {
    const context = await phoneContext(browser);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await signIn(page, server.url, 'organizer@demo.konkurs.local', 'organizer-demo-1');
    await page.getByRole('link', { name: 'Страница олимпиады' }).click();
    await page.getByRole('link', { name: 'Задания и ключи' }).click();
    await page.waitForURL(/\/tasks$/);
    await settled(page);
    const task = {
      kind: 'single',
      prompt: 'Дата?',
      points: 1,
      options: [
        { id: 'a', text: '1' },
        { id: 'b', text: '2' },
      ],
      key: { correct: 'a' },
    };
    const { prompt: _prompt, ...withoutPrompt } = task;
    await page.getByLabel('Файл с заданиями (.json)').setInputFiles({
      name: 'tasks.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ format: 'konkurs-olympiad-tasks', version: 1, tasks: [task, withoutPrompt] }),
      ),
    });
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await expect.poll(() => page.locator('#tasks-file-error').textContent()).toMatch(/Задание 2: .*Условие/);
    await context.close();
  }, 120_000);
});
