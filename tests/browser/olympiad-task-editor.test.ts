import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { noHorizontalScroll, settled, withPlatform } from '../helpers/browser.ts';
import { ok, organizerContext, phone, shortOlympiad, startAttempt } from '../helpers/olympiad-browser.ts';
import type { RunningServer } from '../helpers/server-process.ts';

let server: RunningServer;
let browser: Browser;

withPlatform((p) => ({ server, browser } = p));

type Task = { id: string; kind: string; prompt: string; points: number; options?: { id: string; text: string }[] };

/** Waits for the message, then for the page's script: what is typed before it runs could be replaced. */
async function status(page: Page, text: string) {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
  await settled(page);
}

describe('the task editor: a teacher builds the task set with forms, no JSON', () => {
  for (const desktop of [false, true]) {
    it(`adds, previews, edits and reorders tasks; a bad value is named at its field (${desktop ? 'desktop' : 'phone'})`, async () => {
      const org = await organizerContext(browser, server.url, desktop);
      const olympiad = await shortOlympiad(org.request, server.url, { tasks: false });
      const page = await org.newPage();
      const fit = async () => {
        if (!desktop) await noHorizontalScroll(page);
      };
      await page.goto(`${server.url}/olympiads/${olympiad.id}/tasks`);
      await settled(page);
      const editor = page.locator('#editor');
      expect(await editor.textContent()).not.toContain('JSON');

      // A multiple-choice task: options, the correct ones marked (one by keyboard), a row added by the script.
      await page.getByLabel('Тип задания').selectOption('multiple');
      await page.getByLabel('Условие').fill('Какие органы относятся к местному самоуправлению?');
      await page.getByLabel('Баллы за задание').fill('2');
      const texts = ['Местная администрация', 'Прокуратура', 'Представительный орган', 'Суд'];
      for (const [i, text] of texts.entries()) await page.getByLabel(`Вариант ${i + 1}`, { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Добавить вариант' }).click();
      await page.getByLabel('Вариант 5', { exact: true }).fill('Глава муниципального образования');
      await page.getByLabel('Верный: вариант 1').check();
      await page.getByLabel('Верный: вариант 3').focus();
      await page.keyboard.press('Space');
      await expect(page.getByLabel('Верный: вариант 3').isChecked()).resolves.toBe(true);
      await page.getByLabel('Частичный балл за частично верный ответ').check();

      // The preview: the task as the student sees it, with its options to tick and no key.
      await page.getByText('Как задание увидит участник').click();
      const preview = page.locator('.task-preview');
      await preview.getByText('Какие органы относятся к местному самоуправлению?').waitFor();
      await expect(preview.getByRole('checkbox').count()).resolves.toBe(5);
      await preview.getByRole('checkbox', { name: 'Суд' }).waitFor();
      expect(await preview.locator('section').textContent()).not.toContain('Верный');
      await fit();
      await page.getByRole('button', { name: 'Добавить задание' }).click();
      await status(page, 'Задание 1 добавлено.');

      // A number with a tolerance; a value that is not a number, then one the server refuses, each at its field.
      await page.getByLabel('Тип задания').selectOption('number');
      await page.getByLabel('Условие').fill('В каком году принят закон № 131-ФЗ?');
      await page.getByLabel('Баллы за задание').fill('1,5');
      await page.getByLabel('Верный ответ (число)').fill('две тысячи третий');
      await page.getByRole('button', { name: 'Добавить задание' }).click();
      const value = page.getByLabel('Верный ответ (число)');
      await expect.poll(() => value.getAttribute('aria-invalid')).toBe('true');
      await expect(page.locator('#te-value-error').textContent()).resolves.toContain(
        '«Верный ответ» должно быть числом',
      );
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('te-value');
      // What was typed stays.
      await expect(page.getByLabel('Условие').inputValue()).resolves.toBe('В каком году принят закон № 131-ФЗ?');
      await expect(page.getByLabel('Баллы за задание').inputValue()).resolves.toBe('1,5');
      await settled(page);
      await value.fill('2003');
      await page.getByLabel('Допустимая погрешность').fill('-1');
      await page.getByRole('button', { name: 'Добавить задание' }).click();
      const tolerance = page.getByLabel('Допустимая погрешность');
      await expect.poll(() => tolerance.getAttribute('aria-invalid')).toBe('true');
      await expect(page.locator('#te-tolerance-error').textContent()).resolves.toContain('не меньше 0');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('te-tolerance');
      await page.getByRole('alert').filter({ hasText: 'Допустимая погрешность' }).waitFor();
      await fit();
      await settled(page);
      await tolerance.fill('0,5');
      await page.getByRole('button', { name: 'Добавить задание' }).click();
      await status(page, 'Задание 2 добавлено.');
      await expect(page.locator('.task-list > li').count()).resolves.toBe(2);
      await expect(page.locator('.task-list > li').nth(1).textContent()).resolves.toContain(
        'Верный ответ: 2003 (± 0,5)',
      );

      // Edit the first task with the same form, prefilled: another option becomes correct, the points change.
      await settled(page);
      await page.getByRole('link', { name: 'Изменить задание 1' }).click();
      await page.getByRole('heading', { name: 'Изменить задание 1' }).waitFor();
      await settled(page);
      await expect(page.getByLabel('Вариант 3', { exact: true }).inputValue()).resolves.toBe('Представительный орган');
      await expect(page.getByLabel('Верный: вариант 3').isChecked()).resolves.toBe(true);
      await page.getByLabel('Верный: вариант 5').check();
      await page.getByRole('button', { name: 'Удалить вариант 4' }).click();
      await page.getByLabel('Баллы за задание').fill('3');
      await fit();
      await page.getByRole('button', { name: 'Сохранить задание' }).click();
      await status(page, 'Задание 1 сохранено.');
      await page.getByRole('heading', { name: 'Добавить задание' }).waitFor();

      // Reorder: the number task goes first.
      await settled(page);
      await page.getByRole('button', { name: 'Выше: задание 2' }).click();
      await status(page, 'Задание 2 теперь под номером 1.');
      await expect(page.locator('.task-list > li').first().textContent()).resolves.toContain('131-ФЗ');
      await fit();

      // The API has the tasks in the new order with the keys the forms gave.
      const { tasks } = await ok<{ tasks: (Task & { key: Record<string, unknown> })[] }>(
        'tasks',
        org.request.get(`${server.url}/api/olympiads/${olympiad.id}/tasks`),
      );
      expect(tasks.map((t) => t.kind)).toEqual(['number', 'multiple']);
      expect(tasks[0]).toMatchObject({ points: 1.5, key: { value: 2003, tolerance: 0.5 } });
      const choice = tasks[1];
      expect(choice.points).toBe(3);
      expect(choice.options?.map((o) => o.text)).toEqual([
        'Местная администрация',
        'Прокуратура',
        'Представительный орган',
        'Глава муниципального образования',
      ]);
      const idOf = (text: string) => choice.options!.find((o) => o.text === text)!.id;
      expect(choice.key).toEqual({
        correct: [
          idOf('Местная администрация'),
          idOf('Представительный орган'),
          idOf('Глава муниципального образования'),
        ],
        scoring: 'partial',
      });

      // The student is given them in that order; their answers are graded by these keys.
      const student = await phone(browser);
      const attemptPage = await student.newPage();
      const attemptId = await startAttempt(attemptPage, server.url, olympiad.id, olympiad.students[0].accessCode);
      await attemptPage.getByText('В каком году принят закон № 131-ФЗ?').waitFor();
      await noHorizontalScroll(attemptPage);
      const answers = [
        { taskId: tasks[0].id, answer: { text: '2003,4' } },
        { taskId: choice.id, answer: { choices: [idOf('Местная администрация'), idOf('Представительный орган')] } },
      ];
      for (const [i, a] of answers.entries())
        await ok(
          'answer',
          student.request.put(`${server.url}/api/attempts/${attemptId}/answers/${a.taskId}`, {
            data: { answer: a.answer, seq: i + 1 },
          }),
        );
      await ok('finish', student.request.post(`${server.url}/api/attempts/${attemptId}/finish`));
      const card = await ok<{ attempt: { autoScore: number } }>(
        'card',
        org.request.get(
          `${server.url}/api/olympiads/${olympiad.id}/participants/${olympiad.students[0].participantId}`,
        ),
      );
      // 1,5 for the number within its tolerance, and two of three correct options of 3 points: 2.
      expect(card.attempt.autoScore).toBe(3.5);

      // Once someone has started, the page says why the tasks no longer change and points to the key correction.
      await page.goto(`${server.url}/olympiads/${olympiad.id}/tasks`);
      await page.getByTestId('tasks-locked').getByText('Исправить ключ или аннулировать').waitFor();
      await expect(page.getByRole('link', { name: 'Изменить задание 1' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Выше: задание 2' }).count()).resolves.toBe(0);
      await expect(page.locator('#editor').count()).resolves.toBe(0);
      await fit();
      await student.close();
      await org.close();
    }, 180_000);
  }
});
