import { describe, expect, test } from 'vitest';
import {
  gradeAnswer,
  isAnswered,
  normalizeText,
  parseNumber,
} from '../../server/src/modules/olympiad/grading/grading.ts';
import {
  checkTask,
  shuffled,
  studentTask,
  taskOrder,
  type TaskDefinition,
} from '../../server/src/modules/olympiad/tasks/tasks.ts';

const single = { kind: 'single' as const, points: 2, key: { correct: 'b' } };
const multipleAll = { kind: 'multiple' as const, points: 4, key: { correct: ['a', 'c'], scoring: 'all' } };
const multiplePartial = { kind: 'multiple' as const, points: 4, key: { correct: ['a', 'c'], scoring: 'partial' } };
const text = {
  kind: 'text' as const,
  points: 1,
  key: { accepted: ['Территориальное общественное самоуправление', 'ТОС'] },
};
const number = { kind: 'number' as const, points: 1, key: { value: 2003, tolerance: 0 } };
const share = { kind: 'number' as const, points: 1, key: { value: 12.5, tolerance: 0.5 } };
const matching = {
  kind: 'matching' as const,
  points: 3,
  key: { pairs: { l1: 'r2', l2: 'r1', l3: 'r3' }, scoring: 'partial' },
};
const matchingAll = { ...matching, key: { ...matching.key, scoring: 'all' } };
const ordering = { kind: 'ordering' as const, points: 2, key: { order: ['x', 'y', 'z'] } };

describe('grading of every kind', () => {
  test('single choice: the key earns all, anything else nothing', () => {
    expect(gradeAnswer(single, { choice: 'b' })).toBe(2);
    expect(gradeAnswer(single, { choice: 'a' })).toBe(0);
    expect(gradeAnswer(single, {})).toBe(0);
    expect(gradeAnswer(single, null)).toBe(0);
  });

  test('multiple choice, all or nothing: exactly the correct set', () => {
    expect(gradeAnswer(multipleAll, { choices: ['c', 'a'] })).toBe(4);
    expect(gradeAnswer(multipleAll, { choices: ['a'] })).toBe(0);
    expect(gradeAnswer(multipleAll, { choices: ['a', 'b', 'c'] })).toBe(0);
  });

  test('multiple choice, partial credit: a share per correct option, minus a share per wrong one, never below 0', () => {
    expect(gradeAnswer(multiplePartial, { choices: ['a', 'c'] })).toBe(4);
    expect(gradeAnswer(multiplePartial, { choices: ['a'] })).toBe(2);
    expect(gradeAnswer(multiplePartial, { choices: ['a', 'b'] })).toBe(0);
    expect(gradeAnswer(multiplePartial, { choices: ['a', 'b', 'c'] })).toBe(2);
    expect(gradeAnswer(multiplePartial, { choices: ['b', 'd'] })).toBe(0);
    expect(gradeAnswer(multiplePartial, { choices: ['a', 'a'] })).toBe(2);
  });

  test('short text: case, spaces and ё/е do not matter; any accepted answer counts', () => {
    expect(gradeAnswer(text, { text: '  территориальное   ОБЩЕСТВЕННОЕ самоуправление ' })).toBe(1);
    expect(gradeAnswer(text, { text: 'тос' })).toBe(1);
    expect(gradeAnswer(text, { text: 'ТСЖ' })).toBe(0);
    expect(gradeAnswer(text, { text: '   ' })).toBe(0);
    const yo = { kind: 'text' as const, points: 1, key: { accepted: ['Совет депутатов, её решение'] } };
    expect(gradeAnswer(yo, { text: 'совет депутатов, ее решение' })).toBe(1);
    expect(normalizeText('Ёлка\tи  ЁЖ')).toBe('елка и еж');
  });

  test('number: within the tolerance, with a comma or spaces as people type', () => {
    expect(gradeAnswer(number, { text: '2003' })).toBe(1);
    expect(gradeAnswer(number, { text: '2 003' })).toBe(1);
    expect(gradeAnswer(number, { text: '2004' })).toBe(0);
    expect(gradeAnswer(share, { text: '12,9' })).toBe(1);
    expect(gradeAnswer(share, { text: '13' })).toBe(1);
    expect(gradeAnswer(share, { text: '13,01' })).toBe(0);
    expect(gradeAnswer(share, { text: 'двенадцать' })).toBe(0);
    expect(parseNumber('-0,25')).toBe(-0.25);
    expect(parseNumber('1e3')).toBeNaN();
  });

  test('matching: partial credit per correct pair, or all or nothing', () => {
    expect(gradeAnswer(matching, { pairs: { l1: 'r2', l2: 'r1', l3: 'r3' } })).toBe(3);
    expect(gradeAnswer(matching, { pairs: { l1: 'r2', l2: 'r3', l3: 'r1' } })).toBe(1);
    expect(gradeAnswer(matching, { pairs: { l1: 'r2', l2: 'r1' } })).toBe(2);
    expect(gradeAnswer(matchingAll, { pairs: { l1: 'r2', l2: 'r1' } })).toBe(0);
    expect(gradeAnswer(matchingAll, { pairs: { l1: 'r2', l2: 'r1', l3: 'r3' } })).toBe(3);
  });

  test('ordering: only the exact sequence', () => {
    expect(gradeAnswer(ordering, { order: ['x', 'y', 'z'] })).toBe(2);
    expect(gradeAnswer(ordering, { order: ['y', 'x', 'z'] })).toBe(0);
    expect(gradeAnswer(ordering, { order: ['x', 'y'] })).toBe(0);
  });

  test('open answers go to the jury', () => {
    expect(gradeAnswer({ kind: 'open', points: 10, key: {} }, { text: 'Эссе' })).toBeNull();
  });

  test('an answer of the wrong shape earns 0 rather than failing', () => {
    expect(gradeAnswer(multipleAll, { choices: 'a' })).toBe(0);
    expect(gradeAnswer(matching, { pairs: ['r2'] })).toBe(0);
    expect(gradeAnswer(text, { text: 42 })).toBe(0);
    expect(gradeAnswer(ordering, 'x,y,z')).toBe(0);
  });

  test('isAnswered tells an empty answer from a given one', () => {
    expect(isAnswered({})).toBe(false);
    expect(isAnswered({ text: '  ' })).toBe(false);
    expect(isAnswered({ choices: [] })).toBe(false);
    expect(isAnswered({ choice: 'a' })).toBe(true);
    expect(isAnswered({ pairs: { l1: 'r1' } })).toBe(true);
  });
});

describe('task definitions', () => {
  const base = { prompt: 'Условие', points: 1 };
  const options = [
    { id: 'a', text: 'Да' },
    { id: 'b', text: 'Нет' },
  ];

  test('a valid task of each kind is accepted and keeps only what belongs to its kind', () => {
    const defs: TaskDefinition[] = [
      { ...base, kind: 'single', options, key: { correct: 'a' } },
      { ...base, kind: 'multiple', options, key: { correct: ['a', 'b'], scoring: 'partial' } },
      { ...base, kind: 'text', key: { accepted: ['ТОС'] }, options },
      { ...base, kind: 'number', key: { value: 131, tolerance: 0 } },
      {
        ...base,
        kind: 'matching',
        left: options,
        right: [
          { id: 'x', text: 'X' },
          { id: 'y', text: 'Y' },
        ],
        key: { pairs: { a: 'y', b: 'x' } },
      },
      { ...base, kind: 'ordering', items: options, key: { order: ['b', 'a'] } },
      { ...base, kind: 'open', key: { guidance: 'Критерии' } },
    ];
    for (const def of defs) {
      const checked = checkTask(def);
      expect(checked.ok, def.kind).toBe(true);
    }
    const text = checkTask(defs[2]);
    expect(text.ok && text.task.content).toEqual({});
    const matching = checkTask(defs[4]);
    expect(matching.ok && matching.task.key).toEqual({ pairs: { a: 'y', b: 'x' }, scoring: 'partial' });
  });

  test('a key that does not fit the task is refused with a message at the field', () => {
    const bad = (def: TaskDefinition) => {
      const checked = checkTask(def);
      if (checked.ok) throw new Error(`accepted ${def.kind}`);
      return checked.fields;
    };
    expect(bad({ ...base, kind: 'single', options, key: { correct: 'c' } })['key.correct']).toMatch(/верный вариант/);
    expect(bad({ ...base, kind: 'single', options: [options[0]], key: { correct: 'a' } }).options).toMatch(
      /не меньше 2/,
    );
    expect(bad({ ...base, kind: 'single', options: [options[0], options[0]], key: { correct: 'a' } }).options).toMatch(
      /повторяться/,
    );
    expect(bad({ ...base, kind: 'multiple', options, key: { correct: [] } })['key.correct']).toBeDefined();
    expect(
      bad({ ...base, kind: 'multiple', options, key: { correct: ['a'], scoring: 'some' } })['key.scoring'],
    ).toBeDefined();
    expect(bad({ ...base, kind: 'text', key: { accepted: ['  '] } })['key.accepted']).toBeDefined();
    expect(bad({ ...base, kind: 'number', key: { value: '131' } })['key.value']).toBeDefined();
    expect(bad({ ...base, kind: 'number', key: { value: 1, tolerance: -1 } })['key.tolerance']).toBeDefined();
    expect(
      bad({ ...base, kind: 'matching', left: options, right: options, key: { pairs: { a: 'b' } } })['key.pairs'],
    ).toBeDefined();
    expect(bad({ ...base, kind: 'ordering', items: options, key: { order: ['a', 'a'] } })['key.order']).toBeDefined();
    expect(bad({ ...base, prompt: '  ', kind: 'open', key: {} }).prompt).toBe('Заполните поле «Условие».');
  });
});

describe('what a student sees', () => {
  const stored = {
    id: '6f1c1d1e-0000-4000-8000-000000000001',
    kind: 'ordering' as const,
    prompt: 'Расставьте',
    points: 2,
    content: {
      items: [
        { id: 'x', text: 'X' },
        { id: 'y', text: 'Y' },
        { id: 'z', text: 'Z' },
      ],
    },
    key: { order: ['x', 'y', 'z'] },
  };

  test('never the key; the same seed gives the same order; an ordering never starts solved', () => {
    for (let seed = 0; seed < 50; seed++) {
      const view = studentTask(stored, seed, false);
      expect(view).not.toHaveProperty('key');
      expect(JSON.stringify(view)).not.toContain('"order"');
      expect(view.items!.map((i) => i.id)).not.toEqual(['x', 'y', 'z']);
      expect(view.items!.map((i) => i.id).sort()).toEqual(['x', 'y', 'z']);
      expect(studentTask(stored, seed, false)).toEqual(view);
    }
  });

  test('options keep their order unless the olympiad shuffles them; task order is per student', () => {
    const choice = {
      ...stored,
      kind: 'single' as const,
      content: { options: 'abcdefgh'.split('').map((id) => ({ id, text: id })) },
      key: { correct: 'a' },
    };
    expect(
      studentTask(choice, 7, false)
        .options!.map((o) => o.id)
        .join(''),
    ).toBe('abcdefgh');
    const orders = new Set(
      Array.from({ length: 10 }, (_, seed) =>
        studentTask(choice, seed, true)
          .options!.map((o) => o.id)
          .join(''),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
    const tasks = 'abcdefgh'.split('').map((id) => ({ id }));
    expect(taskOrder(tasks, 3, false)).toEqual(tasks);
    expect(
      taskOrder(tasks, 3, true)
        .map((t) => t.id)
        .sort(),
    ).toEqual('abcdefgh'.split(''));
  });
});

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: Map<string, number>, categories: number, samples: number): number {
  const expected = samples / categories;
  let sum = 0;
  for (const observed of counts.values()) sum += (observed - expected) ** 2 / expected;
  return sum + (categories - counts.size) * expected; // categories never drawn
}

function tally(draw: (seed: number) => string, samples: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let seed = 0; seed < samples; seed++) {
    const drawn = draw(seed);
    counts.set(drawn, (counts.get(drawn) ?? 0) + 1);
  }
  return counts;
}

describe('shuffling is uniform', () => {
  const ordering = (ids: string[], key: string[]) => ({
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    kind: 'ordering' as const,
    prompt: 'Расставьте',
    points: 2,
    content: { items: ids.map((id) => ({ id, text: id.toUpperCase() })) },
    key: { order: key },
  });
  const itemsOf = (task: ReturnType<typeof ordering>, seed: number) =>
    studentTask(task, seed, false)
      .items!.map((i) => i.id)
      .join('');

  // The seeds are fixed, so these tests give the same counts on every run; the bounds are the chi-square values a
  // uniform draw exceeds once in a thousand (df 4: 18.47, df 22: 48.27, df 23: 49.73).
  test('three items: each of the five orders other than the key about equally often, the key never', () => {
    const task = ordering(['x', 'y', 'z'], ['x', 'y', 'z']);
    const samples = 5000;
    const counts = tally((seed) => itemsOf(task, seed), samples);
    expect(counts.has('xyz')).toBe(false);
    expect(counts.size).toBe(5);
    expect(chiSquare(counts, 5, samples)).toBeLessThan(18.47);
  });

  test('four items with a key not in the given order: 23 orders uniformly, never the key', () => {
    const task = ordering(['a', 'b', 'c', 'd'], ['c', 'a', 'd', 'b']);
    const samples = 23 * 250;
    const counts = tally((seed) => itemsOf(task, seed), samples);
    expect(counts.has('cadb')).toBe(false);
    expect(counts.size).toBe(23);
    expect(chiSquare(counts, 23, samples)).toBeLessThan(48.27);
  });

  test('two items are always shown swapped; one item as it is', () => {
    const two = ordering(['x', 'y'], ['x', 'y']);
    for (let seed = 0; seed < 200; seed++) expect(itemsOf(two, seed)).toBe('yx');
    expect(itemsOf(ordering(['x'], ['x']), 5)).toBe('x');
  });

  test('options and task order: all 24 orders of four equally likely', () => {
    const samples = 24 * 250;
    const counts = tally((seed) => shuffled(['a', 'b', 'c', 'd'], seed, 'options').join(''), samples);
    expect(counts.size).toBe(24);
    expect(chiSquare(counts, 24, samples)).toBeLessThan(49.73);
  });
});

describe('the demo task set', () => {
  test('about twenty valid tasks on local self-government, every kind used, two open case tasks', async () => {
    const { DEMO_TASKS } = await import('@konkurs/db');
    expect(DEMO_TASKS.length).toBeGreaterThanOrEqual(18);
    for (const [i, task] of DEMO_TASKS.entries())
      expect(checkTask(task as TaskDefinition), `task ${i + 1}`).toMatchObject({ ok: true });
    expect(new Set(DEMO_TASKS.map((t) => t.kind))).toEqual(
      new Set(['single', 'multiple', 'text', 'number', 'matching', 'ordering', 'open']),
    );
    expect(DEMO_TASKS.filter((t) => t.kind === 'open')).toHaveLength(2);
    expect(JSON.stringify(DEMO_TASKS)).toContain('131-ФЗ');
    expect(JSON.stringify(DEMO_TASKS)).toContain('21 апреля');
    expect(DEMO_TASKS.some((t) => /ТОС/.test(t.prompt))).toBe(true);
  });
});
