import { beforeAll, describe, expect, test } from 'vitest';
import type { AuditLogEntry, AuditLogResponse } from '@konkurs/server/api-types';
import {
  createUserInDb,
  isRussian,
  registerUser,
  signIn,
  uniqueIp,
  type App,
  type Registered,
} from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { createOlympiad, importTasks } from '../helpers/olympiad.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { recordAudit } from '../../server/src/modules/audit/service.ts';

let t: TestDb;
let app: App;
let organizer: string;
let organizerId: string;
let applicant: Registered;
let olympiadId: string;

withOrganizer((s) => ({ t, app, organizer, organizerId } = s));

/**
 * The log, oldest first: the server closes an attempt at its deadline (no actor); a second organizer, Ёлкин,
 * loads an olympiad's tasks; the first organizer, Ковалёва (withOrganizer's), makes the applicant a juror too.
 */
beforeAll(async () => {
  applicant = await registerUser(app, { lastName: 'Смирнова', firstName: 'Ольга', middleName: 'Николаевна' });
  await recordAudit(t.db, {
    actorId: null,
    action: 'olympiad.attempt.deadline',
    entity: 'olympiad_attempt',
    entityId: 'attempt-closed-by-sweep',
    after: { reason: 'deadline' },
  });
  const yolkin = await createUserInDb(t.db, {
    email: 'p.yolkin@example.ru',
    lastName: 'Ёлкин',
    firstName: 'Пётр',
    middleName: 'Ильич',
    roles: ['organizer'],
  });
  olympiadId = await createOlympiad(t.db);
  await importTasks(app, await signIn(app, yolkin.email, yolkin.password, { ip: uniqueIp() }), olympiadId);
  const res = await app.inject({
    method: 'PUT',
    url: `/api/users/${applicant.user.id}/roles`,
    payload: { roles: ['applicant', 'juror'] },
    headers: { cookie: organizer },
    remoteAddress: '10.20.30.40',
  });
  expect(res.statusCode).toBe(200);
});

async function readLog(cookie: string | undefined, query: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: '/api/audit', query, headers: cookie ? { cookie } : {} });
}

async function log(query: Record<string, string> = {}): Promise<AuditLogResponse> {
  const res = await readLog(organizer, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const actions = (body: AuditLogResponse) => body.entries.map((e) => e.action);

describe('GET /api/audit', () => {
  test('an anonymous visitor gets 401, an applicant 403', async () => {
    const anonymous = await readLog(undefined);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const forbidden = await readLog(applicant.cookie);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    expect(isRussian(forbidden.json().error.message)).toBe(true);
  });

  test('the organizer finds the role change at the top, with who, the Russian label and the roles before and after', async () => {
    const body = await log();
    expect(actions(body)).toEqual(['user.roles.set', 'olympiad.tasks.import', 'olympiad.attempt.deadline']);
    expect(body.nextBefore).toBeNull();
    const [entry] = body.entries;
    expect(entry).toEqual<AuditLogEntry>({
      id: expect.any(Number),
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      actor: { id: organizerId, fullName: 'Ковалёва Ирина Петровна', email: expect.stringMatching(/@example\.ru$/) },
      action: 'user.roles.set',
      actionLabel: 'Роли пользователя изменены',
      entity: 'user',
      entityLabel: 'Пользователь',
      entityId: applicant.user.id,
      before: { roles: ['applicant'] },
      after: { roles: ['juror', 'applicant'] },
      ip: '10.20.30.40',
    });
    expect(Math.abs(Date.parse(entry.at) - Date.now())).toBeLessThan(60_000);
    expect(body.entries[1].actionLabel).toBe('Задания олимпиады загружены');
    expect(body.entries[1].actor?.fullName).toBe('Ёлкин Пётр Ильич');
  });

  test('what the server did by itself has no actor', async () => {
    const system = (await log()).entries[2];
    expect(system.actor).toBeNull();
    expect(system.before).toBeNull();
    expect(system.after).toEqual({ reason: 'deadline' });
  });

  test('filters by area', async () => {
    expect(actions(await log({ area: 'users' }))).toEqual(['user.roles.set']);
    expect(actions(await log({ area: 'olympiad' }))).toEqual(['olympiad.tasks.import', 'olympiad.attempt.deadline']);
    expect(actions(await log({ area: 'applications' }))).toEqual([]);
    const bad = await readLog(organizer, { area: 'everything' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('«Раздел»');
  });

  test('filters by part of the actor’s name or e-mail, Cyrillic in any letter case', async () => {
    expect(actions(await log({ actor: 'ёлкин' }))).toEqual(['olympiad.tasks.import']);
    expect(actions(await log({ actor: '  ЁЛКИН пЁтр ' }))).toEqual(['olympiad.tasks.import']);
    expect(actions(await log({ actor: 'ИРИНА петровна' }))).toEqual(['user.roles.set']);
    expect(actions(await log({ actor: 'P.YOLKIN@' }))).toEqual(['olympiad.tasks.import']);
    expect(actions(await log({ actor: 'Сидоров' }))).toEqual([]);
    // LIKE wildcards are taken literally.
    expect(actions(await log({ actor: '%' }))).toEqual([]);
    expect(actions(await log({ actor: '_' }))).toEqual([]);
  });

  test('filters by the exact id of the object', async () => {
    expect(actions(await log({ entityId: applicant.user.id }))).toEqual(['user.roles.set']);
    expect(actions(await log({ entityId: olympiadId }))).toEqual(['olympiad.tasks.import']);
    expect(actions(await log({ entityId: olympiadId.slice(0, 8) }))).toEqual([]);
    expect(actions(await log({ entityId: olympiadId, area: 'users' }))).toEqual([]);
  });

  test('pages newest first with limit and before; nextBefore is null at the end', async () => {
    const first = await log({ limit: '1' });
    expect(actions(first)).toEqual(['user.roles.set']);
    expect(first.nextBefore).toBe(first.entries[0].id);
    const second = await log({ limit: '1', before: String(first.nextBefore) });
    expect(actions(second)).toEqual(['olympiad.tasks.import']);
    expect(second.entries[0].id).toBeLessThan(first.entries[0].id);
    expect(second.nextBefore).toBe(second.entries[0].id);
    const last = await log({ limit: '1', before: String(second.nextBefore) });
    expect(actions(last)).toEqual(['olympiad.attempt.deadline']);
    expect(last.nextBefore).toBeNull();
    expect(await log({ before: String(last.entries[0].id) })).toEqual({ entries: [], nextBefore: null });

    // The filters hold across pages.
    const olympiad = await log({ area: 'olympiad', limit: '1' });
    expect(actions(olympiad)).toEqual(['olympiad.tasks.import']);
    const older = await log({ area: 'olympiad', limit: '1', before: String(olympiad.nextBefore) });
    expect(actions(older)).toEqual(['olympiad.attempt.deadline']);
    expect(older.nextBefore).toBeNull();
    // A page exactly as long as what is left has no next page.
    expect((await log({ limit: '3' })).nextBefore).toBeNull();
  });

  test('limit=0 is refused with a Russian message that names «Количество»', async () => {
    const res = await readLog(organizer, { limit: '0' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation');
    expect(res.json().error.message).toContain('«Количество»');
    expect(isRussian(res.json().error.message)).toBe(true);
    expect((await readLog(organizer, { limit: '201' })).statusCode).toBe(400);
    expect((await readLog(organizer, { before: '0' })).statusCode).toBe(400);
  });
});
