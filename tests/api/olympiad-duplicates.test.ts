import { describe, expect, test } from 'vitest';
import { addParticipant } from '../../server/src/modules/olympiad/participants/participant-service.ts';
import { registerUser, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import {
  CLOSED_TASK_SET,
  createOlympiad,
  enrolStudents,
  importTasks,
  takeOlympiad,
  type RosterStudent,
} from '../helpers/olympiad.ts';

/** The organizer's tools for a person on the roster twice: remove the one who has not started, void a duplicate attempt. */

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

const list = async (olympiadId: string) =>
  (
    await app.inject({
      method: 'GET',
      url: `/api/olympiads/${olympiadId}/participants`,
      headers: { cookie: organizer },
    })
  ).json();
const audit = (olympiadId: string, action: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['before', 'after', 'actor_id'])
    .where('action', '=', action)
    .where('entity_id', '=', olympiadId)
    .execute();

/** The same person twice on the roster, as self-registration allowed before duplicates were refused. */
async function twice(olympiadId: string): Promise<RosterStudent[]> {
  const person = {
    lastName: 'Двойная',
    firstName: 'Алла',
    middleName: null,
    school: 'Школа № 9',
    grade: 10,
    className: '10А',
  };
  const codes: string[] = [];
  await t.db.transaction().execute(async (trx) => {
    const ciphers = new Set<string>();
    for (let i = 0; i < 2; i++) codes.push((await addParticipant(trx, olympiadId, ciphers, person)).accessCode);
  });
  const students: RosterStudent[] = [];
  for (const code of codes) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/access-code', payload: { code } });
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] as string)
      .find((l) => l.startsWith('konkurs_session='))!
      .split(';')[0];
    const participant = await t.db
      .selectFrom('olympiad_participants')
      .select('id')
      .where('access_code', '=', code)
      .executeTakeFirstOrThrow();
    students.push({ participantId: participant.id, accessCode: code, cookie, fullName: 'Двойная Алла' });
  }
  return students;
}

describe('removing a participant', () => {
  test('one who has not started is removed with their code and account, audited; the list marks the duplicate until then', async () => {
    const olympiadId = await createOlympiad(t.db);
    const [first, second] = await twice(olympiadId);
    const before = await list(olympiadId);
    expect(before.participants.map((p: { possibleDuplicate: boolean }) => p.possibleDuplicate)).toEqual([true, true]);

    const student = await registerUser(app);
    const url = `/api/olympiads/${olympiadId}/participants/${second.participantId}`;
    expect((await app.inject({ method: 'DELETE', url, headers: { cookie: student.cookie } })).statusCode).toBe(403);
    const res = await app.inject({ method: 'DELETE', url, headers: { cookie: organizer } });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res.json().participants.map((p: { id: string; possibleDuplicate: boolean }) => [p.id, p.possibleDuplicate]),
    ).toEqual([[first.participantId, false]]);
    // The removed code opens nothing any more; the account is gone with it.
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/access-code', payload: { code: second.accessCode } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: second.cookie } })).json().user,
    ).toBeNull();
    const [entry] = await audit(olympiadId, 'olympiad.participant.remove');
    expect(entry.before).toMatchObject({
      participantId: second.participantId,
      fullName: 'Двойная Алла',
      school: 'Школа № 9',
      grade: 10,
      accountRemoved: true,
    });
    expect((await app.inject({ method: 'DELETE', url, headers: { cookie: organizer } })).statusCode).toBe(404);
  });

  test('one who has started cannot be removed: the answer says to void the attempt instead', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    const [student] = await enrolStudents(app, organizer, olympiadId, 1);
    await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/attempt`,
      headers: { cookie: student.cookie },
    });
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/olympiads/${olympiadId}/participants/${student.participantId}`,
      headers: { cookie: organizer },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('аннулируйте лишнюю работу');
    expect((await list(olympiadId)).participants).toHaveLength(1);
  });
});

describe('voiding a duplicate attempt', () => {
  test('a voided attempt is kept but counts in no result; audited; only finished attempts, only before publication', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    const [first, second] = await twice(olympiadId);
    const [other] = await enrolStudents(app, organizer, olympiadId, 1);
    await takeOlympiad(app, t.db, olympiadId, first, 6);
    await takeOlympiad(app, t.db, olympiadId, second, 2);
    const results = async () =>
      (
        await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/results`, headers: { cookie: organizer } })
      ).json();
    expect((await results()).rows).toHaveLength(2);

    // An attempt still running cannot be voided.
    const running = (
      await app.inject({
        method: 'POST',
        url: `/api/olympiads/${olympiadId}/attempt`,
        headers: { cookie: other.cookie },
      })
    ).json().attempt.id;
    const voidUrl = (attemptId: string) => `/api/olympiads/${olympiadId}/attempts/${attemptId}/void`;
    const open = await app.inject({
      method: 'POST',
      url: voidUrl(running),
      headers: { cookie: organizer },
      payload: { reason: 'повтор' },
    });
    expect(open.statusCode).toBe(409);
    await app.inject({ method: 'POST', url: `/api/attempts/${running}/finish`, headers: { cookie: other.cookie } });
    expect((await results()).rows).toHaveLength(3);

    const listed = await list(olympiadId);
    const secondRow = listed.participants.find((p: { id: string }) => p.id === second.participantId);
    expect(secondRow).toMatchObject({ attempt: 'closed', possibleDuplicate: true });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: voidUrl(secondRow.attemptId),
          headers: { cookie: second.cookie },
          payload: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    const blank = await app.inject({
      method: 'POST',
      url: voidUrl(secondRow.attemptId),
      headers: { cookie: organizer },
      payload: { reason: '   ' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields.reason).toBeDefined();

    const voided = await app.inject({
      method: 'POST',
      url: voidUrl(secondRow.attemptId),
      headers: { cookie: organizer },
      payload: { reason: 'Повторная регистрация той же ученицы' },
    });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().participants.find((p: { id: string }) => p.id === second.participantId)).toMatchObject({
      attempt: 'voided',
      voidReason: 'Повторная регистрация той же ученицы',
    });
    const after = await results();
    expect(after.rows.map((r: { participantId: string }) => r.participantId).sort()).toEqual(
      [first.participantId, other.participantId].sort(),
    );
    expect(after.notFinished).toBe(0);
    const [entry] = await audit(olympiadId, 'olympiad.attempt.void');
    expect(entry.after).toMatchObject({
      attemptId: secondRow.attemptId,
      reason: 'Повторная регистрация той же ученицы',
    });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: voidUrl(secondRow.attemptId),
          headers: { cookie: organizer },
          payload: { reason: 'ещё раз' },
        })
      ).statusCode,
    ).toBe(409);
    // The attempt itself is kept.
    expect(
      await t.db.selectFrom('olympiad_attempts').select('id').where('id', '=', secondRow.attemptId).executeTakeFirst(),
    ).toBeDefined();

    await t.db
      .updateTable('olympiads')
      .set({ window_end_at: new Date(Date.now() - 1000) })
      .where('id', '=', olympiadId)
      .execute();
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/results/publish`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(200);
    const firstAttempt = (await list(olympiadId)).participants.find(
      (p: { id: string }) => p.id === first.participantId,
    ).attemptId;
    const late = await app.inject({
      method: 'POST',
      url: voidUrl(firstAttempt),
      headers: { cookie: organizer },
      payload: { reason: 'повтор' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('results_published');
  });
});
