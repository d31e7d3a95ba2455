import type { Db } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import { fullName } from '../../auth/present.ts';
import { findContest, type Actor } from '../../contests/service.ts';
import type { FormField } from '../../forms/definition.ts';
import { planAssignments, sameMunicipality } from './assignment.ts';
import type { AssignResult, AutoAssignResult, CellState, MatrixResponse } from '../members/setup-schemas.ts';

type Contest = Awaited<ReturnType<typeof findContest>>;

interface Entry {
  id: string;
  registrationNumber: string | null;
  title: string;
  nominationId: string;
  nomination: string;
  municipality: string | null;
  applicantId: string;
}

/** What names an entry for the organizer: the first text answer of its form (e.g. the TOS name), else its number. */
function entryTitle(fields: FormField[], answers: Record<string, unknown>, registrationNumber: string | null): string {
  for (const f of fields) {
    const value = answers[f.key];
    if (f.kind === 'text' && typeof value === 'string' && value.trim()) return value.trim();
  }
  return registrationNumber ?? 'Заявка без номера';
}

/** The contest's entries (accepted applications), by nomination and number. */
async function loadEntries(db: Db, contest: Contest): Promise<Entry[]> {
  const rows = await db
    .selectFrom('applications as a')
    .innerJoin('nominations as n', 'n.id', 'a.nomination_id')
    .innerJoin('application_forms as f', 'f.id', 'a.form_id')
    .select([
      'a.id',
      'a.registration_number',
      'a.answers',
      'a.nomination_id',
      'a.applicant_id',
      'n.title as nomination',
      'f.fields',
    ])
    .where('a.contest_id', '=', contest.id)
    .where('a.status', '=', 'accepted')
    .orderBy('n.position')
    .orderBy('a.registration_number')
    .orderBy('a.id')
    .execute();
  const field = contest.jury_municipality_field;
  return rows.map((r) => {
    const municipality = field ? r.answers[field] : null;
    return {
      id: r.id,
      registrationNumber: r.registration_number,
      nominationId: r.nomination_id,
      nomination: r.nomination,
      title: entryTitle(r.fields as FormField[], r.answers, r.registration_number),
      municipality: typeof municipality === 'string' && municipality.trim() ? municipality.trim() : null,
      applicantId: r.applicant_id,
    };
  });
}

/** Members in a stable order (by name, then id): automatic assignment breaks ties in this order. */
async function loadJurors(db: Db, contestId: string) {
  const rows = await db
    .selectFrom('jury_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.municipality', 'u.last_name', 'u.first_name', 'u.middle_name'])
    .where('m.contest_id', '=', contestId)
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('m.user_id')
    .execute();
  return rows.map((r) => ({
    id: r.user_id,
    municipality: r.municipality,
    fullName: fullName({ lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name }),
  }));
}

const pairs = (db: Db, table: 'jury_assignments' | 'jury_conflicts', contestId: string) =>
  db
    .selectFrom(table)
    .select(['application_id as applicationId', 'juror_id as jurorId'])
    .where('contest_id', '=', contestId)
    .execute();

export async function assignmentMatrix(db: Db, contestId: string): Promise<MatrixResponse> {
  const contest = await findContest(db, { id: contestId }, { includeArchived: true });
  const [entries, jurors, assignments, conflicts, sheets] = await Promise.all([
    loadEntries(db, contest),
    loadJurors(db, contestId),
    pairs(db, 'jury_assignments', contestId),
    pairs(db, 'jury_conflicts', contestId),
    db
      .selectFrom('score_sheets')
      .select(['application_id', 'juror_id', 'status'])
      .where('contest_id', '=', contestId)
      .execute(),
  ]);
  const key = (a: string, j: string) => `${a}|${j}`;
  const state = new Map<string, CellState>();
  for (const a of assignments) state.set(key(a.applicationId, a.jurorId), 'assigned');
  for (const s of sheets) state.set(key(s.application_id, s.juror_id), s.status);
  for (const c of conflicts) state.set(key(c.applicationId, c.jurorId), 'conflict');
  const load = new Map<string, number>();
  for (const a of assignments) load.set(a.jurorId, (load.get(a.jurorId) ?? 0) + 1);
  return {
    perEntry: contest.jury_per_entry,
    avoidOwnMunicipality: contest.jury_avoid_own_municipality,
    jurors: jurors.map((j) => ({
      id: j.id,
      fullName: j.fullName,
      municipality: j.municipality,
      load: load.get(j.id) ?? 0,
    })),
    entries: entries.map((e) => {
      const cells = Object.fromEntries(jurors.map((j) => [j.id, state.get(key(e.id, j.id)) ?? 'none'])) as Record<
        string,
        CellState
      >;
      return {
        id: e.id,
        registrationNumber: e.registrationNumber,
        title: e.title,
        nomination: e.nomination,
        municipality: e.municipality,
        assigned: Object.values(cells).filter((s) => s === 'assigned' || s === 'draft' || s === 'submitted').length,
        cells,
      };
    }),
  };
}

/** Gives every entry K jurors (see assignment.ts); keeps what is assigned, inserts the rest, reports what fell short. */
export async function autoAssign(db: Db, contestId: string, actor: Actor): Promise<AutoAssignResult> {
  const contest = await findContest(db, { id: contestId }, { includeArchived: true });
  return db.transaction().execute(async (trx) => {
    // One query at a time: a transaction holds a single connection.
    const entries = await loadEntries(trx, contest);
    const jurors = await loadJurors(trx, contestId);
    const existing = await pairs(trx, 'jury_assignments', contestId);
    // Nobody scores their own entry: it counts as a conflict (an applicant cannot join the jury, but one may have
    // been added before that rule).
    const memberIds = new Set(jurors.map((j) => j.id));
    const own = entries
      .filter((e) => memberIds.has(e.applicantId))
      .map((e) => ({ applicationId: e.id, jurorId: e.applicantId }));
    const conflicts = [...(await pairs(trx, 'jury_conflicts', contestId)), ...own];
    const plan = planAssignments({
      entries,
      jurors,
      existing,
      conflicts,
      perEntry: contest.jury_per_entry,
      avoidOwnMunicipality: contest.jury_avoid_own_municipality,
    });
    if (plan.assignments.length) {
      await trx
        .insertInto('jury_assignments')
        .values(
          plan.assignments.map((a) => ({
            application_id: a.applicationId,
            juror_id: a.jurorId,
            contest_id: contestId,
            assigned_by: actor.id,
          })),
        )
        .onConflict((oc) => oc.columns(['application_id', 'juror_id']).doNothing())
        .execute();
    }
    const title = new Map(
      entries.map((e) => [e.id, e.registrationNumber ? `${e.registrationNumber} · ${e.title}` : e.title]),
    );
    const shortfalls = plan.shortfalls.map((s) => ({
      applicationId: s.applicationId,
      title: title.get(s.applicationId)!,
      have: s.have,
      need: s.need,
      reason: s.reason,
    }));
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.assign.auto',
      entity: 'contest',
      entityId: contestId,
      after: {
        perEntry: contest.jury_per_entry,
        avoidOwnMunicipality: contest.jury_avoid_own_municipality,
        created: plan.assignments,
        shortfalls: shortfalls.map((s) => s.applicationId),
      },
      ip: actor.ip,
    });
    const message =
      entries.length === 0
        ? 'В конкурсе нет принятых заявок: распределять нечего.'
        : `Назначено новых оценок: ${plan.assignments.length}.${shortfalls.length ? ` Не удалось набрать ${contest.jury_per_entry} членов жюри для заявок: ${shortfalls.length}.` : ` У каждой заявки ${contest.jury_per_entry} членов жюри.`}`;
    return { created: plan.assignments.length, shortfalls, message };
  });
}

/** Assigns by hand. A juror from the entry's own municipality is allowed with a warning: the organizer may know better. */
export async function assignManually(
  db: Db,
  contestId: string,
  applicationId: string,
  jurorId: string,
  actor: Actor,
): Promise<AssignResult> {
  const contest = await findContest(db, { id: contestId }, { includeArchived: true });
  const application = await db
    .selectFrom('applications')
    .select(['id', 'status', 'answers', 'applicant_id'])
    .where('id', '=', applicationId)
    .where('contest_id', '=', contestId)
    .executeTakeFirst();
  if (!application)
    throw new AppError('validation', 'Заявка не относится к этому конкурсу.', {
      applicationId: 'Заявка не найдена.',
    });
  if (application.status !== 'accepted')
    throw new AppError('not_accepted', 'Назначать членов жюри можно только на принятые заявки.', {
      applicationId: 'Заявка не принята.',
    });
  const member = await db
    .selectFrom('jury_members')
    .select(['municipality'])
    .where('contest_id', '=', contestId)
    .where('user_id', '=', jurorId)
    .executeTakeFirst();
  if (!member)
    throw new AppError('validation', 'Назначить можно только члена жюри этого конкурса.', {
      jurorId: 'Этого человека нет в жюри.',
    });
  if (application.applicant_id === jurorId)
    throw new AppError('own_entry', 'Это заявка самого члена жюри: оценивать свою заявку нельзя.', {
      jurorId: 'Это его собственная заявка.',
    });
  const conflict = await db
    .selectFrom('jury_conflicts')
    .select('reason')
    .where('application_id', '=', applicationId)
    .where('juror_id', '=', jurorId)
    .executeTakeFirst();
  if (conflict)
    throw new AppError(
      'conflict_of_interest',
      `Член жюри заявил о конфликте интересов с этой заявкой: «${conflict.reason}». Назначить его нельзя.`,
    );

  const field = contest.jury_municipality_field;
  const entryMunicipality =
    field && typeof application.answers[field] === 'string' ? (application.answers[field] as string) : null;
  const warning = sameMunicipality(entryMunicipality, member.municipality)
    ? `Член жюри из того же муниципалитета, что и заявка (${entryMunicipality!.trim()}).`
    : null;
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('jury_assignments')
      .values({ application_id: applicationId, juror_id: jurorId, contest_id: contestId, assigned_by: actor.id })
      .onConflict((oc) => oc.columns(['application_id', 'juror_id']).doNothing())
      .returning('juror_id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('already_assigned', 'Этот член жюри уже назначен на заявку.');
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.assign',
      entity: 'application',
      entityId: applicationId,
      after: { jurorId, warning },
      ip: actor.ip,
    });
  });
  return { warning, message: warning ? `Назначение сохранено. Внимание: ${warning}` : 'Назначение сохранено.' };
}

/** Takes the entry from the juror, with their draft sheet; refused once the juror has submitted a sheet for it. */
export async function unassign(
  db: Db,
  contestId: string,
  applicationId: string,
  jurorId: string,
  actor: Actor,
): Promise<void> {
  await findContest(db, { id: contestId }, { includeArchived: true });
  await db.transaction().execute(async (trx) => {
    const assignment = await trx
      .selectFrom('jury_assignments')
      .select('juror_id')
      .where('contest_id', '=', contestId)
      .where('application_id', '=', applicationId)
      .where('juror_id', '=', jurorId)
      .executeTakeFirst();
    if (!assignment) throw notFound('Такого назначения нет.');
    const sheet = await trx
      .selectFrom('score_sheets')
      .select(['id', 'status'])
      .where('application_id', '=', applicationId)
      .where('juror_id', '=', jurorId)
      .executeTakeFirst();
    if (sheet?.status === 'submitted')
      throw new AppError(
        'sheet_submitted',
        'Снять назначение нельзя: член жюри уже отправил оценочный лист по этой заявке.',
      );
    if (sheet) await trx.deleteFrom('score_sheets').where('id', '=', sheet.id).execute();
    await trx
      .deleteFrom('jury_assignments')
      .where('application_id', '=', applicationId)
      .where('juror_id', '=', jurorId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'jury.unassign',
      entity: 'application',
      entityId: applicationId,
      before: { jurorId, draftSheet: !!sheet },
      ip: actor.ip,
    });
  });
}
