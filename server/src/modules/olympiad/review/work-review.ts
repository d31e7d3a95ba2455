/**
 * «Показ работ», pure: a student's answer and a task's key as a reader sees them — option texts rather than ids,
 * pairs as «left — right», an order as a numbered list. Never a grader's name (work-review-service.ts decides who
 * sees names).
 */
import type { TaskKind } from '@konkurs/db';
import type { Option, TaskContent } from '../grading/grading.ts';

interface Task {
  kind: TaskKind;
  content: unknown;
  key: unknown;
}

const textOf = (list: Option[] | undefined, id: unknown) =>
  list?.find((o) => o.id === id)?.text ?? (typeof id === 'string' ? id : '');

/** The answer in words; an empty string when nothing was answered. */
export function describeAnswer(task: Task, answer: unknown): string {
  const c = (task.content ?? {}) as TaskContent;
  const a = (answer ?? {}) as Record<string, unknown>;
  switch (task.kind) {
    case 'single':
      return a.choice ? textOf(c.options, a.choice) : '';
    case 'multiple':
      return Array.isArray(a.choices) ? a.choices.map((id) => textOf(c.options, id)).join('; ') : '';
    case 'matching': {
      const pairs = (a.pairs ?? {}) as Record<string, unknown>;
      return (c.left ?? [])
        .filter((l) => pairs[l.id])
        .map((l) => `${l.text} — ${textOf(c.right, pairs[l.id])}`)
        .join('; ');
    }
    case 'ordering':
      return Array.isArray(a.order) ? a.order.map((id, i) => `${i + 1}) ${textOf(c.items, id)}`).join(' ') : '';
    default:
      return typeof a.text === 'string' ? a.text : '';
  }
}

/** The correct answer in words (an open task has none: its criteria are shown instead). */
export function describeKey(task: Task): string {
  const k = (task.key ?? {}) as Record<string, unknown>;
  switch (task.kind) {
    case 'single':
      return describeAnswer(task, { choice: k.correct });
    case 'multiple':
      return describeAnswer(task, { choices: k.correct });
    case 'text':
      return Array.isArray(k.accepted) ? k.accepted.join(' / ') : '';
    case 'number':
      return `${String(k.value).replace('.', ',')}${k.tolerance ? ` ± ${String(k.tolerance).replace('.', ',')}` : ''}`;
    case 'matching':
      return describeAnswer(task, { pairs: k.pairs });
    case 'ordering':
      return describeAnswer(task, { order: k.order });
    default:
      return typeof k.guidance === 'string' ? k.guidance : '';
  }
}
