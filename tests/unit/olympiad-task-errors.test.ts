import { describe, expect, test } from 'vitest';
import { importErrorLines } from '../../web/src/lib/olympiad/task-errors.ts';

describe('import errors name the task', () => {
  test('tasks.1.prompt is «Задание 2», in task order; other fields are kept', () => {
    expect(
      importErrorLines({
        file: 'Проверьте введённые данные.',
        'tasks.10.key.correct': 'Укажите верный вариант.',
        'tasks.1.prompt': 'Заполните поле «Условие».',
        tasks: 'Нужно хотя бы одно задание.',
      }),
    ).toEqual([
      'Задание 2: Заполните поле «Условие».',
      'Задание 11: Укажите верный вариант.',
      'Нужно хотя бы одно задание.',
    ]);
    expect(importErrorLines(undefined)).toEqual([]);
  });
});
