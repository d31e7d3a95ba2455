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

describe('the organizer builds a task set', () => {
  test('adds a task of every kind, reads them back with keys, edits and deletes one; every change is audited', async () => {
    const olympiadId = await createOlympiad(t.db);
    for (const task of TASK_SET.tasks) {
      const res = await app.inject({
        method: 'POST',
        url: url(olympiadId),
        headers: { cookie: organizer },
        payload: task,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const list = await app.inject({ method: 'GET', url: url(olympiadId), headers: { cookie: organizer } });
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.tasks.map((x: { kind: string }) => x.kind)).toEqual([
      'single',
      'multiple',
      'text',
      'number',
      'matching',
      'ordering',
      'open',
    ]);
    expect(body.tasks.map((x: { position: number }) => x.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(body.tasks[0].key).toEqual({ correct: 'b' });
    expect(body.maxScore).toBe(19);

    const first = body.tasks[0];
    const edited = await app.inject({
      method: 'PUT',
      url: url(olympiadId, `/${first.id}`),
      headers: { cookie: organizer },
      payload: { ...TASK_SET.tasks[0], prompt: 'Когда отмечается День местного самоуправления?', points: 2 },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      id: first.id,
      position: 1,
      prompt: 'Когда отмечается День местного самоуправления?',
      points: 2,
    });

    const removed = await app.inject({
      method: 'DELETE',
      url: url(olympiadId, `/${body.tasks[6].id}`),
      headers: { cookie: organizer },
    });
    expect(removed.statusCode).toBe(200);
    const after = (await app.inject({ method: 'GET', url: url(olympiadId), headers: { cookie: organizer } })).json();
    expect(after.tasks).toHaveLength(6);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', 'like', 'olympiad.task.%')
      .execute();
    expect(audit.filter((a) => a.action === 'olympiad.task.create')).toHaveLength(7);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['olympiad.task.update', 'olympiad.task.delete']),
    );
    expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([organizerId]));
  });

  test('a key that does not fit is refused with a Russian message at the field, and nothing is stored', async () => {
    const olympiadId = await createOlympiad(t.db);
    const res = await app.inject({
      method: 'POST',
      url: url(olympiadId),
      headers: { cookie: organizer },
      payload: { ...TASK_SET.tasks[0], key: { correct: 'z' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['key.correct']).toMatch(/верный вариант/);
    const schema = await app.inject({
      method: 'POST',
      url: url(olympiadId),
      headers: { cookie: organizer },
      payload: { kind: 'essay', prompt: '', points: 0, key: {} },
    });
    expect(schema.statusCode).toBe(400);
    expect(Object.keys(schema.json().error.fields)).toEqual(expect.arrayContaining(['kind', 'prompt', 'points']));
    const list = (await app.inject({ method: 'GET', url: url(olympiadId), headers: { cookie: organizer } })).json();
    expect(list.tasks).toEqual([]);
  });

  test('exports the set as JSON and imports it back the same; a bad task in a file changes nothing', async () => {
    const source = await createOlympiad(t.db);
    await importTasks(app, organizer, source);
    const exported = await app.inject({ method: 'GET', url: url(source, '/export'), headers: { cookie: organizer } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    const set = exported.json();
    expect(set.format).toBe('konkurs-olympiad-tasks');
    expect(set.tasks).toEqual(
      TASK_SET.tasks.map((task) =>
        expect.objectContaining({ kind: task.kind, prompt: task.prompt, key: expect.objectContaining(task.key) }),
      ),
    );

    const target = await createOlympiad(t.db);
    await importTasks(app, organizer, target, set);
    const again = (
      await app.inject({ method: 'GET', url: url(target, '/export'), headers: { cookie: organizer } })
    ).json();
    expect(again.tasks).toEqual(set.tasks);

    const broken = {
      ...set,
      tasks: [
        ...set.tasks,
        {
          kind: 'ordering',
          prompt: 'Порядок',
          points: 1,
          items: [
            { id: 'a', text: 'А' },
            { id: 'b', text: 'Б' },
          ],
          key: { order: ['a'] },
        },
      ],
    };
    const refused = await app.inject({
      method: 'POST',
      url: url(target, '/import?mode=append'),
      headers: { cookie: organizer },
      payload: broken,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toHaveProperty(`tasks.${set.tasks.length}.key.order`);
    expect(refused.json().error.message).toContain(`№ ${set.tasks.length + 1}`);
    const unchanged = (await app.inject({ method: 'GET', url: url(target), headers: { cookie: organizer } })).json();
    expect(unchanged.tasks).toHaveLength(set.tasks.length);

    const appended = await app.inject({
      method: 'POST',
      url: url(target, '/import?mode=append'),
      headers: { cookie: organizer },
      payload: set,
    });
    expect(appended.statusCode).toBe(200);
    expect(appended.json().tasks).toHaveLength(set.tasks.length * 2);
  });

  test('tasks are locked once a student has started', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/attempt`,
          headers: { cookie: student.cookie },
        })
      ).statusCode,
    ).toBe(200);
    const res = await app.inject({
      method: 'POST',
      url: url(olympiadId),
      headers: { cookie: organizer },
      payload: TASK_SET.tasks[0],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('уже начали');
    const settings = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/settings`,
      headers: { cookie: organizer },
      payload: { shuffleTasks: true, shuffleOptions: true },
    });
    expect(settings.statusCode).toBe(409);
  });
});

describe('permissions', () => {
  test('only an organizer reads or changes tasks and keys: a student, an applicant and a stranger are refused', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId);
    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    const applicant = await registerUser(app);
    for (const cookie of [student.cookie, applicant.cookie]) {
      const requests = [
        ['GET', url(olympiadId), undefined],
        ['GET', url(olympiadId, '/export'), undefined],
        ['POST', url(olympiadId, '/import'), TASK_SET],
        ['POST', url(olympiadId), TASK_SET.tasks[0]],
      ] as const;
      for (const [method, path, payload] of requests) {
        const res = await app.inject({ method, url: path, headers: { cookie }, payload });
        expect(res.statusCode, `${method} ${path}`).toBe(403);
      }
    }
    expect((await app.inject({ method: 'GET', url: url(olympiadId) })).statusCode).toBe(401);
  });

  test('an unknown olympiad is a Russian 404', async () => {
    const res = await app.inject({
      method: 'GET',
      url: url('00000000-0000-4000-8000-000000000000'),
      headers: { cookie: organizer },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('Олимпиада не найдена.');
  });
});
