import { describe, expect, test } from 'vitest';
import { checkTask, type TaskDefinition } from '../../server/src/modules/olympiad/tasks/tasks.ts';
import {
  definitionFromDraft,
  draftFromForm,
  draftFromTask,
  emptyDraft,
  keyLines,
  messagesBySlot,
  previewTask,
  type TaskBody,
} from '../../web/src/lib/olympiad/task-draft.ts';
import { TASK_SET } from '../helpers/olympiad.ts';

const tasks = TASK_SET.tasks as unknown as TaskBody[];

/** The form as the editor sends it for a draft (TaskEditor.svelte's field names). */
function formOf(draft: ReturnType<typeof emptyDraft>): FormData {
  const form = new FormData();
  for (const [name, value] of [
    ['kind', draft.kind],
    ['prompt', draft.prompt],
    ['points', draft.points],
    ['scoring', draft.scoring],
    ['accepted', draft.accepted],
    ['value', draft.value],
    ['tolerance', draft.tolerance],
    ['guidance', draft.guidance],
  ])
    form.append(name, value);
  draft.options.forEach((o, i) => {
    form.append('optionText', o.text);
    if (o.correct) form.append('correct', String(i));
  });
  for (const p of draft.pairs) {
    form.append('pairLeft', p.left);
    form.append('pairRight', p.right);
  }
  for (const item of draft.items) form.append('item', item);
  for (const c of draft.criteria) {
    form.append('criterionTitle', c.title);
    form.append('criterionPoints', c.points);
  }
  return form;
}

describe('the task editor form', () => {
  test.each(tasks.map((t) => [t.kind, t] as const))(
    'a %s task opened for editing and saved unchanged keeps its content and key',
    (_kind, task) => {
      const draft = draftFromTask(task);
      expect(draftFromForm(formOf(draft))).toEqual(draft);
      const def = definitionFromDraft(draft);
      if (!def.ok) throw new Error(JSON.stringify(def.fields));
      expect(checkTask(def.body as TaskDefinition).ok).toBe(true);
      expect(keyLines(def.body)).toEqual(keyLines(task));
      expect(def.body.prompt).toBe(task.prompt);
      expect(def.body.points).toBe(task.points);
    },
  );

  test('a number is read with a decimal comma; a value that is not a number is named at its field', () => {
    const draft = { ...emptyDraft('number'), prompt: 'Сколько?', points: '1,5', value: '12,5', tolerance: '0,1' };
    expect(definitionFromDraft(draft)).toEqual({
      ok: true,
      body: { kind: 'number', prompt: 'Сколько?', points: 1.5, key: { value: 12.5, tolerance: 0.1 } },
    });
    const bad = definitionFromDraft({ ...draft, value: 'двенадцать', points: '1.5.1' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.fields['key.value']).toContain('«Верный ответ»');
      expect(bad.fields.points).toContain('«Баллы»');
    }
  });

  test('empty rows are left out; a right-column entry without a left one is an extra option', () => {
    const draft = {
      ...emptyDraft('matching'),
      prompt: 'Соотнесите',
      pairs: [
        { left: 'Совет', right: 'представительный' },
        { left: '', right: '' },
        { left: 'Администрация', right: 'исполнительный' },
        { left: '', right: 'судебный' },
      ],
    };
    const def = definitionFromDraft(draft);
    expect(def.ok && def.body).toMatchObject({
      left: [
        { id: 'l1', text: 'Совет' },
        { id: 'l2', text: 'Администрация' },
      ],
      right: [
        { id: 'r1', text: 'представительный' },
        { id: 'r2', text: 'исполнительный' },
        { id: 'r3', text: 'судебный' },
      ],
      key: { pairs: { l1: 'r1', l2: 'r2' }, scoring: 'partial' },
    });
  });

  test('the preview has no key, and an ordering is not shown in its correct order', () => {
    const ordering = previewTask(draftFromTask(tasks.find((t) => t.kind === 'ordering')!));
    expect(Object.keys(ordering)).not.toContain('key');
    const order = (TASK_SET.tasks.find((t) => t.kind === 'ordering')!.key as { order: string[] }).order;
    expect(ordering.items?.map((i) => i.id)).not.toEqual(order);
    expect(ordering.items).toHaveLength(order.length);
  });

  test("the API's field names are shown at the form's fields", () => {
    expect(
      messagesBySlot({
        'key.correct': 'Укажите верный вариант.',
        'options.1.text': 'Текст.',
        'key.tolerance': 'Не меньше 0.',
      }),
    ).toEqual({ options: 'Укажите верный вариант. Текст.', tolerance: 'Не меньше 0.' });
  });
});
