import type { RubricDto } from '@konkurs/server/api-types';
import { latinLowerCase } from '@konkurs/server/translit';

type Criterion = RubricDto['criteria'][number];

/** A criterion as the editor holds it: numbers as typed, levels as lines «баллы — описание». */
export interface CriterionDraft {
  key: string;
  title: string;
  description: string;
  min: string;
  max: string;
  step: string;
  weight: string;
  levels: string;
}

const decimal = (n: number) => String(n).replace('.', ',');

export function toDraft(c: Criterion): CriterionDraft {
  return {
    key: c.key,
    title: c.title,
    description: c.description,
    min: decimal(c.min),
    max: decimal(c.max),
    step: String(c.step),
    weight: decimal(c.weight),
    levels: c.levels.map((l) => `${decimal(l.points)} — ${l.text}`).join('\n'),
  };
}

export const emptyDraft = (): CriterionDraft => ({
  key: '',
  title: '',
  description: '',
  min: '0',
  max: '10',
  step: '1',
  weight: '1',
  levels: '',
});

/** A key from the title, e.g. «Работа с жителями» → rabota_s_zhitelyami (the organizer need not invent one). */
export function keyFromTitle(title: string): string {
  return (
    latinLowerCase(title)
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'criterion'
  );
}

const number = (s: string) => (s.trim() === '' ? NaN : Number(s.trim().replace(',', '.')));
const LEVEL_LINE = /^\s*(-?\d+(?:[.,]\d+)?)\s*[—–-]\s*(.+?)\s*$/;

/** Turns the editor's rows into criteria; what cannot be read is named by criterion and field (the API checks the rest). */
export function criteriaFromDrafts(
  drafts: CriterionDraft[],
): { ok: true; criteria: Criterion[] } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const used = new Set(drafts.map((d) => d.key.trim()).filter(Boolean));
  const criteria = drafts.map((d, i): Criterion => {
    const name = `Критерий ${i + 1}${d.title.trim() ? ` «${d.title.trim()}»` : ''}`;
    let key = d.key.trim();
    if (!key && d.title.trim()) {
      const stem = keyFromTitle(d.title);
      key = stem;
      for (let n = 2; used.has(key); n++) key = `${stem}_${n}`;
      used.add(key);
    }
    const values = { min: number(d.min), max: number(d.max), weight: number(d.weight) };
    const labels = { min: 'минимум', max: 'максимум', weight: 'вес' };
    for (const f of ['min', 'max', 'weight'] as const)
      if (Number.isNaN(values[f])) fields[`criteria.${i}.${f}`] = `${name}: ${labels[f]} — введите число.`;
    const levels: Criterion['levels'] = [];
    for (const line of d.levels.split('\n').filter((l) => l.trim())) {
      const m = LEVEL_LINE.exec(line);
      if (!m) {
        fields[`criteria.${i}.levels`] ??=
          `${name}: строка уровней «${line.trim()}» не прочитана — пишите «баллы — описание».`;
        continue;
      }
      levels.push({ points: Number(m[1].replace(',', '.')), text: m[2] });
    }
    return {
      key,
      title: d.title.trim(),
      description: d.description.trim(),
      min: values.min,
      max: values.max,
      step: number(d.step) as 1 | 0.5,
      weight: values.weight,
      levels,
    };
  });
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, criteria };
}
