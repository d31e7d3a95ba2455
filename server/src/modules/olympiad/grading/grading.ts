/**
 * Automatic grading of one answer against its key. Pure: no database, no clock.
 * A closed task gets points from 0 to its maximum; an open task (essay or case) gets null: the jury grades it.
 * An answer of the wrong shape (e.g. a tampered request) earns 0, never an error.
 */
import type { TaskKind } from '@konkurs/db';

export interface Option {
  id: string;
  text: string;
}

/** What the student sees besides the prompt. */
export interface TaskContent {
  /** single, multiple */
  options?: Option[];
  /** matching: the left column (each gets one of the right) */
  left?: Option[];
  /** matching: the right column */
  right?: Option[];
  /** ordering: the items to put in order */
  items?: Option[];
}

export type TaskKey =
  | { correct: string } // single
  | { correct: string[]; scoring: 'all' | 'partial' } // multiple
  | { accepted: string[] } // text
  | { value: number; tolerance: number } // number
  | { pairs: Record<string, string>; scoring: 'all' | 'partial' } // matching
  | { order: string[] } // ordering
  | { guidance?: string; criteria?: { title: string; points: number }[] }; // open: notes and criteria for the jury

export interface GradableTask {
  kind: TaskKind;
  points: number;
  key: unknown;
}

/** What a student's answer holds, by kind: single {choice}, multiple {choices}, text/number/open {text}, matching {pairs}, ordering {order}. */
export interface Answer {
  choice?: string;
  choices?: string[];
  text?: string;
  pairs?: Record<string, string>;
  order?: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Short text as compared: case, runs of spaces and ё/е do not matter. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** A number as a person types it: "12,5", " 1 000 ", "-3.25". NaN when it is not a number. */
export function parseNumber(text: string): number {
  const cleaned = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return Number.NaN;
  return Number(cleaned);
}

/** Points for one answer; null when the jury grades it (open tasks). A missing answer earns 0. */
export function gradeAnswer(task: GradableTask, answer: unknown): number | null {
  if (task.kind === 'open') return null;
  const key = isObject(task.key) ? task.key : {};
  const a: Record<string, unknown> = isObject(answer) ? answer : {};
  const full = task.points;
  switch (task.kind) {
    case 'single':
      return typeof a.choice === 'string' && a.choice === key.correct ? full : 0;
    case 'multiple': {
      const correct = new Set(strings(key.correct));
      const chosen = new Set(strings(a.choices));
      if (correct.size === 0) return 0;
      const right = [...chosen].filter((c) => correct.has(c)).length;
      const wrong = chosen.size - right;
      if (key.scoring === 'partial') {
        // Per-option credit: each correct option chosen earns its share, each wrong one chosen takes a share away; never below 0.
        return round2(Math.max(0, (right - wrong) / correct.size) * full);
      }
      return right === correct.size && wrong === 0 ? full : 0;
    }
    case 'text': {
      if (typeof a.text !== 'string' || !a.text.trim()) return 0;
      const given = normalizeText(a.text);
      return strings(key.accepted).some((s) => normalizeText(s) === given) ? full : 0;
    }
    case 'number': {
      if (typeof a.text !== 'string') return 0;
      const given = parseNumber(a.text);
      const value = Number(key.value);
      const tolerance = Math.abs(Number(key.tolerance ?? 0));
      if (!Number.isFinite(given) || !Number.isFinite(value)) return 0;
      // A tiny epsilon so that 0.1 + 0.2 against 0.3 with tolerance 0 still counts.
      return Math.abs(given - value) <= tolerance + 1e-9 ? full : 0;
    }
    case 'matching': {
      const pairs = isObject(key.pairs) ? key.pairs : {};
      const given = isObject(a.pairs) ? a.pairs : {};
      const lefts = Object.keys(pairs);
      if (lefts.length === 0) return 0;
      const right = lefts.filter((l) => given[l] !== undefined && given[l] === pairs[l]).length;
      if (key.scoring === 'partial') return round2((right / lefts.length) * full);
      return right === lefts.length ? full : 0;
    }
    case 'ordering': {
      const order = strings(key.order);
      const given = strings(a.order);
      return order.length > 0 && given.length === order.length && order.every((id, i) => given[i] === id) ? full : 0;
    }
    default:
      return 0;
  }
}

/** True when the answer holds anything at all (for the overview of unanswered tasks). */
export function isAnswered(answer: unknown): boolean {
  if (!isObject(answer)) return false;
  if (typeof answer.choice === 'string' && answer.choice) return true;
  if (strings(answer.choices).length) return true;
  if (typeof answer.text === 'string' && answer.text.trim()) return true;
  if (isObject(answer.pairs) && Object.values(answer.pairs).some((v) => typeof v === 'string' && v)) return true;
  if (strings(answer.order).length) return true;
  return false;
}
