import { sql, type Db } from '@konkurs/db';

/**
 * Open answers and their grades. Every open answer of a closed attempt is graded blind by two different graders
 * (rounds 1 and 2); when their points differ by more than the olympiad's threshold the answer is disputed and the
 * chair's grade (round 3) is final; otherwise the final points are the mean of the two, rounded to 0.5.
 * A blank answer needs no grader: it is worth 0.
 */
export interface GradeRow {
  round: number;
  points: number;
  criteriaPoints: number[] | null;
  comment: string;
  graderId: string;
  graderName: string;
}

export type OpenState = 'waiting' | 'disputed' | 'final';

/** Pure: the state and the final points of one answer. */
export function finalOpenPoints(
  grades: { round: number; points: number }[],
  threshold: number,
): { state: OpenState; points: number | null } {
  const decision = grades.find((g) => g.round === 3);
  if (decision) return { state: 'final', points: decision.points };
  const blind = grades.filter((g) => g.round < 3);
  if (blind.length < 2) return { state: 'waiting', points: null };
  const [a, b] = blind;
  // A hair of tolerance, so that 2 against 4 with the threshold 2 is not a dispute.
  if (Math.abs(a.points - b.points) > threshold + 1e-9) return { state: 'disputed', points: null };
  return { state: 'final', points: roundHalf((a.points + b.points) / 2) };
}

/** Rounded to the nearest 0.5 (halves up). */
export const roundHalf = (n: number) => Math.round(n * 2) / 2;

export interface OpenAnswer {
  attemptId: string;
  taskId: string;
  taskNumber: number;
  cipher: string;
  text: string;
  maxPoints: number;
  grades: GradeRow[];
  state: OpenState;
  points: number | null;
}

const cipherOrder = new Intl.Collator('ru').compare;

/** Every answered open task of the olympiad's closed attempts, with its grades, state and final points. */
export async function loadOpenAnswers(
  db: Db,
  olympiadId: string,
  /** Only this attempt's (one student's work), not the whole olympiad's. */
  attemptId?: string,
): Promise<OpenAnswer[]> {
  const olympiad = await db
    .selectFrom('olympiads')
    .select('open_grade_threshold')
    .where('id', '=', olympiadId)
    .executeTakeFirst();
  if (!olympiad) return [];
  const tasks = await db
    .selectFrom('olympiad_tasks')
    .select(['id', 'kind', 'points'])
    .where('olympiad_id', '=', olympiadId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const numberOf = new Map(tasks.map((t, i) => [t.id, i + 1]));
  const rows = await db
    .selectFrom('olympiad_answers as ans')
    .innerJoin('olympiad_attempts as a', 'a.id', 'ans.attempt_id')
    .innerJoin('olympiad_participants as p', 'p.id', 'a.participant_id')
    .innerJoin('olympiad_tasks as t', 't.id', 'ans.task_id')
    .select([
      'ans.attempt_id',
      'ans.task_id',
      'p.cipher',
      't.points',
      sql<string>`coalesce(ans.answer->>'text', '')`.as('text'),
    ])
    .where('a.olympiad_id', '=', olympiadId)
    .$if(attemptId !== undefined, (q) => q.where('a.id', '=', attemptId!))
    .where('a.closed_at', 'is not', null)
    .where('a.voided_at', 'is', null)
    .where('t.kind', '=', 'open')
    .where(sql<boolean>`trim(coalesce(ans.answer->>'text', '')) <> ''`)
    .execute();
  const grades = rows.length
    ? await db
        .selectFrom('olympiad_open_grades as g')
        .innerJoin('users as u', 'u.id', 'g.grader_id')
        .select([
          'g.attempt_id',
          'g.task_id',
          'g.round',
          'g.points',
          'g.criteria_points',
          'g.comment',
          'g.grader_id',
          'u.last_name',
          'u.first_name',
          'u.middle_name',
        ])
        .innerJoin('olympiad_attempts as a', 'a.id', 'g.attempt_id')
        .where('a.olympiad_id', '=', olympiadId)
        .$if(attemptId !== undefined, (q) => q.where('a.id', '=', attemptId!))
        .orderBy('g.round')
        .execute()
    : [];
  const gradesBy = new Map<string, GradeRow[]>();
  for (const g of grades) {
    const key = `${g.attempt_id}/${g.task_id}`;
    const list = gradesBy.get(key) ?? [];
    list.push({
      round: g.round,
      points: g.points,
      criteriaPoints: g.criteria_points,
      comment: g.comment,
      graderId: g.grader_id,
      graderName: [g.last_name, g.first_name, g.middle_name].filter(Boolean).join(' '),
    });
    gradesBy.set(key, list);
  }
  return rows
    .map((r) => {
      const list = gradesBy.get(`${r.attempt_id}/${r.task_id}`) ?? [];
      const final = finalOpenPoints(list, olympiad.open_grade_threshold);
      return {
        attemptId: r.attempt_id,
        taskId: r.task_id,
        taskNumber: numberOf.get(r.task_id) ?? 0,
        cipher: r.cipher,
        text: r.text,
        maxPoints: r.points,
        grades: list,
        state: final.state,
        points: final.points,
      };
    })
    .sort((x, y) => cipherOrder(x.cipher, y.cipher) || x.taskNumber - y.taskNumber);
}
