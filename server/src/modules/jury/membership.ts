import type { Db } from '@konkurs/db';

export interface JuryMembership {
  contestId: string;
  userId: string;
  isChair: boolean;
  municipality: string | null;
}

/** The user's place on the contest's jury, or null when they are not on it. */
export async function juryMembership(db: Db, contestId: string, userId: string): Promise<JuryMembership | null> {
  const row = await db
    .selectFrom('jury_members')
    .select(['contest_id', 'user_id', 'is_chair', 'municipality'])
    .where('contest_id', '=', contestId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row
    ? { contestId: row.contest_id, userId: row.user_id, isChair: row.is_chair, municipality: row.municipality }
    : null;
}

/**
 * Whether the juror may read this entry: assigned to it and no conflict declared. Every juror route asks this
 * before it shows anything of an entry.
 */
export async function jurorMayRead(db: Db, applicationId: string, jurorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('jury_assignments as a')
    .leftJoin('jury_conflicts as c', (join) =>
      join.onRef('c.application_id', '=', 'a.application_id').onRef('c.juror_id', '=', 'a.juror_id'),
    )
    .select(['a.application_id', 'c.reason'])
    .where('a.application_id', '=', applicationId)
    .where('a.juror_id', '=', jurorId)
    .executeTakeFirst();
  return !!row && row.reason === null;
}
