/**
 * The task model: checking a task definition an organizer gives (form, API or JSON import), and the view of a
 * task a student gets — shuffled per student where the olympiad wants it, and never with the key. Pure.
 */
import type { TaskKind } from '@konkurs/db';
import type { Option, TaskContent } from './grading.ts';

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

/** A small seeded random generator (mulberry32): the same seed gives the same order on every device. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  const next = random(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
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
  const taskSeed = (seed ^ hashString(task.id)) >>> 0;
  const view: StudentTask = { id: task.id, kind: task.kind, prompt: task.prompt, points: task.points };
  if (content.options) view.options = shuffleOptions ? shuffled(content.options, taskSeed) : content.options;
  if (content.left) view.left = content.left;
  if (content.right) view.right = shuffled(content.right, taskSeed);
  if (content.items) {
    let items = shuffled(content.items, taskSeed);
    const order = ((task.key ?? {}) as { order?: string[] }).order ?? content.items.map((i) => i.id);
    if (items.length > 1 && items.every((item, i) => item.id === order[i])) items = [...items.slice(1), items[0]];
    view.items = items;
  }
  return view;
}

/** The order of tasks for one student. */
export function taskOrder<T extends { id: string }>(tasks: readonly T[], seed: number, shuffle: boolean): T[] {
  return shuffle ? shuffled(tasks, seed) : [...tasks];
}
