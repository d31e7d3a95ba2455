/**
 * The task model: checking a task definition an organizer gives (form, API or JSON import), and the view of a
 * task a student gets — shuffled per student where the olympiad wants it, and never with the key. Pure.
 */
import { createHash } from 'node:crypto';
import type { TaskKind } from '@konkurs/db';
import { ruNumber } from '../../../lib/ru-number.ts';
import type { Option, TaskContent } from '../grading/grading.ts';

export const TASK_KINDS: readonly TaskKind[] = ['single', 'multiple', 'text', 'number', 'matching', 'ordering', 'open'];

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  single: 'один ответ из нескольких',
  multiple: 'несколько ответов',
  text: 'краткий ответ (текст)',
  number: 'числовой ответ',
  matching: 'установление соответствия',
  ordering: 'установление последовательности',
  open: 'открытый ответ (проверяет жюри)',
};

/** A task as the organizer writes it, in the API and in the JSON of a task set. */
export interface TaskDefinition {
  kind: TaskKind;
  prompt: string;
  points: number;
  options?: Option[];
  left?: Option[];
  right?: Option[];
  items?: Option[];
  key: Record<string, unknown>;
}

export interface CheckedTask {
  content: TaskContent;
  key: Record<string, unknown>;
}

type Fields = Record<string, string>;

/** A multiple of 0.5 (points are given in halves), with a hair of tolerance for binary fractions. */
export const isHalfStep = (n: number) => Math.abs(Math.round(n * 2) - n * 2) < 1e-9;

/** One part of an open task's points, as the jury grades it (e.g. 3 + 3 + 4 of 10). */
export interface Criterion {
  title: string;
  points: number;
}

/** The criteria of an open task's stored key; none when the task has one overall grade. */
export function criteriaOf(key: unknown): Criterion[] {
  const list = (key as { criteria?: unknown } | null)?.criteria;
  return Array.isArray(list) ? (list as Criterion[]) : [];
}

function checkOptions(list: Option[] | undefined, field: string, label: string, fields: Fields, min = 2): Option[] {
  const options = (list ?? []).map((o) => ({ id: o.id.trim(), text: o.text.trim() }));
  if (options.length < min) fields[field] = `${label}: нужно не меньше ${min}.`;
  else if (options.some((o) => !o.id || !o.text))
    fields[field] = `${label}: у каждого варианта должны быть обозначение и текст.`;
  else if (new Set(options.map((o) => o.id)).size !== options.length)
    fields[field] = `${label}: обозначения не должны повторяться.`;
  return options;
}

const stringList = (v: unknown): string[] | null =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.map((s) => s.trim()) : null;

/**
 * Checks a task definition: returns what to store, or the Russian message for each field at fault
 * (fields are named as in the definition, e.g. "key.correct").
 */
export function checkTask(def: TaskDefinition): { ok: true; task: CheckedTask } | { ok: false; fields: Fields } {
  const fields: Fields = {};
  if (!def.prompt.trim()) fields.prompt = 'Заполните поле «Условие».';
  if (!(def.points > 0)) fields.points = 'Поле «Баллы» должно быть больше 0.';
  const key = def.key ?? {};
  const content: TaskContent = {};
  let stored: Record<string, unknown> = {};

  switch (def.kind) {
    case 'single':
    case 'multiple': {
      content.options = checkOptions(def.options, 'options', 'Варианты ответа', fields);
      const ids = new Set(content.options.map((o) => o.id));
      if (def.kind === 'single') {
        const correct = typeof key.correct === 'string' ? key.correct.trim() : '';
        if (!ids.has(correct))
          fields['key.correct'] = 'Укажите верный вариант: обозначение одного из вариантов ответа.';
        stored = { correct };
      } else {
        const correct = stringList(key.correct) ?? [];
        if (correct.length === 0 || !correct.every((c) => ids.has(c)) || new Set(correct).size !== correct.length) {
          fields['key.correct'] = 'Укажите верные варианты: обозначения вариантов ответа, без повторов.';
        }
        const scoring = key.scoring ?? 'all';
        if (scoring !== 'all' && scoring !== 'partial')
          fields['key.scoring'] = 'Поле «Оценивание»: «all» (всё или ничего) или «partial» (частичный балл).';
        stored = { correct, scoring };
      }
      break;
    }
    case 'text': {
      const accepted = (stringList(key.accepted) ?? []).filter(Boolean);
      if (accepted.length === 0) fields['key.accepted'] = 'Укажите хотя бы один верный ответ.';
      stored = { accepted };
      break;
    }
    case 'number': {
      const value = typeof key.value === 'number' ? key.value : Number.NaN;
      const tolerance =
        key.tolerance === undefined ? 0 : typeof key.tolerance === 'number' ? key.tolerance : Number.NaN;
      if (!Number.isFinite(value)) fields['key.value'] = 'Поле «Верный ответ» должно быть числом.';
      if (!Number.isFinite(tolerance) || tolerance < 0)
        fields['key.tolerance'] = 'Поле «Допустимая погрешность» должно быть числом не меньше 0.';
      stored = { value, tolerance };
      break;
    }
    case 'matching': {
      content.left = checkOptions(def.left, 'left', 'Левый столбец', fields);
      content.right = checkOptions(def.right, 'right', 'Правый столбец', fields);
      const rightIds = new Set(content.right.map((o) => o.id));
      const pairs =
        key.pairs && typeof key.pairs === 'object' && !Array.isArray(key.pairs)
          ? (key.pairs as Record<string, unknown>)
          : {};
      if (!content.left.every((l) => typeof pairs[l.id] === 'string' && rightIds.has(pairs[l.id] as string))) {
        fields['key.pairs'] = 'Для каждого элемента левого столбца укажите соответствующий элемент правого.';
      }
      const scoring = key.scoring ?? 'partial';
      if (scoring !== 'all' && scoring !== 'partial')
        fields['key.scoring'] = 'Поле «Оценивание»: «all» (всё или ничего) или «partial» (частичный балл).';
      stored = { pairs: Object.fromEntries(content.left.map((l) => [l.id, pairs[l.id]])), scoring };
      break;
    }
    case 'ordering': {
      content.items = checkOptions(def.items, 'items', 'Элементы', fields);
      const order = stringList(key.order) ?? [];
      const ids = content.items.map((i) => i.id);
      if (order.length !== ids.length || [...order].sort().join('\u0000') !== [...ids].sort().join('\u0000')) {
        fields['key.order'] = 'Укажите верную последовательность: все элементы по одному разу.';
      }
      stored = { order };
      break;
    }
    case 'open': {
      const guidance = typeof key.guidance === 'string' ? key.guidance.trim() : '';
      stored = guidance ? { guidance } : {};
      if (key.criteria !== undefined) {
        const criteria = Array.isArray(key.criteria) ? (key.criteria as unknown[]) : null;
        const parsed = (criteria ?? []).map((c) => {
          const item = (c ?? {}) as { title?: unknown; points?: unknown };
          return { title: typeof item.title === 'string' ? item.title.trim() : '', points: Number(item.points) };
        });
        const sum = parsed.reduce((n, c) => n + c.points, 0);
        if (!criteria) fields['key.criteria'] = 'Критерии: список из названий и баллов.';
        else if (parsed.some((c) => !c.title))
          fields['key.criteria'] = 'Критерии: у каждого критерия должно быть название.';
        else if (parsed.some((c) => !(c.points > 0) || !isHalfStep(c.points)))
          fields['key.criteria'] = 'Критерии: баллы каждого критерия — больше 0, с шагом 0,5.';
        else if (parsed.length && Math.abs(sum - def.points) > 1e-9)
          fields['key.criteria'] =
            `Критерии: сумма баллов (${ruNumber(sum)}) должна быть равна баллам за задание (${ruNumber(def.points)}).`;
        if (parsed.length) stored.criteria = parsed;
      }
      break;
    }
    default:
      fields.kind = 'Поле «Тип задания»: выберите один из допустимых типов.';
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, task: { content, key: stored } };
}

/** The definition of a stored task, as exported to JSON. */
export function toDefinition(task: {
  kind: TaskKind;
  prompt: string;
  points: number;
  content: unknown;
  key: unknown;
}): TaskDefinition {
  const content = (task.content ?? {}) as TaskContent;
  return {
    kind: task.kind,
    prompt: task.prompt,
    points: task.points,
    ...content,
    key: (task.key ?? {}) as Record<string, unknown>,
  };
}

/**
 * A deterministic cryptographic random stream: SHA-256 of (seed, label, block number), read 32 bits at a time.
 * The attempt's seed is drawn with node:crypto when it starts, so the same attempt sees the same order on every
 * device and after a reload, while one student's order tells nothing about another's.
 */
function randomStream(seed: number, label: string): (bound: number) => number {
  let block = 0;
  let words: number[] = [];
  const nextWord = (): number => {
    if (words.length === 0) {
      const digest = createHash('sha256')
        .update(`${seed >>> 0}:${label}:${block++}`)
        .digest();
      words = Array.from({ length: digest.length / 4 }, (_, i) => digest.readUInt32BE(i * 4));
    }
    return words.shift() as number;
  };
  /** An integer in [0, bound) without modulo bias (rejection sampling). */
  return (bound) => {
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const word = nextWord();
      if (word < limit) return word % bound;
    }
  };
}

/** Fisher–Yates with a cryptographic stream: every order of the list is equally likely for a random seed. */
export function shuffled<T>(list: readonly T[], seed: number, label = ''): T[] {
  const out = [...list];
  const below = randomStream(seed, label);
  for (let i = out.length - 1; i > 0; i--) {
    const j = below(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The items of an ordering task for one student: uniformly one of the orders other than the key (a draw equal to
 * the key is drawn again), so a student who leaves the list untouched never has the answer.
 */
export function orderingItems(items: readonly Option[], key: readonly string[], seed: number, label: string): Option[] {
  for (let round = 0; ; round++) {
    const drawn = shuffled(items, seed, `${label}:${round}`);
    if (items.length < 2 || drawn.some((item, i) => item.id !== key[i])) return drawn;
  }
}

export interface StoredTask {
  id: string;
  kind: TaskKind;
  prompt: string;
  points: number;
  content: unknown;
  key: unknown;
}

export interface StudentTask {
  id: string;
  kind: TaskKind;
  prompt: string;
  points: number;
  options?: Option[];
  left?: Option[];
  right?: Option[];
  items?: Option[];
}

/**
 * A task as the student sees it: no key. Options are shuffled when the olympiad asks for it; the right column of
 * a matching task and the items of an ordering task are always shuffled (in their given order they would be the answer),
 * and an ordering never starts in the correct order.
 */
export function studentTask(task: StoredTask, seed: number, shuffleOptions: boolean): StudentTask {
  const content = (task.content ?? {}) as TaskContent;
  const view: StudentTask = { id: task.id, kind: task.kind, prompt: task.prompt, points: task.points };
  if (content.options)
    view.options = shuffleOptions ? shuffled(content.options, seed, `options:${task.id}`) : content.options;
  if (content.left) view.left = content.left;
  if (content.right) view.right = shuffled(content.right, seed, `right:${task.id}`);
  if (content.items) {
    const order = ((task.key ?? {}) as { order?: string[] }).order ?? content.items.map((i) => i.id);
    view.items = orderingItems(content.items, order, seed, `items:${task.id}`);
  }
  return view;
}

/** The order of tasks for one student. */
export function taskOrder<T extends { id: string }>(tasks: readonly T[], seed: number, shuffle: boolean): T[] {
  return shuffle ? shuffled(tasks, seed, 'tasks') : [...tasks];
}
