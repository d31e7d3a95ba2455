import { describe, expect, test } from 'vitest';
import { parsePoints, readScoreForm, runningTotal } from '../../web/src/lib/jury-juror.ts';

/** Issue #11, item 10: the score form reads «4,5» as 4.5; the autosave keeps the valid scores when one is out of range. */
const criteria = [
  { key: 'residents', title: 'Работа с жителями', min: 0, max: 10, step: 0.5, weight: 1 },
  { key: 'publicity', title: 'Публичность', min: 0, max: 5, step: 0.5, weight: 2 },
  { key: 'projects', title: 'Проекты', min: 0, max: 10, step: 1, weight: 1 },
];
const formOf = (values: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) form.set(k, v);
  return form;
};

describe('the score form', () => {
  test('a decimal comma is a decimal point, not a thousands separator', () => {
    expect(parsePoints('4,5')).toBe(4.5);
    expect(parsePoints(' 4.5 ')).toBe(4.5);
    expect(parsePoints('10')).toBe(10);
    for (const bad of ['4,5,1', '1e1', '4 5', '', ',5', 'семь']) expect(parsePoints(bad)).toBeNull();
    const read = readScoreForm(formOf({ 'points.residents': '4,5' }), criteria);
    expect(read.body.points).toEqual({ residents: 4.5 });
    expect(read.valid.points).toEqual({ residents: 4.5 });
    expect(read.fields).toEqual({});
  });

  test('the autosave’s body keeps the valid scores and says which were left out and why', () => {
    const read = readScoreForm(
      formOf({ 'points.residents': '7,5', 'points.publicity': '45', 'points.projects': '3,5', comment: 'Хорошо' }),
      criteria,
    );
    // «Сохранить черновик» sends everything typed (the server names the bad score) …
    expect(read.body.points).toEqual({ residents: 7.5, publicity: 45, projects: 3.5 });
    // … the autosave only what can be saved.
    expect(read.valid).toMatchObject({ points: { residents: 7.5 }, comment: 'Хорошо' });
    expect(read.skipped).toEqual([
      'Критерий «Публичность»: оценка должна быть от 0 до 5.',
      'Критерий «Проекты»: оценка должна быть целым числом.',
    ]);
    const notANumber = readScoreForm(formOf({ 'points.residents': 'семь', 'points.projects': '8' }), criteria);
    expect(notANumber.fields['points.residents']).toBe(
      'Критерий «Работа с жителями»: введите число, например 7 или 4,5.',
    );
    expect(notANumber.valid.points).toEqual({ projects: 8 });
  });

  test('the running total counts only the scores that can be saved, with their weights', () => {
    expect(runningTotal({ residents: '4,5', publicity: '2,5', projects: '8' }, criteria)).toBe(4.5 + 5 + 8);
    expect(runningTotal({ residents: '4,5', publicity: '45', projects: 'x' }, criteria)).toBe(4.5);
    expect(runningTotal({}, criteria)).toBe(0);
  });
});
