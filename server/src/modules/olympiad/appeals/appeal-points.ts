import type { Db } from '@konkurs/db';

/** The points an appeal's decision gave a task of an attempt, by "attemptId/taskId". */
export async function appealOverrides(db: Db, olympiadId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('olympiad_appeals')
    .select(['attempt_id', 'task_id', 'new_points'])
    .where('olympiad_id', '=', olympiadId)
    .where('decision', 'is not', null)
    .execute();
  return new Map(rows.filter((r) => r.new_points !== null).map((r) => [`${r.attempt_id}/${r.task_id}`, r.new_points!]));
}
