import type { Db, RubricCriterion } from '@konkurs/db';
import { forbidden } from '../../../http/errors.ts';
import { fullName } from '../../auth/present.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { sheetState, weightedTotal } from './entry-view.ts';
import type { EntryState, JuryContestEntries, JuryContests } from './juror-schemas.ts';

interface EntryRow {
  id: string;
  contestId: string;
  nominationId: string;
  code: string;
  applicant: string | null;
  state: EntryState;
  total: number | null;
}

/**
 * The juror's entries in the given contests: assigned ones and those closed by a conflict, accepted applications
 * only, with the state of the juror's own sheet. Nothing of other jurors' sheets is read.
 */
async function jurorEntries(
  db: Db,
  jurorId: string,
  contests: Array<{ id: string; blind: boolean }>,
): Promise<EntryRow[]> {
  if (contests.length === 0) return [];
  const ids = contests.map((c) => c.id);
  const [assigned, conflicts, sheets] = await Promise.all([
    db
      .selectFrom('jury_assignments')
      .select('application_id')
      .where('juror_id', '=', jurorId)
      .where('contest_id', 'in', ids)
      .execute(),
    db
      .selectFrom('jury_conflicts')
      .select('application_id')
      .where('juror_id', '=', jurorId)
      .where('contest_id', 'in', ids)
      .execute(),
    db
      .selectFrom('score_sheets')
      .select(['application_id', 'status', 'points', 'rubric_id'])
      .where('juror_id', '=', jurorId)
      .where('contest_id', 'in', ids)
      .execute(),
  ]);
  const conflicted = new Set(conflicts.map((c) => c.application_id));
  const applicationIds = [...new Set([...assigned.map((a) => a.application_id), ...conflicted])];
  if (applicationIds.length === 0) return [];
  const rubricIds = [...new Set(sheets.map((s) => s.rubric_id))];
  const [apps, rubrics] = await Promise.all([
    db
      .selectFrom('applications as a')
      .innerJoin('users as u', 'u.id', 'a.applicant_id')
      .select([
        'a.id',
        'a.contest_id',
        'a.nomination_id',
        'a.registration_number',
        'u.last_name',
        'u.first_name',
        'u.middle_name',
      ])
      .where('a.id', 'in', applicationIds)
      .where('a.status', '=', 'accepted')
      .orderBy('a.registration_number')
      .execute(),
    rubricIds.length
      ? db.selectFrom('rubrics').select(['id', 'criteria']).where('id', 'in', rubricIds).execute()
      : Promise.resolve([]),
  ]);
  const criteria = new Map<string, RubricCriterion[]>(rubrics.map((r) => [r.id, r.criteria]));
  const sheetOf = new Map(sheets.map((s) => [s.application_id, s]));
  const blind = new Map(contests.map((c) => [c.id, c.blind]));
  return apps.map((a) => {
    const sheet = conflicted.has(a.id) ? undefined : sheetOf.get(a.id);
    return {
      id: a.id,
      contestId: a.contest_id,
      nominationId: a.nomination_id,
      code: a.registration_number ?? '',
      applicant: blind.get(a.contest_id)
        ? null
        : fullName({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }),
      state: conflicted.has(a.id) ? 'conflict' : sheetState(sheet),
      total: sheet ? weightedTotal(criteria.get(sheet.rubric_id) ?? [], sheet.points) : null,
    };
  });
}

/** «оценено N из M»: submitted sheets of the entries not closed by a conflict. */
function progress(entries: EntryRow[]) {
  const open = entries.filter((e) => e.state !== 'conflict');
  return { submitted: open.filter((e) => e.state === 'submitted').length, total: open.length };
}

async function memberships(db: Db, userId: string, contestId?: string) {
  let q = db
    .selectFrom('jury_members as m')
    .innerJoin('contests as c', 'c.id', 'm.contest_id')
    .select(['c.id', 'c.title', 'c.jury_blind', 'c.results_published_at', 'm.is_chair'])
    .where('m.user_id', '=', userId)
    .where('c.archived_at', 'is', null)
    .orderBy('c.applications_close_at', 'desc')
    .orderBy('c.title');
  if (contestId) q = q.where('c.id', '=', contestId);
  return q.execute();
}

async function nominationsOf(db: Db, contestIds: string[]) {
  if (contestIds.length === 0) return [];
  return db
    .selectFrom('nominations')
    .select(['id', 'contest_id', 'title'])
    .where('contest_id', 'in', contestIds)
    .orderBy('position')
    .orderBy('title')
    .execute();
}

/** The contests whose jury the user sits on, with progress per nomination. Someone who is on no jury is refused. */
export async function myJuryContests(db: Db, user: SessionUser): Promise<JuryContests> {
  const rows = await memberships(db, user.id);
  if (rows.length === 0 && !user.roles.includes('juror')) throw forbidden();
  const entries = await jurorEntries(
    db,
    user.id,
    rows.map((r) => ({ id: r.id, blind: r.jury_blind })),
  );
  const nominations = await nominationsOf(
    db,
    rows.map((r) => r.id),
  );
  const contests = rows.map((c) => {
    const mine = entries.filter((e) => e.contestId === c.id);
    return {
      id: c.id,
      title: c.title,
      isChair: c.is_chair,
      blind: c.jury_blind,
      resultsPublished: !!c.results_published_at,
      nominations: nominations
        .filter((n) => n.contest_id === c.id && mine.some((e) => e.nominationId === n.id))
        .map((n) => ({ id: n.id, title: n.title, progress: progress(mine.filter((e) => e.nominationId === n.id)) })),
      progress: progress(mine),
    };
  });
  // Contests with entries to score come first; the order of the query is kept otherwise.
  return { contests: [...contests].sort((a, b) => Number(b.progress.total > 0) - Number(a.progress.total > 0)) };
}

/** The member's entries of one contest, per nomination. Not a member of its jury: 403. */
export async function myContestEntries(db: Db, user: SessionUser, contestId: string): Promise<JuryContestEntries> {
  const [contest] = await memberships(db, user.id, contestId);
  if (!contest) throw forbidden();
  const entries = await jurorEntries(db, user.id, [{ id: contest.id, blind: contest.jury_blind }]);
  const nominations = await nominationsOf(db, [contest.id]);
  return {
    contest: {
      id: contest.id,
      title: contest.title,
      isChair: contest.is_chair,
      blind: contest.jury_blind,
      resultsPublished: !!contest.results_published_at,
    },
    nominations: nominations
      .map((n) => {
        const mine = entries.filter((e) => e.nominationId === n.id);
        return {
          id: n.id,
          title: n.title,
          progress: progress(mine),
          entries: mine.map(({ id, code, applicant, state, total }) => ({ id, code, applicant, state, total })),
        };
      })
      .filter((n) => n.entries.length > 0),
    progress: progress(entries),
  };
}
