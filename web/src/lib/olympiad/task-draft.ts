/**
 * The task editor's form, in a teacher's terms: option texts with the correct ones marked, accepted answers one per
 * line, a number with a decimal comma, pairs in two columns, items in the right order, criteria with points. Turns
 * it into the API's task definition (olympiad/tasks/tasks.ts on the server) and back; the API checks the rest and names the
 * field at fault, which `slotOf` places at the form's field. Option identifiers are made here from the positions:
 * tasks change only before anyone has started, so no answer refers to the old ones.
 */
import type { OrganizerTask, StudentTaskDto } from '@konkurs/server/api-types';
import { formatPoints, parsePoints } from '../format.ts';

export type TaskKind = OrganizerTask['kind'];
export type TaskBody = Omit<OrganizerTask, 'id' | 'position'>;
type Option = { id: string; text: string };

export const KINDS: readonly TaskKind[] = ['single', 'multiple', 'text', 'number', 'matching', 'ordering', 'open'];

/** Every kind's fields are kept, so that switching the kind back and forth keeps what was typed. */
export interface TaskDraft {
  kind: TaskKind;
  prompt: string;
  points: string;
  options: { text: string; correct: boolean }[];
  scoring: 'all' | 'partial';
  accepted: string;
  value: string;
  tolerance: string;
  pairs: { left: string; right: string }[];
  items: string[];
  guidance: string;
  criteria: { title: string; points: string }[];
}

const rows = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

/** A new task: a few empty rows, so that the form is usable before (or without) the page's script. */
export function emptyDraft(kind: TaskKind = 'single'): TaskDraft {
  return {
    kind,
    prompt: '',
    points: '1',
    options: rows(4, () => ({ text: '', correct: false })),
    scoring: kind === 'matching' ? 'partial' : 'all',
    accepted: '',
    value: '',
    tolerance: '0',
    pairs: rows(4, () => ({ left: '', right: '' })),
    items: rows(4, () => ''),
    guidance: '',
    criteria: rows(3, () => ({ title: '', points: '' })),
  };
}

const decimal = (n: unknown) => (typeof n === 'number' ? String(n).replace('.', ',') : '');
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export function draftFromTask(task: TaskBody): TaskDraft {
  const key = task.key as Record<string, unknown>;
  const draft = emptyDraft(task.kind);
  draft.prompt = task.prompt;
  draft.points = formatPoints(task.points);
  if (task.options) {
    const correct = asList(key.correct);
    draft.options = task.options.map((o) => ({ text: o.text, correct: correct.includes(o.id) }));
  }
  if (key.scoring === 'all' || key.scoring === 'partial') draft.scoring = key.scoring;
  if (task.kind === 'text') draft.accepted = asList(key.accepted).join('\n');
  if (task.kind === 'number') {
    draft.value = decimal(key.value);
    draft.tolerance = decimal(key.tolerance ?? 0);
  }
  if (task.left && task.right) {
    const pairs = (key.pairs ?? {}) as Record<string, string>;
    const rightText = (id: string) => task.right?.find((r) => r.id === id)?.text ?? '';
    const used = new Set(Object.values(pairs));
    draft.pairs = [
      ...task.left.map((l) => ({ left: l.text, right: rightText(pairs[l.id]) })),
      // Right-column entries matching nothing: the extra ones a student must leave out.
      ...task.right.filter((r) => !used.has(r.id)).map((r) => ({ left: '', right: r.text })),
    ];
  }
  if (task.items) {
    const order = asList(key.order);
    const text = (id: string) => task.items?.find((i) => i.id === id)?.text ?? '';
    draft.items = order.length === task.items.length ? order.map(text) : task.items.map((i) => i.text);
  }
  if (task.kind === 'open') {
    draft.guidance = typeof key.guidance === 'string' ? key.guidance : '';
    const criteria = Array.isArray(key.criteria) ? (key.criteria as { title: string; points: number }[]) : [];
    if (criteria.length) draft.criteria = criteria.map((c) => ({ title: c.title, points: formatPoints(c.points) }));
  }
  return draft;
}

/** The form's field names; only the chosen kind's fields are in the form. */
export function draftFromForm(form: FormData): TaskDraft {
  const all = (name: string) => form.getAll(name).map(String);
  const kindText = String(form.get('kind') ?? '');
  const draft = emptyDraft(KINDS.find((k) => k === kindText) ?? 'single');
  /** A field of another kind is not in the form: it keeps its value in an empty draft. */
  const one = <K extends keyof TaskDraft>(name: K) =>
    (form.has(name) ? String(form.get(name)) : draft[name]) as TaskDraft[K];
  draft.prompt = one('prompt');
  draft.points = one('points');
  // Only the chosen kind's rows are in the form; the other kinds keep their empty rows for a switch of kind.
  const correct = new Set(all('correct'));
  const optionTexts = all('optionText');
  if (optionTexts.length) draft.options = optionTexts.map((text, i) => ({ text, correct: correct.has(String(i)) }));
  const scoring = one('scoring');
  if (scoring === 'all' || scoring === 'partial') draft.scoring = scoring;
  draft.accepted = one('accepted');
  draft.value = one('value');
  draft.tolerance = one('tolerance');
  const left = all('pairLeft');
  const right = all('pairRight');
  if (left.length) draft.pairs = left.map((l, i) => ({ left: l, right: right[i] ?? '' }));
  const items = all('item');
  if (items.length) draft.items = items;
  draft.guidance = one('guidance');
  const titles = all('criterionTitle');
  const points = all('criterionPoints');
  if (titles.length) draft.criteria = titles.map((title, i) => ({ title, points: points[i] ?? '' }));
  return draft;
}

const letter = (i: number) => (i < 26 ? String.fromCharCode(97 + i) : `o${i + 1}`);

/** The options, pairs and items the draft describes: rows left empty are not part of the task. */
function parts(draft: TaskDraft) {
  const options = draft.options
    .map((o) => ({ text: o.text.trim(), correct: o.correct }))
    .filter((o) => o.text)
    .map((o, i) => ({ id: letter(i), ...o }));
  const pairRows = draft.pairs
    .map((p) => ({ left: p.left.trim(), right: p.right.trim() }))
    .filter((p) => p.left || p.right);
  // One right-column entry per distinct text: two left items may match the same right one.
  const right: Option[] = [];
  for (const text of pairRows.map((p) => p.right).filter(Boolean))
    if (!right.some((r) => r.text === text)) right.push({ id: `r${right.length + 1}`, text });
  const left = pairRows.filter((p) => p.left).map((p, i) => ({ id: `l${i + 1}`, text: p.left, right: p.right }));
  const items = draft.items
    .map((t) => t.trim())
    .filter(Boolean)
    .map((text, i) => ({ id: `i${i + 1}`, text }));
  return { options, left, right, items };
}

const NUMBER_HINT = 'например 12 или 0,5';

/**
 * The API's task definition, or the fields the page itself can name: numbers that do not read as numbers. Everything
 * else (an option left unmarked, criteria that do not add up) is the API's to say.
 */
export function definitionFromDraft(
  draft: TaskDraft,
): { ok: true; body: TaskBody } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const points = parsePoints(draft.points);
  if (points === null) fields.points = `Поле «Баллы» должно быть числом, ${NUMBER_HINT}.`;
  const { options, left, right, items } = parts(draft);
  const base = { kind: draft.kind, prompt: draft.prompt, points: points ?? 0 };
  let body: TaskBody;
  switch (draft.kind) {
    case 'single':
    case 'multiple': {
      const correct = options.filter((o) => o.correct).map((o) => o.id);
      const opts = options.map(({ id, text }) => ({ id, text }));
      body =
        draft.kind === 'single'
          ? { ...base, options: opts, key: { correct: correct[0] ?? '' } }
          : { ...base, options: opts, key: { correct, scoring: draft.scoring } };
      break;
    }
    case 'text':
      body = {
        ...base,
        key: {
          accepted: draft.accepted
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        },
      };
      break;
    case 'number': {
      const value = parsePoints(draft.value);
      const tolerance = draft.tolerance.trim() ? parsePoints(draft.tolerance) : 0;
      if (value === null) fields['key.value'] = `Поле «Верный ответ» должно быть числом, ${NUMBER_HINT}.`;
      if (tolerance === null)
        fields['key.tolerance'] = `Поле «Допустимая погрешность» должно быть числом, ${NUMBER_HINT}.`;
      body = { ...base, key: { value, tolerance } };
      break;
    }
    case 'matching': {
      const pairs = Object.fromEntries(left.map((l) => [l.id, right.find((r) => r.text === l.right)?.id ?? '']));
      body = {
        ...base,
        left: left.map(({ id, text }) => ({ id, text })),
        right,
        key: { pairs, scoring: draft.scoring },
      };
      break;
    }
    case 'ordering':
      body = { ...base, items, key: { order: items.map((i) => i.id) } };
      break;
    case 'open': {
      const rowsTyped = draft.criteria.filter((c) => c.title.trim() || c.points.trim());
      const criteria = rowsTyped.map((c) => ({ title: c.title.trim(), points: parsePoints(c.points) }));
      if (criteria.some((c) => c.points === null))
        fields['key.criteria'] = `Критерии: баллы каждого критерия должны быть числом, ${NUMBER_HINT}.`;
      const key: Record<string, unknown> = {};
      if (draft.guidance.trim()) key.guidance = draft.guidance;
      if (criteria.length) key.criteria = criteria;
      body = { ...base, key };
      break;
    }
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, body };
}

/** The places in the form where a message is shown; the API's field names map onto them. */
export type Slot =
  | 'kind'
  | 'prompt'
  | 'points'
  | 'options'
  | 'scoring'
  | 'accepted'
  | 'value'
  | 'tolerance'
  | 'pairs'
  | 'items'
  | 'guidance'
  | 'criteria';

const SLOTS: [RegExp, Slot][] = [
  [/^kind/, 'kind'],
  [/^prompt/, 'prompt'],
  [/^points/, 'points'],
  [/^(options|key\.correct)/, 'options'],
  [/^key\.scoring/, 'scoring'],
  [/^key\.accepted/, 'accepted'],
  [/^key\.value/, 'value'],
  [/^key\.tolerance/, 'tolerance'],
  [/^(left|right|key\.pairs)/, 'pairs'],
  [/^(items|key\.order)/, 'items'],
  [/^key\.guidance/, 'guidance'],
  [/^key\.criteria/, 'criteria'],
];

export const slotOf = (field: string): Slot | null => SLOTS.find(([re]) => re.test(field))?.[1] ?? null;

/** The messages for each place in the form; a field the form has no place for is left to the summary above it. */
export function messagesBySlot(fields: Record<string, string> | undefined): Partial<Record<Slot, string>> {
  const out: Partial<Record<Slot, string>> = {};
  for (const [field, message] of Object.entries(fields ?? {})) {
    const slot = slotOf(field);
    if (slot) out[slot] = out[slot] ? `${out[slot]} ${message}` : message;
  }
  return out;
}

/** Moves one row of a list by one place (up: -1, down: 1); returns whether it moved. */
export function moveRow<T>(list: T[], index: number, by: -1 | 1): boolean {
  const target = index + by;
  if (target < 0 || target >= list.length) return false;
  [list[index], list[target]] = [list[target], list[index]];
  return true;
}

/** A rotation by one, so that the preview does not show the right column or the items in their correct order. */
const rotated = <T>(list: T[]): T[] => (list.length > 1 ? [...list.slice(1), list[0]] : list);

/** The task as a student sees it, without its key: what the preview shows. */
export function previewTask(draft: TaskDraft): StudentTaskDto {
  const { options, left, right, items } = parts(draft);
  const view: StudentTaskDto = {
    id: 'preview',
    kind: draft.kind,
    prompt: draft.prompt.trim() || '(условие не заполнено)',
    points: parsePoints(draft.points) ?? 0,
  };
  if (draft.kind === 'single' || draft.kind === 'multiple')
    view.options = options.map(({ id, text }) => ({ id, text }));
  if (draft.kind === 'matching') {
    view.left = left.map(({ id, text }) => ({ id, text }));
    view.right = rotated(right);
  }
  if (draft.kind === 'ordering') view.items = rotated(items);
  return view;
}

/** The key in words, for the list of tasks. */
export function keyLines(task: TaskBody): string[] {
  const key = task.key as Record<string, unknown>;
  const text = (list: Option[] | undefined, id: unknown) => list?.find((o) => o.id === id)?.text ?? String(id);
  const quoted = (s: string) => `«${s}»`;
  const scoring =
    key.scoring === 'partial' ? 'частичный балл за частично верный ответ' : 'балл только за полностью верный ответ';
  switch (task.kind) {
    case 'single':
      return [`Верный ответ: ${quoted(text(task.options, key.correct))}`];
    case 'multiple':
      return [
        `Верные ответы: ${asList(key.correct)
          .map((id) => quoted(text(task.options, id)))
          .join(', ')}`,
        `Оценивание: ${scoring}`,
      ];
    case 'text':
      return [`Принимаемые ответы: ${asList(key.accepted).map(quoted).join(', ')}`];
    case 'number': {
      const tolerance = typeof key.tolerance === 'number' && key.tolerance > 0 ? ` (± ${decimal(key.tolerance)})` : '';
      return [`Верный ответ: ${decimal(key.value)}${tolerance}`];
    }
    case 'matching': {
      const pairs = (key.pairs ?? {}) as Record<string, string>;
      return [
        ...(task.left ?? []).map((l) => `${l.text} — ${text(task.right, pairs[l.id])}`),
        `Оценивание: ${scoring}`,
      ];
    }
    case 'ordering':
      return asList(key.order).map((id, i) => `${i + 1}. ${text(task.items, id)}`);
    case 'open': {
      const criteria = Array.isArray(key.criteria) ? (key.criteria as { title: string; points: number }[]) : [];
      return [
        ...criteria.map((c) => `Критерий «${c.title}»: ${formatPoints(c.points)} балл.`),
        ...(typeof key.guidance === 'string' && key.guidance ? [`Указания жюри: ${key.guidance}`] : []),
        ...(criteria.length ? [] : ['Жюри ставит один балл за задание']),
      ];
    }
  }
}
