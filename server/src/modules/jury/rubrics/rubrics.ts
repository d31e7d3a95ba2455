import type { Db, RubricCriterion } from '@konkurs/db';

export interface RubricVersion {
  id: string;
  contestId: string;
  nominationId: string | null;
  version: number;
  criteria: RubricCriterion[];
}

/**
 * The rubric jurors score an entry of this nomination by: the latest version of the nomination's own rubric,
 * otherwise the latest version of the contest-wide one; null when the organizer has made none.
 */
export async function currentRubric(db: Db, contestId: string, nominationId: string): Promise<RubricVersion | null> {
  const row = await db
    .selectFrom('rubrics')
    .select(['id', 'contest_id', 'nomination_id', 'version', 'criteria'])
    .where('contest_id', '=', contestId)
    .where((eb) => eb.or([eb('nomination_id', '=', nominationId), eb('nomination_id', 'is', null)]))
    // A nomination's own rubric first, then the newest version.
    .orderBy((eb) => eb.case().when('nomination_id', 'is', null).then(1).else(0).end())
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    contestId: row.contest_id,
    nominationId: row.nomination_id,
    version: row.version,
    criteria: row.criteria,
  };
}

/** The highest weighted total a juror can give under these criteria. */
export function maxWeightedTotal(criteria: RubricCriterion[]): number {
  return criteria.reduce((sum, c) => sum + c.max * c.weight, 0);
}
