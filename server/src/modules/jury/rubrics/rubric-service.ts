import { type Db, type RubricCriterion, isUniqueViolation } from '@konkurs/db';
import { AppError } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { findContest, requireNomination, type Actor } from '../../contests/service.ts';
import { currentRubric } from './rubrics.ts';
import type { RubricBody, RubricDto, RubricSaved, RubricsResponse } from '../members/setup-schemas.ts';

export const MAX_CRITERIA = 20;
export const MAX_WEIGHT = 10;
const KEY_PATTERN = /^[A-Za-z0-9_]{1,40}$/;

type RubricRow = {
  id: string;
  nomination_id: string | null;
  version: number;
  criteria: RubricCriterion[];
  created_at: Date;
};

const isMultiple = (value: number, step: number) => Number.isInteger(Math.round((value / step) * 1e9) / 1e9);

/**
 * What JSON schema cannot check in a rubric, each problem named by the criterion and its field, e.g.
 * «Критерий 2 «Благоустройство»: минимум должен быть меньше максимума.». Keys of the result are field paths.
 */
export function checkRubric(criteria: RubricCriterion[]): Record<string, string> {
  const problems: Record<string, string> = {};
  if (criteria.length === 0) problems.criteria = 'Добавьте хотя бы один критерий оценки.';
  if (criteria.length > MAX_CRITERIA) problems.criteria = `Критериев может быть не больше ${MAX_CRITERIA}.`;
  const keys = new Map<string, number>();
  criteria.forEach((c, i) => {
    const name = `Критерий ${i + 1}${c.title.trim() ? ` «${c.title.trim()}»` : ''}`;
    const at = (field: string, message: string) => {
      problems[`criteria.${i}.${field}`] ??= `${name}: ${message}`;
    };
    if (!c.title.trim()) at('title', 'укажите название.');
    if (!KEY_PATTERN.test(c.key))
      at('key', 'ключ может содержать только латинские буквы, цифры и знак _ (до 40 символов).');
    else if (keys.has(c.key)) at('key', `ключ «${c.key}» уже есть у критерия ${keys.get(c.key)! + 1}.`);
    else keys.set(c.key, i);
    if (c.step !== 1 && c.step !== 0.5) at('step', 'шаг может быть 1 или 0,5 балла.');
    if (!Number.isFinite(c.min) || Math.abs(c.min) > 1000) at('min', 'минимум должен быть числом от −1000 до 1000.');
    if (!Number.isFinite(c.max) || Math.abs(c.max) > 1000) at('max', 'максимум должен быть числом от −1000 до 1000.');
    if (!(c.min < c.max)) at('max', 'максимум должен быть больше минимума.');
    if (c.step === 1 || c.step === 0.5) {
      const step = c.step === 1 ? '1' : '0,5';
      if (!isMultiple(c.min, c.step)) at('min', `минимум должен быть кратен шагу ${step}.`);
      if (!isMultiple(c.max, c.step)) at('max', `максимум должен быть кратен шагу ${step}.`);
    }
    if (!(c.weight > 0) || c.weight > MAX_WEIGHT) at('weight', `вес должен быть больше 0 и не больше ${MAX_WEIGHT}.`);
    c.levels.forEach((level, j) => {
      if (!(level.points >= c.min && level.points <= c.max))
        at(`levels.${j}.points`, `уровень ${j + 1}: баллы ${level.points} вне диапазона от ${c.min} до ${c.max}.`);
      else if (!level.text.trim())
        at(`levels.${j}.text`, `уровень ${j + 1}: опишите, за что ставится ${level.points}.`);
    });
  });
  return problems;
}

/** A criterion as stored: trimmed texts, levels in order of points. */
function cleanCriterion(c: RubricCriterion): RubricCriterion {
  return {
    key: c.key.trim(),
    title: c.title.trim(),
    description: c.description.trim(),
    min: c.min,
    max: c.max,
    step: c.step,
    weight: c.weight,
    levels: c.levels.map((l) => ({ points: l.points, text: l.text.trim() })).sort((a, b) => a.points - b.points),
  };
}

/** The latest version of the contest-wide rubric and of each nomination's own one. */
async function currentRows(
  db: Db,
  contestId: string,
): Promise<{ contest: RubricRow | null; byNomination: Map<string, RubricRow> }> {
  const rows = await db
    .selectFrom('rubrics')
    .select(['id', 'nomination_id', 'version', 'criteria', 'created_at'])
    .where('contest_id', '=', contestId)
    .orderBy('version', 'desc')
    .execute();
  let contest: RubricRow | null = null;
  const byNomination = new Map<string, RubricRow>();
  for (const r of rows) {
    if (r.nomination_id === null) contest ??= r;
    else if (!byNomination.has(r.nomination_id)) byNomination.set(r.nomination_id, r);
  }
  return { contest, byNomination };
}

/** Criterion keys of every current rubric of the contest (the contest-wide one first), each once. */
export async function currentCriteriaKeys(db: Db, contestId: string): Promise<Array<{ key: string; title: string }>> {
  const { contest, byNomination } = await currentRows(db, contestId);
  const seen = new Map<string, string>();
  for (const r of [contest, ...byNomination.values()])
    for (const c of r?.criteria ?? []) if (!seen.has(c.key)) seen.set(c.key, c.title);
  return [...seen].map(([key, title]) => ({ key, title }));
}

/**
 * Whether score sheets already use this rubric version: for a nomination's rubric, sheets of that nomination's
 * entries; for the contest-wide one, any sheet made under it.
 */
async function isFrozen(db: Db, rubricId: string, nominationId: string | null): Promise<boolean> {
  let q = db.selectFrom('score_sheets as s').select('s.id').where('s.rubric_id', '=', rubricId);
  if (nominationId)
    q = q.innerJoin('applications as a', 'a.id', 's.application_id').where('a.nomination_id', '=', nominationId);
  return !!(await q.limit(1).executeTakeFirst());
}

async function toDto(db: Db, r: RubricRow): Promise<RubricDto> {
  return {
    id: r.id,
    nominationId: r.nomination_id,
    version: r.version,
    criteria: r.criteria,
    frozen: await isFrozen(db, r.id, r.nomination_id),
    createdAt: r.created_at.toISOString(),
  };
}

export async function listRubrics(db: Db, contestId: string): Promise<RubricsResponse> {
  await findContest(db, { id: contestId }, { includeArchived: true });
  const { contest, byNomination } = await currentRows(db, contestId);
  const nominations = await db
    .selectFrom('nominations')
    .select(['id', 'title'])
    .where('contest_id', '=', contestId)
    .orderBy('position')
    .orderBy('title')
    .execute();
  const result: RubricsResponse = { contest: contest ? await toDto(db, contest) : null, nominations: [] };
  for (const n of nominations) {
    const own = byNomination.get(n.id);
    result.nominations.push({ id: n.id, title: n.title, own: own ? await toDto(db, own) : null });
  }
  return result;
}

/**
 * Adds a version of the contest-wide rubric (nominationId null) or of a nomination's own one; rows are never updated.
 * Refused once score sheets use the rubric that currently applies there. Tie-breakers naming a criterion that no
 * current rubric has any more are removed from the settings (unless the results are published, when nothing moves).
 */
export async function addRubricVersion(
  db: Db,
  contestId: string,
  body: RubricBody,
  actor: Actor,
): Promise<RubricSaved> {
  const contest = await findContest(db, { id: contestId }, { includeArchived: true });
  const { nominationId } = body;
  if (nominationId) await requireNomination(db, contestId, nominationId);
  const criteria = body.criteria.map((c) => ({ ...c, key: c.key.trim() }) as RubricCriterion);
  const problems = checkRubric(criteria);
  if (Object.keys(problems).length)
    throw new AppError('validation', `Проверьте критерии оценки. ${Object.values(problems)[0]}`, problems);

  try {
    return await db.transaction().execute(async (trx) => {
      // The rubric that applies here now: the nomination's own, or the contest-wide one it falls back to.
      const applying = nominationId
        ? await currentRubric(trx, contestId, nominationId)
        : await trx
            .selectFrom('rubrics')
            .select('id')
            .where('contest_id', '=', contestId)
            .where('nomination_id', 'is', null)
            .orderBy('version', 'desc')
            .limit(1)
            .executeTakeFirst();
      if (applying && (await isFrozen(trx, applying.id, nominationId))) {
        throw new AppError(
          'rubric_frozen',
          'Критерии уже используются в оценках жюри: новую версию сохранить нельзя, иначе поставленные баллы разойдутся с критериями.',
        );
      }
      let own = trx.selectFrom('rubrics').select(['version', 'criteria']).where('contest_id', '=', contestId);
      own = nominationId ? own.where('nomination_id', '=', nominationId) : own.where('nomination_id', 'is', null);
      const previous = await own.orderBy('version', 'desc').limit(1).executeTakeFirst();
      const version = (previous?.version ?? 0) + 1;
      const stored = criteria.map(cleanCriterion);
      const row = await trx
        .insertInto('rubrics')
        .values({
          contest_id: contestId,
          nomination_id: nominationId,
          version,
          criteria: JSON.stringify(stored),
          created_by: actor.id,
        })
        .returning(['id', 'nomination_id', 'version', 'criteria', 'created_at'])
        .executeTakeFirstOrThrow();

      let removedTieBreakers: string[] = [];
      if (!contest.results_published_at) {
        const keys = new Set((await currentCriteriaKeys(trx, contestId)).map((c) => c.key));
        removedTieBreakers = contest.jury_tie_breakers.filter((k) => !keys.has(k));
        if (removedTieBreakers.length) {
          await trx
            .updateTable('contests')
            .set({ jury_tie_breakers: JSON.stringify(contest.jury_tie_breakers.filter((k) => keys.has(k))) })
            .where('id', '=', contestId)
            .execute();
        }
      }
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'jury.rubric',
        entity: 'contest',
        entityId: contestId,
        before: previous ? { nominationId, version: previous.version, criteria: previous.criteria } : null,
        after: { nominationId, version, criteria: stored, removedTieBreakers },
        ip: actor.ip,
      });
      return {
        rubric: {
          id: row.id,
          nominationId: row.nomination_id,
          version: row.version,
          criteria: row.criteria,
          frozen: false,
          createdAt: row.created_at.toISOString(),
        },
        removedTieBreakers,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', 'Критерии только что сохранил другой организатор. Обновите страницу и повторите.');
    throw error;
  }
}
