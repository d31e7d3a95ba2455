import { describe, expect, test } from 'vitest';
import { createUserInDb, isRussian, registerUser, uniqueIp, type App, type Registered } from '../helpers/app.ts';
import { publishContestResults } from '../helpers/contest.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { CLOSED_TASK_SET, createOlympiad, enrolStudents, importTasks, takeOlympiad } from '../helpers/olympiad.ts';
import { pdfText } from '../helpers/pdf.ts';

let t: TestDb;
let app: App;
let organizer: string;
let organizerId: string;

withOrganizer((s) => ({ t, app, organizer, organizerId } = s));

interface Entry {
  applicant: Registered;
  applicationId: string;
  nominationId: string;
}

/** A contest after review: two nominations, accepted applications of the given applicants, a jury of two. */
async function contestInReview(names: [string, string, string][], jurorCount = 2) {
  const contest = await t.db
    .insertInto('contests')
    .values({
      slug: `issue-${Math.random().toString(36).slice(2, 8)}`,
      title: 'Лучший руководитель ТОС Смоленской области',
      applications_open_at: new Date(Date.now() - 30 * 864e5),
      applications_close_at: new Date(Date.now() - 10 * 864e5),
      review_end_at: new Date(Date.now() - 5 * 864e5),
      jury_places: 4,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const nominations = await t.db
    .insertInto('nominations')
    .values([
      { contest_id: contest.id, title: 'Лучший председатель ТОС', position: 1 },
      { contest_id: contest.id, title: 'Лучшая инициатива', position: 2 },
    ])
    .returning(['id', 'title'])
    .execute();
  const form = await t.db
    .insertInto('application_forms')
    .values({ contest_id: contest.id, nomination_id: null, version: 1, fields: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const entries: Entry[] = [];
  for (const [lastName, firstName, middleName] of names) {
    const applicant = await registerUser(app, { lastName, firstName, middleName }, { ip: uniqueIp() });
    const nominationId = nominations[0].id;
    const application = await t.db
      .insertInto('applications')
      .values({
        contest_id: contest.id,
        nomination_id: nominationId,
        applicant_id: applicant.user.id,
        form_id: form.id,
        status: 'accepted',
        answers: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    entries.push({ applicant, applicationId: application.id, nominationId });
  }
  const jurors = [];
  for (let i = 0; i < jurorCount; i++) {
    const juror = await createUserInDb(t.db, {
      lastName: `Судейская${i}`,
      firstName: 'Анна',
      middleName: 'Олеговна',
      roles: ['juror'],
    });
    await t.db
      .insertInto('jury_members')
      .values({ contest_id: contest.id, user_id: juror.id, is_chair: i === 0 })
      .execute();
    jurors.push(juror);
  }
  return { contestId: contest.id, entries, jurors, nominations };
}

const issue = (contestId: string, cookie = organizer) =>
  app.inject({ method: 'POST', url: `/api/contests/${contestId}/certificates/issue`, headers: { cookie } });

const byAward = (awards: { award: string; issued: number; alreadyIssued: number }[]) =>
  Object.fromEntries(awards.map((a) => [a.award, [a.issued, a.alreadyIssued]]));

describe("issuing a contest's certificates from its published results", () => {
  test('refused until the results are published; then places 1–3, participants and the jury get theirs, once', async () => {
    const { contestId, entries, jurors } = await contestInReview([
      ['Иванова', 'Мария', 'Сергеевна'],
      ['Петров', 'Пётр', 'Петрович'],
      ['Сидорова', 'Анна', 'Ивановна'],
      ['Кузнецов', 'Иван', 'Ильич'],
      ['Орлова', 'Вера', 'Павловна'],
    ]);

    const early = await issue(contestId);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('results_not_published');
    expect(isRussian(early.json().error.message)).toBe(true);
    expect(await t.db.selectFrom('certificates').select('id').where('contest_id', '=', contestId).execute()).toEqual(
      [],
    );
    const state = await app.inject({
      method: 'GET',
      url: `/api/certificates/issuing?contestId=${contestId}`,
      headers: { cookie: organizer },
    });
    expect(state.json().resultsPublished).toBe(false);

    const [first, second, third, fourth, unplaced] = entries;
    await publishContestResults(t.db, contestId, [
      { applicationId: first.applicationId, nominationId: first.nominationId, place: 1 },
      { applicationId: second.applicationId, nominationId: second.nominationId, place: 2 },
      { applicationId: third.applicationId, nominationId: third.nominationId, place: 3 },
      { applicationId: fourth.applicationId, nominationId: fourth.nominationId, place: 4 },
      { applicationId: unplaced.applicationId, nominationId: unplaced.nominationId, place: null },
    ]);

    // Not an organizer: refused, nothing issued.
    expect((await issue(contestId, first.applicant.cookie)).statusCode).toBe(403);
    expect((await issue(contestId, '')).statusCode).toBe(401);
    expect(await t.db.selectFrom('certificates').select('id').where('contest_id', '=', contestId).execute()).toEqual(
      [],
    );

    const res = await issue(contestId);
    expect(res.statusCode).toBe(200);
    // A fourth place (the jury awards four) gets a participant certificate: there is no diploma of the fourth degree.
    expect(byAward(res.json().awards)).toEqual({
      place1: [1, 0],
      place2: [1, 0],
      place3: [1, 0],
      participant: [2, 0],
      juror_thanks: [2, 0],
    });
    expect(res.json().issued).toBe(7);

    const rows = await t.db
      .selectFrom('certificates')
      .select(['award', 'recipient_key', 'recipient_user_id', 'recipient_name', 'subtitle', 'body'])
      .where('contest_id', '=', contestId)
      .execute();
    const of = (key: string) => rows.filter((r) => r.recipient_key === key);
    expect(of(`application:${first.applicationId}`)).toEqual([
      expect.objectContaining({
        award: 'place1',
        recipient_user_id: first.applicant.user.id,
        recipient_name: 'Иванова Мария Сергеевна',
        subtitle: 'I степени',
      }),
    ]);
    expect(of(`application:${first.applicationId}`)[0].body).toBe(
      'за 1 место в конкурсе «Лучший руководитель ТОС Смоленской области» в номинации «Лучший председатель ТОС»',
    );
    expect(of(`application:${second.applicationId}`).map((r) => r.award)).toEqual(['place2']);
    expect(of(`application:${third.applicationId}`).map((r) => r.award)).toEqual(['place3']);
    expect(of(`application:${fourth.applicationId}`).map((r) => r.award)).toEqual(['participant']);
    expect(of(`application:${unplaced.applicationId}`).map((r) => r.award)).toEqual(['participant']);
    for (const juror of jurors) {
      expect(of(`juror:${juror.id}`)).toEqual([
        expect.objectContaining({
          award: 'juror_thanks',
          recipient_user_id: juror.id,
          recipient_name: `${(await t.db.selectFrom('users').select('last_name').where('id', '=', juror.id).executeTakeFirstOrThrow()).last_name} Анна Олеговна`,
        }),
      ]);
    }

    // The act is audited with its counts.
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'after'])
      .where('action', '=', 'certificates.issue_from_results')
      .where('entity_id', '=', contestId)
      .execute();
    expect(audit).toEqual([
      {
        actor_id: organizerId,
        after: expect.objectContaining({
          place1: expect.objectContaining({ issued: 1, alreadyIssued: 0, revoked: 0 }),
        }),
      },
    ]);

    // A second call issues nothing.
    const again = await issue(contestId);
    expect(again.statusCode).toBe(200);
    expect(byAward(again.json().awards)).toEqual({
      place1: [0, 1],
      place2: [0, 1],
      place3: [0, 1],
      participant: [0, 2],
      juror_thanks: [0, 2],
    });
    expect(
      await t.db.selectFrom('certificates').select('id').where('contest_id', '=', contestId).execute(),
    ).toHaveLength(7);

    const after = (
      await app.inject({
        method: 'GET',
        url: `/api/certificates/issuing?contestId=${contestId}`,
        headers: { cookie: organizer },
      })
    ).json();
    expect(after.resultsPublished).toBe(true);
    expect(
      Object.fromEntries(
        after.awards.map((a: { award: string; entitled: number; issued: number }) => [a.award, [a.entitled, a.issued]]),
      ),
    ).toEqual({ place1: [1, 1], place2: [1, 1], place3: [1, 1], participant: [2, 2], juror_thanks: [2, 2] });
  });

  test('a contest marked published without a snapshot is still refused; an unknown contest is 404', async () => {
    const { contestId } = await contestInReview([['Лебедев', 'Олег', 'Игоревич']]);
    await t.db.updateTable('contests').set({ results_published_at: new Date() }).where('id', '=', contestId).execute();
    expect((await issue(contestId)).statusCode).toBe(409);
    expect((await issue('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await issue('not-a-uuid')).statusCode).toBe(400);
  });

  test('each applicant sees and downloads only their own', async () => {
    const { contestId, entries } = await contestInReview(
      [
        ['Иванова', 'Мария', 'Сергеевна'],
        ['Петров', 'Пётр', 'Петрович'],
      ],
      0,
    );
    const [winner, other] = entries;
    await publishContestResults(t.db, contestId, [
      { applicationId: winner.applicationId, nominationId: winner.nominationId, place: 1 },
      { applicationId: other.applicationId, nominationId: other.nominationId, place: null },
    ]);
    expect((await issue(contestId)).statusCode).toBe(200);

    const mine = async (cookie: string) =>
      (await app.inject({ method: 'GET', url: '/api/certificates/mine', headers: { cookie } })).json().certificates as {
        id: string;
        awardLabel: string;
        eventTitle: string;
      }[];
    const winnerList = await mine(winner.applicant.cookie);
    expect(winnerList.map((c) => c.awardLabel)).toEqual(['Диплом I степени']);
    expect(winnerList[0].eventTitle).toBe('Лучший руководитель ТОС Смоленской области');
    const otherList = await mine(other.applicant.cookie);
    expect(otherList.map((c) => c.awardLabel)).toEqual(['Сертификат участника']);

    const own = await app.inject({
      method: 'GET',
      url: `/api/certificates/${winnerList[0].id}/pdf`,
      headers: { cookie: winner.applicant.cookie },
    });
    expect(own.statusCode).toBe(200);
    const text = pdfText(own.rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain('Иванова Мария Сергеевна');
    expect(text).toContain('I степени');
    expect(text).toContain('Лучший председатель ТОС');
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/certificates/${winnerList[0].id}/pdf`,
      headers: { cookie: other.applicant.cookie },
    });
    expect(foreign.statusCode).toBe(404);
  });
});

describe("issuing an olympiad's certificates by its published awards", () => {
  test('winner, prize-winners and participants get the award the published rule gave them; again issues nothing', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    const [anna, boris, vera] = await enrolStudents(app, organizer, olympiadId, 3);
    await takeOlympiad(app, t.db, olympiadId, anna, 6); // 9 of 9: winner
    await takeOlympiad(app, t.db, olympiadId, boris, 5); // 7 of 9: prize
    await takeOlympiad(app, t.db, olympiadId, vera, 1); // 1 of 9: participant
    const url = `/api/olympiads/${olympiadId}/certificates/issue`;

    const early = await app.inject({ method: 'POST', url, headers: { cookie: organizer } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('Итоги олимпиады ещё не опубликованы');

    // Two of three awarded: one winner and one prize-winner.
    const rule = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/award-rule`,
      headers: { cookie: organizer },
      payload: { thresholdShare: 0.5, quotaShare: 0.67, winners: 1, perGrade: false },
    });
    expect(rule.statusCode).toBe(200);
    await t.db
      .updateTable('olympiads')
      .set({ window_end_at: new Date(Date.now() - 1000) })
      .where('id', '=', olympiadId)
      .execute();
    const published = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/results/publish`,
      headers: { cookie: organizer },
    });
    expect(published.statusCode).toBe(200);
    const statuses = Object.fromEntries(
      published.json().rows.map((r: { fullName: string; status: string }) => [r.fullName, r.status]),
    );
    expect(statuses).toEqual({ [anna.fullName]: 'winner', [boris.fullName]: 'prize', [vera.fullName]: 'participant' });

    // The grader of the open answers is the olympiad's jury: a letter of thanks.
    const grader = await createUserInDb(t.db, {
      lastName: 'Проверяющая',
      firstName: 'Ольга',
      middleName: 'Ивановна',
      roles: ['juror'],
    });
    await t.db.insertInto('olympiad_graders').values({ olympiad_id: olympiadId, user_id: grader.id }).execute();

    expect((await app.inject({ method: 'POST', url, headers: { cookie: anna.cookie } })).statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url, headers: { cookie: organizer } });
    expect(res.statusCode).toBe(200);
    expect(byAward(res.json().awards)).toEqual({
      winner: [1, 0],
      prize: [1, 0],
      participant: [1, 0],
      juror_thanks: [1, 0],
    });
    const thanks = await t.db
      .selectFrom('certificates')
      .select(['recipient_key', 'recipient_name', 'body'])
      .where('olympiad_id', '=', olympiadId)
      .where('award', '=', 'juror_thanks')
      .execute();
    expect(thanks).toEqual([
      {
        recipient_key: `juror:${grader.id}`,
        recipient_name: 'Проверяющая Ольга Ивановна',
        body: 'за добросовестную работу по проверке олимпиадных работ олимпиады «Олимпиада по основам местного самоуправления»',
      },
    ]);

    const rows = await t.db
      .selectFrom('certificates')
      .select(['award', 'recipient_key', 'recipient_name', 'body'])
      .where('olympiad_id', '=', olympiadId)
      .where('award', '!=', 'juror_thanks')
      .orderBy('award')
      .execute();
    const participantIds = await t.db
      .selectFrom('olympiad_participants')
      .select(['id', 'user_id'])
      .where('olympiad_id', '=', olympiadId)
      .execute();
    expect(rows.map((r) => [r.award, r.recipient_name])).toEqual([
      ['participant', vera.fullName],
      ['prize', boris.fullName],
      ['winner', anna.fullName],
    ]);
    expect(rows.every((r) => participantIds.some((p) => r.recipient_key === `participant:${p.id}`))).toBe(true);
    // The olympiad's diploma names the pupil's school and grade, in the pupil's gender.
    expect(rows.find((r) => r.award === 'winner')!.body).toBe(
      'ученица 10А класса, Школа № 1,\nпобедитель олимпиады «Олимпиада по основам местного самоуправления»',
    );
    expect(rows.find((r) => r.award === 'participant')!.body).toBe(
      'ученица 10А класса, Школа № 3,\nприняла участие в олимпиаде «Олимпиада по основам местного самоуправления»',
    );

    const mine = (
      await app.inject({ method: 'GET', url: '/api/certificates/mine', headers: { cookie: anna.cookie } })
    ).json().certificates;
    expect(mine.map((c: { awardLabel: string }) => c.awardLabel)).toEqual(['Диплом победителя']);

    const again = await app.inject({ method: 'POST', url, headers: { cookie: organizer } });
    expect(byAward(again.json().awards)).toEqual({
      winner: [0, 1],
      prize: [0, 1],
      participant: [0, 1],
      juror_thanks: [0, 1],
    });
  });
});
