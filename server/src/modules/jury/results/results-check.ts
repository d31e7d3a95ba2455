import type { Db } from '@konkurs/db';
import { AppError } from '../../../http/errors.ts';
import type { ResultsCheck } from './results-schemas.ts';
import { computeContestResults, type ContestRow } from './results-service.ts';

/** Scores are stored as double precision; a recomputation may differ in the last bits only. */
const SAME_SCORE = 1e-9;

/**
 * «Проверить итоги»: recomputes every result from the score sheets, the rubric and the overrides as they are now,
 * and compares it with the published snapshot that the public page, the applicants and the certificates read.
 * Each difference names the entry, what differs, and both values; none means the snapshot is what the sheets give.
 */
export async function checkPublishedResults(db: Db, contest: ContestRow): Promise<ResultsCheck> {
  if (!contest.results_published_at) throw new AppError('not_published', 'Итоги не опубликованы: проверять нечего.');
  const [table, published] = await Promise.all([
    computeContestResults(db, contest, 'organizer'),
    db
      .selectFrom('contest_results as r')
      .innerJoin('applications as a', 'a.id', 'r.application_id')
      .select(['r.application_id', 'r.nomination_id', 'r.place', 'r.rank', 'r.score', 'a.registration_number'])
      .where('r.contest_id', '=', contest.id)
      .execute(),
  ]);
  const stored = new Map(published.map((r) => [r.application_id, r]));
  const differences: ResultsCheck['differences'] = [];
  let checked = 0;
  for (const nomination of table.nominations) {
    for (const e of nomination.entries) {
      checked++;
      const entry = {
        applicationId: e.applicationId,
        registrationNumber: e.registrationNumber,
        nomination: nomination.title,
      };
      const row = stored.get(e.applicationId);
      stored.delete(e.applicationId);
      if (!row) {
        differences.push({ ...entry, what: 'missing', published: null, recomputed: e.finalPlace });
        continue;
      }
      if (row.nomination_id !== nomination.id)
        differences.push({ ...entry, what: 'nomination', published: null, recomputed: null });
      if (row.place !== e.finalPlace)
        differences.push({ ...entry, what: 'place', published: row.place, recomputed: e.finalPlace });
      if (row.rank !== e.rank) differences.push({ ...entry, what: 'rank', published: row.rank, recomputed: e.rank });
      const sameScore =
        row.score === null || e.score === null ? row.score === e.score : Math.abs(row.score - e.score) <= SAME_SCORE;
      if (!sameScore) differences.push({ ...entry, what: 'score', published: row.score, recomputed: e.score });
    }
  }
  // Published rows for entries the sheets no longer give (withdrawn, moved to another contest).
  for (const row of stored.values())
    differences.push({
      applicationId: row.application_id,
      registrationNumber: row.registration_number,
      nomination: table.nominations.find((n) => n.id === row.nomination_id)?.title ?? '',
      what: 'extra',
      published: row.place,
      recomputed: null,
    });
  return { checked, published: published.length, differences };
}
