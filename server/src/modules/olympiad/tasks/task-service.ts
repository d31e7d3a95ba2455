import type { Db, TaskKind } from '@konkurs/db';
import { AppError, notFound } from '../../../http/errors.ts';
import { recordAudit } from '../../audit/service.ts';
import type { OrganizerTask, OrganizerTaskList, TaskSetJson } from '../schemas.ts';
import { checkTask, toDefinition, type TaskDefinition } from './tasks.ts';

export const olympiadNotFound = () => notFound('Олимпиада не найдена.');

export async function getOlympiad(db: Db, olympiadId: string) {
  const olympiad = await db.selectFrom('olympiads').selectAll().where('id', '=', olympiadId).executeTakeFirst();
  if (!olympiad) throw olympiadNotFound();
  return olympiad;
}

type TaskRow = {
  id: string;
  position: number;
  kind: TaskKind;
  prompt: string;
  points: number;
  content: unknown;
  key: unknown;
};

const toOrganizerTask = (row: TaskRow): OrganizerTask =>
  ({ id: row.id, position: row.position, ...toDefinition(row) }) as OrganizerTask;

export async function listTasks(db: Db, olympiadId: string): Promise<OrganizerTaskList> {
  const olympiad = await getOlympiad(db, olympiadId);
  const [rows, started] = await Promise.all([
    db
      .selectFrom('olympiad_tasks')
      .select(['id', 'position', 'kind', 'prompt', 'points', 'content', 'key'])
      .where('olympiad_id', '=', olympiadId)
      .orderBy('position')
      .orderBy('created_at')
      .execute(),
    anyAttempt(db, olympiadId),
  ]);
  return {
    olympiad: {
      id: olympiad.id,
      title: olympiad.title,
      shuffleTasks: olympiad.shuffle_tasks,
      shuffleOptions: olympiad.shuffle_options,
      attemptsStarted: started,
    },
    tasks: rows.map(toOrganizerTask),
    maxScore: rows.reduce((sum, t) => sum + t.points, 0),
  };
}

/** Checks a definition; throws the validation error with each field named (prefix: e.g. "tasks.3."). */
export function checkedOrThrow(def: TaskDefinition, prefix = '', label = '') {
  const checked = checkTask(def);
  if (checked.ok) return checked.task;
  const fields = Object.fromEntries(Object.entries(checked.fields).map(([f, m]) => [prefix + f, m]));
  throw new AppError('validation', `Проверьте ${label || 'задание'}. ${Object.values(checked.fields)[0]}`, fields);
}

const anyAttempt = async (db: Db, olympiadId: string): Promise<boolean> =>
  !!(await db
    .selectFrom('olympiad_attempts')
    .select('id')
    .where('olympiad_id', '=', olympiadId)
    .limit(1)
    .executeTakeFirst());

/** Tasks may change only before anyone has started: a started attempt is graded against the tasks it was given. */
async function assertNoAttempts(db: Db, olympiadId: string): Promise<void> {
  if (await anyAttempt(db, olympiadId)) {
    throw new AppError('attempts_started', 'Задания нельзя менять: участники уже начали выполнять олимпиаду.');
  }
}

const insertValues = (
  olympiadId: string,
  position: number,
  def: TaskDefinition,
  checked: ReturnType<typeof checkedOrThrow>,
) => ({
  olympiad_id: olympiadId,
  position,
  kind: def.kind,
  prompt: def.prompt.trim(),
  points: def.points,
  content: JSON.stringify(checked.content),
  key: JSON.stringify(checked.key),
});

export async function createTask(
  db: Db,
  olympiadId: string,
  def: TaskDefinition,
  actor: { id: string; ip: string },
): Promise<OrganizerTask> {
  await getOlympiad(db, olympiadId);
  const checked = checkedOrThrow(def);
  return db.transaction().execute(async (trx) => {
    await assertNoAttempts(trx, olympiadId);
    const last = await trx
      .selectFrom('olympiad_tasks')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('olympiad_id', '=', olympiadId)
      .executeTakeFirst();
    const row = await trx
      .insertInto('olympiad_tasks')
      .values(insertValues(olympiadId, Number(last?.max ?? 0) + 1, def, checked))
      .returning(['id', 'position', 'kind', 'prompt', 'points', 'content', 'key'])
      .executeTakeFirstOrThrow();
    const task = toOrganizerTask(row);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.task.create',
      entity: 'olympiad_task',
      entityId: row.id,
      after: task,
      ip: actor.ip,
    });
    return task;
  });
}

export async function updateTask(
  db: Db,
  olympiadId: string,
  taskId: string,
  def: TaskDefinition & { position?: number },
  actor: { id: string; ip: string },
): Promise<OrganizerTask> {
  const checked = checkedOrThrow(def);
  const task = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('olympiad_tasks')
      .select(['id', 'position', 'kind', 'prompt', 'points', 'content', 'key'])
      .where('id', '=', taskId)
      .where('olympiad_id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    await assertNoAttempts(trx, olympiadId);
    const values = insertValues(olympiadId, before.position, def, checked);
    const row = await trx
      .updateTable('olympiad_tasks')
      .set({
        kind: values.kind,
        prompt: values.prompt,
        points: values.points,
        content: values.content,
        key: values.key,
      })
      .where('id', '=', taskId)
      .returning(['id', 'position', 'kind', 'prompt', 'points', 'content', 'key'])
      .executeTakeFirstOrThrow();
    const after = toOrganizerTask(row);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.task.update',
      entity: 'olympiad_task',
      entityId: taskId,
      before: toOrganizerTask(before),
      after,
      ip: actor.ip,
    });
    return after;
  });
  if (!task) throw notFound('Задание не найдено.');
  return task;
}

export async function deleteTask(
  db: Db,
  olympiadId: string,
  taskId: string,
  actor: { id: string; ip: string },
): Promise<void> {
  const deleted = await db.transaction().execute(async (trx) => {
    await assertNoAttempts(trx, olympiadId);
    const row = await trx
      .deleteFrom('olympiad_tasks')
      .where('id', '=', taskId)
      .where('olympiad_id', '=', olympiadId)
      .returning(['id', 'position', 'kind', 'prompt', 'points', 'content', 'key'])
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.task.delete',
      entity: 'olympiad_task',
      entityId: taskId,
      before: toOrganizerTask(row),
      ip: actor.ip,
    });
    return true;
  });
  if (!deleted) throw notFound('Задание не найдено.');
}

/**
 * Puts the tasks in the given order (positions 1…n). The list must name every task of the olympiad once, so that a
 * page showing an old list cannot lose or duplicate a task added meanwhile.
 */
export async function reorderTasks(
  db: Db,
  olympiadId: string,
  taskIds: string[],
  actor: { id: string; ip: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const olympiad = await trx
      .selectFrom('olympiads')
      .select('id')
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!olympiad) throw olympiadNotFound();
    await assertNoAttempts(trx, olympiadId);
    const rows = await trx
      .selectFrom('olympiad_tasks')
      .select(['id', 'position'])
      .where('olympiad_id', '=', olympiadId)
      .orderBy('position')
      .orderBy('created_at')
      .execute();
    const known = new Set(rows.map((r) => r.id));
    if (taskIds.length !== rows.length || !taskIds.every((id) => known.has(id))) {
      const message = 'Поле «Порядок заданий»: перечислите все задания олимпиады по одному разу. Обновите страницу.';
      throw new AppError('validation', message, { taskIds: message });
    }
    for (const [i, id] of taskIds.entries()) {
      await trx
        .updateTable('olympiad_tasks')
        .set({ position: i + 1 })
        .where('id', '=', id)
        .execute();
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.tasks.reorder',
      entity: 'olympiad',
      entityId: olympiadId,
      before: { taskIds: rows.map((r) => r.id) },
      after: { taskIds },
      ip: actor.ip,
    });
  });
}

export async function exportTaskSet(db: Db, olympiadId: string): Promise<TaskSetJson> {
  const { olympiad, tasks } = await listTasks(db, olympiadId);
  return {
    format: 'konkurs-olympiad-tasks',
    version: 1,
    title: olympiad.title,
    tasks: tasks.map(({ id: _id, position: _position, ...def }) => def),
  } as TaskSetJson;
}

/** Imports a task set: every task is checked first, and nothing changes unless all are valid. */
export async function importTaskSet(
  db: Db,
  olympiadId: string,
  set: TaskSetJson,
  mode: 'replace' | 'append',
  actor: { id: string; ip: string },
): Promise<OrganizerTaskList> {
  await getOlympiad(db, olympiadId);
  const defs = set.tasks as TaskDefinition[];
  const checked = defs.map((def, i) => checkedOrThrow(def, `tasks.${i}.`, `задание № ${i + 1}`));
  await db.transaction().execute(async (trx) => {
    await assertNoAttempts(trx, olympiadId);
    let start = 0;
    if (mode === 'replace') {
      await trx.deleteFrom('olympiad_tasks').where('olympiad_id', '=', olympiadId).execute();
    } else {
      const last = await trx
        .selectFrom('olympiad_tasks')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('olympiad_id', '=', olympiadId)
        .executeTakeFirst();
      start = Number(last?.max ?? 0);
    }
    await trx
      .insertInto('olympiad_tasks')
      .values(defs.map((def, i) => insertValues(olympiadId, start + i + 1, def, checked[i])))
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.tasks.import',
      entity: 'olympiad',
      entityId: olympiadId,
      after: { mode, count: defs.length },
      ip: actor.ip,
    });
  });
  return listTasks(db, olympiadId);
}

export async function updateSettings(
  db: Db,
  olympiadId: string,
  settings: { shuffleTasks: boolean; shuffleOptions: boolean },
  actor: { id: string; ip: string },
): Promise<void> {
  const found = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('olympiads')
      .select(['shuffle_tasks', 'shuffle_options'])
      .where('id', '=', olympiadId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return false;
    await assertNoAttempts(trx, olympiadId);
    await trx
      .updateTable('olympiads')
      .set({ shuffle_tasks: settings.shuffleTasks, shuffle_options: settings.shuffleOptions })
      .where('id', '=', olympiadId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'olympiad.settings.update',
      entity: 'olympiad',
      entityId: olympiadId,
      before,
      after: settings,
      ip: actor.ip,
    });
    return true;
  });
  if (!found) throw olympiadNotFound();
}
