import { describe, expect, test } from 'vitest';
import { registerUser, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { createOlympiad, enrolStudents, importTasks, TASK_SET } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;
let organizerId: string;

withOrganizer((s) => ({ t, app, organizer, organizerId } = s));

const url = (olympiadId: string, rest = '') => `/api/olympiads/${olympiadId}/tasks${rest}`;
type Listed = { id: string; kind: string; position: number; prompt: string };
const listTasks = async (olympiadId: string, cookie = organizer) =>
  (await app.inject({ method: 'GET', url: url(olympiadId), headers: { cookie } })).json() as {
    olympiad: { attemptsStarted: boolean };
    tasks: Listed[];
  };

describe('the organizer puts the tasks in order before the start', () => {
  test('a new order is stored, audited and is the order a student is given', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const before = await listTasks(olympiadId);
    expect(before.olympiad.attemptsStarted).toBe(false);
    const ids = before.tasks.map((x) => x.id);
    const wanted = [ids[3], ...ids.filter((id) => id !== ids[3])].reverse();
    const res = await app.inject({
      method: 'PUT',
      url: url(olympiadId, '/order'),
      headers: { cookie: organizer },
      payload: { taskIds: wanted },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().tasks.map((x: Listed) => x.id)).toEqual(wanted);
    expect(res.json().tasks.map((x: Listed) => x.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await listTasks(olympiadId)).tasks.map((x) => x.id)).toEqual(wanted);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'before', 'after'])
      .where('action', '=', 'olympiad.tasks.reorder')
      .where('entity_id', '=', olympiadId)
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(organizerId);
    expect(audit.before).toEqual({ taskIds: ids });
    expect(audit.after).toEqual({ taskIds: wanted });

    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    const begun = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/attempt`,
      headers: { cookie: student.cookie },
    });
    expect(begun.statusCode, begun.body).toBe(200);
    expect(begun.json().tasks.map((x: { id: string }) => x.id)).toEqual(wanted);
  });

  test('a list that leaves out, repeats or adds a task is refused with a Russian message and changes nothing', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const other = await createOlympiad(t.db);
    await importTasks(app, organizer, other);
    const ids = (await listTasks(olympiadId)).tasks.map((x) => x.id);
    const foreign = (await listTasks(other)).tasks[0].id;
    for (const taskIds of [ids.slice(1), [...ids.slice(1), foreign], [...ids, foreign]]) {
      const res = await app.inject({
        method: 'PUT',
        url: url(olympiadId, '/order'),
        headers: { cookie: organizer },
        payload: { taskIds: [...taskIds].reverse() },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields.taskIds).toContain('Порядок заданий');
    }
    const repeated = await app.inject({
      method: 'PUT',
      url: url(olympiadId, '/order'),
      headers: { cookie: organizer },
      payload: { taskIds: [ids[0], ...ids.slice(0, -1)] },
    });
    expect(repeated.statusCode).toBe(400);
    expect((await listTasks(olympiadId)).tasks.map((x) => x.id)).toEqual(ids);
  });
});

describe('once a student has started', () => {
  test('editing, reordering and deleting a task are refused, the list says so, and nothing changes', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const before = await listTasks(olympiadId);
    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    const begun = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/attempt`,
      headers: { cookie: student.cookie },
    });
    expect(begun.statusCode).toBe(200);
    const ids = before.tasks.map((x) => x.id);
    const requests = [
      ['PUT', url(olympiadId, `/${ids[0]}`), { ...TASK_SET.tasks[0], prompt: 'Другое условие' }],
      ['PUT', url(olympiadId, '/order'), { taskIds: [...ids].reverse() }],
      ['DELETE', url(olympiadId, `/${ids[0]}`), undefined],
    ] as const;
    for (const [method, path, payload] of requests) {
      const res = await app.inject({ method, url: path, headers: { cookie: organizer }, payload });
      expect(res.statusCode, `${method} ${path}`).toBe(409);
      expect(res.json().error.message).toContain('уже начали');
    }
    const after = await listTasks(olympiadId);
    expect(after.olympiad.attemptsStarted).toBe(true);
    expect(after.tasks).toEqual(before.tasks);
  });
});

describe('permissions', () => {
  test('only an organizer edits a task or changes the order: a student, an applicant and a stranger are refused', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const before = await listTasks(olympiadId);
    const ids = before.tasks.map((x) => x.id);
    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    const applicant = await registerUser(app);
    const requests = [
      ['PUT', url(olympiadId, `/${ids[0]}`), { ...TASK_SET.tasks[0], prompt: 'Другое условие' }],
      ['PUT', url(olympiadId, '/order'), { taskIds: [...ids].reverse() }],
    ] as const;
    for (const cookie of [student.cookie, applicant.cookie, undefined]) {
      for (const [method, path, payload] of requests) {
        const res = await app.inject({ method, url: path, headers: cookie ? { cookie } : {}, payload });
        expect(res.statusCode, `${method} ${path}`).toBe(cookie ? 403 : 401);
      }
    }
    expect((await listTasks(olympiadId)).tasks).toEqual(before.tasks);
  });

  test('reordering an unknown olympiad is a Russian 404', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: url('00000000-0000-4000-8000-000000000000', '/order'),
      headers: { cookie: organizer },
      payload: { taskIds: ['00000000-0000-4000-8000-000000000001'] },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('Олимпиада не найдена.');
  });
});
