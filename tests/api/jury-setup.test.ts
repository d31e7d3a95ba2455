import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ACCOUNTS, seedDemo, TOS_RUBRIC, type RubricCriterion } from '@konkurs/db';
import { localDiskStorage } from '../../server/src/modules/files/storage.ts';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';
import { currentRubric } from '../../server/src/modules/jury/rubrics/rubrics.ts';
import type { FormField } from '../../server/src/modules/forms/definition.ts';
import {
  confirmEmailByLetter,
  createUserInDb,
  isRussian,
  registerUser,
  signIn,
  uniqueEmail,
  type App,
} from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  DAY,
  organizerCookie,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let organizer: string;

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  organizer = await organizerCookie(app, t.db);
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

/** A short form: the TOS name and its municipality. */
const FIELDS: FormField[] = [
  { key: 'org', kind: 'text', label: 'Название ТОС', required: true, personal: false, maxLength: 100 },
  {
    key: 'municipality',
    kind: 'choice',
    label: 'Муниципальное образование',
    required: true,
    personal: false,
    options: ['Вяземский', 'Гагаринский', 'Ярцевский'],
  },
  {
    key: 'consent',
    kind: 'consent',
    label: 'Согласие на обработку персональных данных',
    required: true,
    personal: false,
    consentText: 'Я согласен.',
  },
];

const criterion = (key: string, overrides: Partial<RubricCriterion> = {}): RubricCriterion => ({
  key,
  title: `Критерий ${key}`,
  description: '',
  min: 0,
  max: 10,
  step: 1,
  weight: 1,
  levels: [],
  ...overrides,
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, cookie: string | undefined, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function newContest(overrides: Record<string, unknown> = {}) {
  return createContestWithForm(app, organizer, h.clock.now(), { multiplePerNomination: true, ...overrides }, FIELDS);
}

/** An application made, submitted and accepted through the API; returns its id. */
async function acceptedEntry(
  applicant: string,
  nominationId: string,
  answers: Record<string, string>,
  decide: 'accept' | null = 'accept',
) {
  const created = await call('POST', '/api/applications', applicant, { nominationId });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().application.id as string;
  expect(
    (await call('PUT', `/api/applications/${id}/answers`, applicant, { answers: { ...answers, consent: 'yes' } }))
      .statusCode,
  ).toBe(200);
  expect((await call('POST', `/api/applications/${id}/submit`, applicant)).statusCode).toBe(200);
  if (decide)
    expect((await call('POST', `/api/applications/${id}/decision`, organizer, { action: decide })).statusCode).toBe(
      200,
    );
  return id;
}

async function addMember(contestId: string, email: string, municipality?: string) {
  const res = await call('POST', `/api/contests/${contestId}/jury/members`, organizer, { email, municipality });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function juror(contestId: string, lastName: string, municipality?: string) {
  const user = await createUserInDb(t.db, { lastName, roles: ['applicant'] });
  await addMember(contestId, user.email, municipality);
  return user;
}

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_log')
    .select('action')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

async function insertSheet(contestId: string, applicationId: string, jurorId: string, status: 'draft' | 'submitted') {
  const nomination = await t.db
    .selectFrom('applications')
    .select('nomination_id')
    .where('id', '=', applicationId)
    .executeTakeFirstOrThrow();
  const rubric = (await currentRubric(t.db, contestId, nomination.nomination_id))!;
  await t.db
    .insertInto('score_sheets')
    .values({
      application_id: applicationId,
      juror_id: jurorId,
      contest_id: contestId,
      rubric_id: rubric.id,
      points: JSON.stringify({}),
      status,
      submitted_at: status === 'submitted' ? new Date() : null,
    })
    .execute();
}

const settingsBody = (overrides: Record<string, unknown> = {}) => ({
  method: 'median',
  tieBreakers: [],
  places: 3,
  blind: true,
  perEntry: 2,
  avoidOwnMunicipality: false,
  municipalityField: 'municipality',
  showScores: false,
  disagreementShare: 0.3,
  ...overrides,
});

describe('permissions', () => {
  test('only organizers reach the set-up routes: anonymous 401, a juror or an applicant 403', async () => {
    const contest = await newContest();
    const id = contest.id;
    const someone = '00000000-0000-4000-8000-000000000001';
    const routes: Array<[Method, string, unknown?]> = [
      ['GET', `/api/contests/${id}/jury/settings`],
      ['PUT', `/api/contests/${id}/jury/settings`, settingsBody()],
      ['GET', `/api/contests/${id}/rubrics`],
      ['PUT', `/api/contests/${id}/rubrics`, { nominationId: null, criteria: [criterion('a')] }],
      ['GET', `/api/contests/${id}/jury`],
      ['POST', `/api/contests/${id}/jury/members`, { email: uniqueEmail() }],
      ['PUT', `/api/contests/${id}/jury/chair`, { userId: null }],
      ['DELETE', `/api/contests/${id}/jury/members/${someone}`],
      ['PUT', `/api/contests/${id}/jury/members/${someone}/municipality`, { municipality: 'Вяземский' }],
      ['DELETE', `/api/contests/${id}/jury/invitations/${someone}`],
      ['GET', `/api/contests/${id}/assignments`],
      ['POST', `/api/contests/${id}/assignments/auto`],
      ['POST', `/api/contests/${id}/assignments`, { applicationId: someone, jurorId: someone }],
      ['DELETE', `/api/contests/${id}/assignments/${someone}/${someone}`],
    ];
    const jurorUser = await createUserInDb(t.db, { roles: ['juror'] });
    const jurorCookie = await signIn(app, jurorUser.email, jurorUser.password);
    const applicant = (await registerUser(app)).cookie;
    for (const [method, url, payload] of routes) {
      const anonymous = await call(method, url, undefined, payload);
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
      for (const cookie of [jurorCookie, applicant]) {
        const res = await call(method, url, cookie, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(isRussian(res.json().error.message)).toBe(true);
      }
    }
    // Nothing happened along the way.
    expect(await t.db.selectFrom('jury_invitations').select('id').where('contest_id', '=', id).execute()).toEqual([]);
    expect(await t.db.selectFrom('rubrics').select('id').where('contest_id', '=', id).execute()).toEqual([]);
  });
});

describe('jury settings', () => {
  test('are validated against the rubric and the form, saved, audited, and partly frozen once results are published', async () => {
    const contest = await newContest();
    const url = `/api/contests/${contest.id}/jury/settings`;
    const initial = (await call('GET', url, organizer)).json();
    expect(initial.settings).toMatchObject({ method: 'mean', tieBreakers: [], places: 3, perEntry: 3, blind: false });
    expect(initial.formFields.map((f: { key: string }) => f.key)).toEqual(['org', 'municipality']); // consent and file fields cannot hold a municipality

    // No rubric yet: a tie-breaker cannot name a criterion.
    const unknownKey = await call('PUT', url, organizer, settingsBody({ tieBreakers: ['residents'] }));
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().error.fields['tieBreakers.0']).toBe(
      'Критерия «residents» нет в критериях оценки конкурса.',
    );

    await call('PUT', `/api/contests/${contest.id}/rubrics`, organizer, { nominationId: null, criteria: TOS_RUBRIC });
    const badField = await call(
      'PUT',
      url,
      organizer,
      settingsBody({ municipalityField: 'district', tieBreakers: ['residents', 'residents'] }),
    );
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.fields).toEqual({
      municipalityField: 'Поля «district» нет в текущей форме заявки конкурса.',
      'tieBreakers.1': 'Критерий «Работа с жителями» указан дважды.',
    });
    const noField = await call(
      'PUT',
      url,
      organizer,
      settingsBody({ municipalityField: null, avoidOwnMunicipality: true }),
    );
    expect(noField.statusCode).toBe(400);
    expect(noField.json().error.fields.municipalityField).toContain('Укажите поле формы');
    const outOfRange = await call('PUT', url, organizer, settingsBody({ places: 11, method: 'average' }));
    expect(outOfRange.statusCode).toBe(400);
    expect(Object.keys(outOfRange.json().error.fields).sort()).toEqual(['method', 'places']);
    expect((await call('GET', url, organizer)).json().settings).toEqual(initial.settings);

    const saved = await call(
      'PUT',
      url,
      organizer,
      settingsBody({ tieBreakers: ['residents', 'improvement'], avoidOwnMunicipality: true, perEntry: 4 }),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().settings).toEqual(
      settingsBody({ tieBreakers: ['residents', 'improvement'], avoidOwnMunicipality: true, perEntry: 4 }),
    );
    expect((await call('GET', url, organizer)).json().settings.perEntry).toBe(4);
    expect(await auditActions(contest.id)).toContain('jury.settings');

    // Published: the method, places and tie-breakers made the results and stay; other settings may change.
    await t.db.updateTable('contests').set({ results_published_at: new Date() }).where('id', '=', contest.id).execute();
    const changed = await call(
      'PUT',
      url,
      organizer,
      settingsBody({
        tieBreakers: ['residents', 'improvement'],
        avoidOwnMunicipality: true,
        perEntry: 4,
        method: 'mean',
      }),
    );
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('results_published');
    expect(changed.json().error.message).toContain('Итоги конкурса уже опубликованы');
    expect(changed.json().error.fields.method).toBeDefined();
    const blindOff = await call(
      'PUT',
      url,
      organizer,
      settingsBody({
        tieBreakers: ['residents', 'improvement'],
        avoidOwnMunicipality: true,
        perEntry: 4,
        blind: false,
        showScores: true,
      }),
    );
    expect(blindOff.statusCode, blindOff.body).toBe(200);
    expect(blindOff.json()).toMatchObject({
      resultsPublished: true,
      settings: { blind: false, showScores: true, method: 'median' },
    });
  });
});

describe('rubrics', () => {
  test('refuse a bad rubric naming the criterion and the field, and change nothing', async () => {
    const contest = await newContest();
    const url = `/api/contests/${contest.id}/rubrics`;
    const empty = await call('PUT', url, organizer, { nominationId: null, criteria: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.criteria).toBe('Добавьте хотя бы один критерий оценки.');

    const bad = await call('PUT', url, organizer, {
      nominationId: null,
      criteria: [
        criterion('residents', { title: 'Работа с жителями', min: 5, max: 5 }),
        criterion('residents', { title: 'Благоустройство' }),
        criterion('bad key', { title: ' ' }),
        criterion('half', { title: 'Открытость', step: 0.3 as 1, weight: 0 }),
        criterion('odd', { title: 'Проекты', step: 1, max: 9.5 }),
        criterion('levels', { title: 'Гранты', levels: [{ points: 12, text: 'много' }] }),
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({
      'criteria.0.max': 'Критерий 1 «Работа с жителями»: максимум должен быть больше минимума.',
      'criteria.1.key': 'Критерий 2 «Благоустройство»: ключ «residents» уже есть у критерия 1.',
      'criteria.2.title': 'Критерий 3: укажите название.',
      'criteria.2.key': 'Критерий 3: ключ может содержать только латинские буквы, цифры и знак _ (до 40 символов).',
      'criteria.3.step': 'Критерий 4 «Открытость»: шаг может быть 1 или 0,5 балла.',
      'criteria.3.weight': 'Критерий 4 «Открытость»: вес должен быть больше 0 и не больше 10.',
      'criteria.4.max': 'Критерий 5 «Проекты»: максимум должен быть кратен шагу 1.',
      'criteria.5.levels.0.points': 'Критерий 6 «Гранты»: уровень 1: баллы 12 вне диапазона от 0 до 10.',
    });
    expect(bad.json().error.message).toBe(
      'Проверьте критерии оценки. Критерий 1 «Работа с жителями»: максимум должен быть больше минимума.',
    );
    const tooMany = await call('PUT', url, organizer, {
      nominationId: null,
      criteria: Array.from({ length: 21 }, (_, i) => criterion(`c${i}`)),
    });
    expect(tooMany.json().error.fields.criteria).toBe('Критериев может быть не больше 20.');
    expect((await call('GET', url, organizer)).json().contest).toBeNull();
  });

  test('every save adds a version; removed criteria leave the tie-breakers; a used rubric is frozen', async () => {
    const contest = await newContest();
    const [n1, n2] = contest.nominations;
    const url = `/api/contests/${contest.id}/rubrics`;
    const v1 = await call('PUT', url, organizer, { nominationId: null, criteria: TOS_RUBRIC });
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json().rubric).toMatchObject({ version: 1, frozen: false, nominationId: null });
    await call(
      'PUT',
      `/api/contests/${contest.id}/jury/settings`,
      organizer,
      settingsBody({ tieBreakers: ['residents', 'publicity'] }),
    );

    // Version 2 drops «publicity»: the tie-breaker naming it is removed (documented choice: clean, not refuse).
    const v2 = await call('PUT', url, organizer, { nominationId: null, criteria: TOS_RUBRIC.slice(0, 4) });
    expect(v2.json()).toMatchObject({ rubric: { version: 2 }, removedTieBreakers: ['publicity'] });
    expect(
      (await call('GET', `/api/contests/${contest.id}/jury/settings`, organizer)).json().settings.tieBreakers,
    ).toEqual(['residents']);
    expect(
      await t.db
        .selectFrom('rubrics')
        .select('version')
        .where('contest_id', '=', contest.id)
        .orderBy('version')
        .execute(),
    ).toEqual([{ version: 1 }, { version: 2 }]);

    // A nomination of its own.
    const own = await call('PUT', url, organizer, {
      nominationId: n2.id,
      criteria: [criterion('idea', { title: 'Идея', step: 0.5, max: 5, levels: [{ points: 5, text: 'яркая' }] })],
    });
    expect(own.json().rubric).toMatchObject({ version: 1, nominationId: n2.id });
    const list = (await call('GET', url, organizer)).json();
    expect(list.contest).toMatchObject({ version: 2, frozen: false });
    expect(list.nominations.map((n: { own: { version: number } | null }) => n.own?.version ?? null)).toEqual([null, 1]);
    expect((await currentRubric(t.db, contest.id, n2.id))!.criteria[0].key).toBe('idea');
    expect((await currentRubric(t.db, contest.id, n1.id))!.version).toBe(2);

    // A score sheet under the contest-wide version freezes it — and a nomination's own rubric replacing it there.
    const applicant = (await registerUser(app)).cookie;
    const entry = await acceptedEntry(applicant, n1.id, { org: 'ТОС «Исток»', municipality: 'Вяземский' });
    const jurorUser = await juror(contest.id, 'Петров');
    await insertSheet(contest.id, entry, jurorUser.id, 'draft');
    expect((await call('GET', url, organizer)).json().contest.frozen).toBe(true);
    for (const nominationId of [null, n1.id]) {
      const refused = await call('PUT', url, organizer, { nominationId, criteria: TOS_RUBRIC });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('rubric_frozen');
      expect(refused.json().error.message).toMatch(/^Критерии уже используются в оценках жюри/);
    }
    // Nomination 2 has its own rubric, not used yet: it may still change.
    expect(
      (
        await call('PUT', url, organizer, { nominationId: n2.id, criteria: [criterion('idea', { title: 'Идея' })] })
      ).json().rubric.version,
    ).toBe(2);
    expect((await currentRubric(t.db, contest.id, n1.id))!.version).toBe(2);
    const other = await newContest();
    const foreign = await call('PUT', url, organizer, { nominationId: other.nominations[0].id, criteria: TOS_RUBRIC });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields.nominationId).toBeDefined();
    expect((await auditActions(contest.id)).filter((a) => a === 'jury.rubric')).toHaveLength(4);
  });
});

describe('jury members and invitations', () => {
  test('an account is added at once with the juror role; an unknown address gets an invitation that its owner accepts once', async () => {
    const contest = await newContest();
    const base = `/api/contests/${contest.id}/jury`;
    const existing = await createUserInDb(t.db, { lastName: 'Сидорова', roles: ['applicant'] });
    const added = await addMember(contest.id, ` ${existing.email.toUpperCase()} `, 'Вяземский');
    expect(added.outcome).toBe('added');
    expect(
      (await t.db.selectFrom('users').select('roles').where('id', '=', existing.id).executeTakeFirstOrThrow()).roles,
    ).toEqual(['applicant', 'juror']);
    const again = await call('POST', `${base}/members`, organizer, { email: existing.email });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_member');
    const badEmail = await call('POST', `${base}/members`, organizer, { email: 'не почта' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().error.fields.email).toContain('Электронная почта');

    const invitedEmail = uniqueEmail('invited');
    const invited = await addMember(contest.id, invitedEmail, 'Гагаринский');
    expect(invited.outcome).toBe('invited');
    const outbox = await call('GET', `/api/mail/outbox?to=${encodeURIComponent(invitedEmail)}`, organizer);
    const mail = outbox.json().messages[0];
    expect(mail.subject).toBe(`Приглашение в жюри конкурса «Лучший ТОС года»`);
    const link = /http:\/\/localhost:3000\/jury\/invite\/([a-z0-9]+)/.exec(mail.body);
    expect(link).not.toBeNull();
    const token = link![1];
    const stored = await t.db
      .selectFrom('jury_invitations')
      .selectAll()
      .where('email', '=', invitedEmail)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.token_hash).not.toContain(token);
    expect(stored.expires_at.getTime() - h.clock.now().getTime()).toBe(14 * DAY);

    const jury = (await call('GET', base, organizer)).json();
    expect(jury.members).toEqual([
      expect.objectContaining({
        userId: existing.id,
        municipality: 'Вяземский',
        isChair: false,
        assigned: 0,
        submitted: 0,
      }),
    ]);
    expect(jury.invitations).toEqual([
      expect.objectContaining({ email: invitedEmail, municipality: 'Гагаринский', expired: false }),
    ]);

    // The page shows the contest; accepting needs the invited address, signed in and confirmed (tests/api/jury-invitations.test.ts).
    const view = await call('GET', `/api/jury/invitations/${token}`, undefined);
    expect(view.json()).toMatchObject({ contest: { id: contest.id, title: 'Лучший ТОС года' }, email: invitedEmail });
    expect((await call('POST', `/api/jury/invitations/${token}/accept`, undefined)).statusCode).toBe(401);
    const accepter = await registerUser(app, { email: invitedEmail });
    await confirmEmailByLetter(app, t.db, invitedEmail);
    const accepted = await call('POST', `/api/jury/invitations/${token}/accept`, accepter.cookie);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().message).toBe('Вы в жюри конкурса «Лучший ТОС года».');
    const after = (await call('GET', base, organizer)).json();
    expect(after.members.find((m: { userId: string }) => m.userId === accepter.user.id)).toMatchObject({
      municipality: 'Гагаринский',
    });
    expect(after.invitations).toEqual([]);
    expect((await call('GET', '/api/auth/me', accepter.cookie)).json().user.roles).toContain('juror');
    const second = await call('POST', `/api/jury/invitations/${token}/accept`, (await registerUser(app)).cookie);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('invitation_used');

    const unknown = await call('POST', `/api/jury/invitations/${'x'.repeat(32)}/accept`, accepter.cookie);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('invitation_not_found');

    // An invitation older than 14 days no longer works.
    const lateEmail = uniqueEmail('late');
    await addMember(contest.id, lateEmail);
    const lateMail = (await call('GET', `/api/mail/outbox?to=${encodeURIComponent(lateEmail)}`, organizer)).json()
      .messages[0];
    const lateToken = /\/jury\/invite\/([a-z0-9]+)/.exec(lateMail.body)![1];
    h.clock.advance(14 * DAY + 1000);
    try {
      const expired = await call('POST', `/api/jury/invitations/${lateToken}/accept`, accepter.cookie);
      expect(expired.statusCode).toBe(410);
      expect(expired.json().error.message).toContain('Срок приглашения истёк');
      expect((await call('GET', base, organizer)).json().invitations).toEqual([
        expect.objectContaining({ email: lateEmail, expired: true }),
      ]);
    } finally {
      h.clock.advance(-(14 * DAY + 1000));
    }
    expect(await auditActions(contest.id)).toEqual(
      expect.arrayContaining(['jury.member.add', 'jury.invite', 'jury.invite.accept']),
    );
  });

  test('there is one chair at most; a member with a submitted sheet stays, one with drafts leaves with them', async () => {
    const contest = await newContest();
    const base = `/api/contests/${contest.id}/jury`;
    const a = await juror(contest.id, 'Антонова');
    const b = await juror(contest.id, 'Борисов');
    const chairs = async () =>
      (await call('GET', base, organizer))
        .json()
        .members.filter((m: { isChair: boolean }) => m.isChair)
        .map((m: { userId: string }) => m.userId);
    expect((await call('PUT', `${base}/chair`, organizer, { userId: a.id })).statusCode).toBe(200);
    expect(await chairs()).toEqual([a.id]);
    expect((await call('PUT', `${base}/chair`, organizer, { userId: b.id })).statusCode).toBe(200);
    expect(await chairs()).toEqual([b.id]);
    const outsider = await createUserInDb(t.db);
    const refused = await call('PUT', `${base}/chair`, organizer, { userId: outsider.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.userId).toBe('Этого человека нет в жюри.');
    expect(await chairs()).toEqual([b.id]);
    await call('PUT', `${base}/chair`, organizer, { userId: null });
    expect(await chairs()).toEqual([]);

    await call('PUT', `/api/contests/${contest.id}/rubrics`, organizer, { nominationId: null, criteria: TOS_RUBRIC });
    const applicant = (await registerUser(app)).cookie;
    const e1 = await acceptedEntry(applicant, contest.nominations[0].id, {
      org: 'ТОС «Первый»',
      municipality: 'Вяземский',
    });
    const e2 = await acceptedEntry(applicant, contest.nominations[0].id, {
      org: 'ТОС «Второй»',
      municipality: 'Ярцевский',
    });
    for (const user of [a, b])
      for (const e of [e1, e2])
        expect(
          (
            await call('POST', `/api/contests/${contest.id}/assignments`, organizer, {
              applicationId: e,
              jurorId: user.id,
            })
          ).statusCode,
        ).toBe(201);
    await insertSheet(contest.id, e1, a.id, 'submitted');
    await insertSheet(contest.id, e1, b.id, 'draft');
    expect(
      (await call('GET', base, organizer)).json().members.find((m: { userId: string }) => m.userId === a.id),
    ).toMatchObject({ assigned: 2, submitted: 1 });

    const keep = await call('DELETE', `${base}/members/${a.id}`, organizer);
    expect(keep.statusCode).toBe(409);
    expect(keep.json().error.code).toBe('has_submitted');
    const remove = await call('DELETE', `${base}/members/${b.id}`, organizer);
    expect(remove.statusCode, remove.body).toBe(200);
    expect((await call('GET', base, organizer)).json().members.map((m: { userId: string }) => m.userId)).toEqual([
      a.id,
    ]);
    expect(
      await t.db.selectFrom('jury_assignments').select('application_id').where('juror_id', '=', b.id).execute(),
    ).toEqual([]);
    expect(await t.db.selectFrom('score_sheets').select('id').where('juror_id', '=', b.id).execute()).toEqual([]);
    expect((await call('DELETE', `${base}/members/${b.id}`, organizer)).statusCode).toBe(404);
    expect(await auditActions(contest.id)).toEqual(expect.arrayContaining(['jury.chair', 'jury.member.remove']));
  });
});

describe('assignments', () => {
  test('a member’s municipality is corrected, audited, and steers the assignments made after it', async () => {
    const contest = await newContest();
    const id = contest.id;
    await call('PUT', `/api/contests/${id}/rubrics`, organizer, { nominationId: null, criteria: TOS_RUBRIC });
    const applicant = (await registerUser(app)).cookie;
    expect((await call('PUT', `/api/contests/${id}/jury/settings`, organizer, settingsBody())).statusCode).toBe(200);
    const entry = await acceptedEntry(applicant, contest.nominations[0].id, {
      org: 'ТОС «Вязы»',
      municipality: 'Вяземский',
    });
    const member = await juror(id, 'Ошибкин', 'Ярцевский');
    const url = (userId: string) => `/api/contests/${id}/jury/members/${userId}/municipality`;

    const tooLong = await call('PUT', url(member.id), organizer, { municipality: 'Я'.repeat(201) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain('«Муниципалитет»');
    const stranger = await createUserInDb(t.db, { roles: ['juror'] });
    expect((await call('PUT', url(stranger.id), organizer, { municipality: 'Вяземский' })).statusCode).toBe(404);
    const members = async () =>
      (await call('GET', `/api/contests/${id}/jury`, organizer)).json().members as Array<{
        userId: string;
        municipality: string | null;
      }>;
    expect((await members()).find((m) => m.userId === member.id)?.municipality).toBe('Ярцевский');

    const fixed = await call('PUT', url(member.id), organizer, { municipality: '  Вяземский ' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().message).toBe('Муниципалитет члена жюри сохранён.');
    expect((await members()).find((m) => m.userId === member.id)?.municipality).toBe('Вяземский');
    const assigned = await call('POST', `/api/contests/${id}/assignments`, organizer, {
      applicationId: entry,
      jurorId: member.id,
    });
    expect(assigned.json().warning).toBe('Член жюри из того же муниципалитета, что и заявка (Вяземский).');

    expect((await call('PUT', url(member.id), organizer, { municipality: '' })).json().message).toBe(
      'Муниципалитет члена жюри убран.',
    );
    expect((await members()).find((m) => m.userId === member.id)?.municipality).toBeNull();
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'jury.member.municipality')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        before: { userId: member.id, municipality: 'Ярцевский' },
        after: { userId: member.id, municipality: 'Вяземский' },
      },
      { before: { userId: member.id, municipality: 'Вяземский' }, after: { userId: member.id, municipality: null } },
    ]);
  });

  test('by hand and automatically on a new contest: K non-conflicted jurors, none from the entry’s municipality, loads balanced', async () => {
    const contest = await newContest();
    const id = contest.id;
    await call('PUT', `/api/contests/${id}/rubrics`, organizer, { nominationId: null, criteria: TOS_RUBRIC });
    expect(
      (
        await call(
          'PUT',
          `/api/contests/${id}/jury/settings`,
          organizer,
          settingsBody({ perEntry: 2, avoidOwnMunicipality: true }),
        )
      ).statusCode,
    ).toBe(200);
    const applicant = (await registerUser(app)).cookie;
    const municipalities = ['Вяземский', 'Гагаринский', 'Ярцевский', 'Вяземский', 'Гагаринский', 'Ярцевский'];
    const entries: string[] = [];
    for (const [i, m] of municipalities.entries())
      entries.push(
        await acceptedEntry(applicant, contest.nominations[i % 2].id, { org: `ТОС №${i + 1}`, municipality: m }),
      );
    const notAccepted = await acceptedEntry(
      applicant,
      contest.nominations[0].id,
      { org: 'ТОС на рассмотрении', municipality: 'Вяземский' },
      null,
    );
    const vyaz = await juror(id, 'Вязов', 'Вяземский');
    await juror(id, 'Гагарина', 'Гагаринский');
    await juror(id, 'Ярцев', 'Ярцевский');
    const free = await juror(id, 'Свободный');
    const outsider = await createUserInDb(t.db, { roles: ['juror'] });
    const assign = (applicationId: string, jurorId: string) =>
      call('POST', `/api/contests/${id}/assignments`, organizer, { applicationId, jurorId });

    // By hand: refused for a non-member, an entry not accepted, a conflicted juror; a warning for the own municipality.
    const nonMember = await assign(entries[1], outsider.id);
    expect(nonMember.statusCode).toBe(400);
    expect(nonMember.json().error.fields.jurorId).toBe('Этого человека нет в жюри.');
    const pending = await assign(notAccepted, free.id);
    expect(pending.statusCode).toBe(409);
    expect(pending.json().error.code).toBe('not_accepted');
    await t.db
      .insertInto('jury_conflicts')
      .values({
        application_id: entries[1],
        juror_id: free.id,
        contest_id: id,
        reason: 'Соседи по улице',
        declared_by: free.id,
      })
      .execute();
    const conflicted = await assign(entries[1], free.id);
    expect(conflicted.statusCode).toBe(409);
    expect(conflicted.json().error.message).toContain('Соседи по улице');
    const own = await assign(entries[0], vyaz.id);
    expect(own.statusCode).toBe(201);
    expect(own.json().warning).toBe('Член жюри из того же муниципалитета, что и заявка (Вяземский).');
    expect((await assign(entries[0], vyaz.id)).json().error.code).toBe('already_assigned');

    const auto = await call('POST', `/api/contests/${id}/assignments/auto`, organizer);
    expect(auto.statusCode, auto.body).toBe(200);
    expect(auto.json()).toMatchObject({ created: 11, shortfalls: [] });
    const matrix = (await call('GET', `/api/contests/${id}/assignments`, organizer)).json();
    expect(matrix.entries.map((e: { id: string }) => e.id).sort()).toEqual([...entries].sort());
    const jurorMun = new Map(
      matrix.jurors.map((j: { id: string; municipality: string | null }) => [j.id, j.municipality]),
    );
    for (const e of matrix.entries) {
      expect(e.assigned).toBe(2);
      for (const [jurorId, state] of Object.entries(e.cells)) {
        if (state !== 'assigned') continue;
        // The hand-made own-municipality assignment is kept; automatic ones never match.
        if (!(e.id === entries[0] && jurorId === vyaz.id)) expect(jurorMun.get(jurorId)).not.toBe(e.municipality);
      }
    }
    expect(matrix.entries.find((e: { id: string }) => e.id === entries[1]).cells[free.id]).toBe('conflict');
    const loads = matrix.jurors.map((j: { load: number }) => j.load);
    expect(loads.reduce((s: number, l: number) => s + l, 0)).toBe(12);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    // Nothing left to do: a second run adds nothing.
    expect((await call('POST', `/api/contests/${id}/assignments/auto`, organizer)).json().created).toBe(0);

    // Removing: a submitted sheet keeps the assignment, a draft goes with it.
    const [withSheet, withDraft] = matrix.entries
      .slice(0, 2)
      .map((e: { id: string; cells: Record<string, string> }) => ({
        entry: e.id,
        juror: Object.keys(e.cells).find((j) => e.cells[j] === 'assigned')!,
      }));
    await insertSheet(id, withSheet.entry, withSheet.juror, 'submitted');
    await insertSheet(id, withDraft.entry, withDraft.juror, 'draft');
    const states = (await call('GET', `/api/contests/${id}/assignments`, organizer)).json().entries;
    expect(states.find((e: { id: string }) => e.id === withSheet.entry).cells[withSheet.juror]).toBe('submitted');
    expect(states.find((e: { id: string }) => e.id === withDraft.entry).cells[withDraft.juror]).toBe('draft');
    const keep = await call(
      'DELETE',
      `/api/contests/${id}/assignments/${withSheet.entry}/${withSheet.juror}`,
      organizer,
    );
    expect(keep.statusCode).toBe(409);
    expect(keep.json().error.code).toBe('sheet_submitted');
    expect(
      (await call('DELETE', `/api/contests/${id}/assignments/${withDraft.entry}/${withDraft.juror}`, organizer))
        .statusCode,
    ).toBe(200);
    expect(
      await t.db
        .selectFrom('score_sheets')
        .select('id')
        .where('application_id', '=', withDraft.entry)
        .where('juror_id', '=', withDraft.juror)
        .execute(),
    ).toEqual([]);
    expect(
      (await call('DELETE', `/api/contests/${id}/assignments/${withDraft.entry}/${withDraft.juror}`, organizer))
        .statusCode,
    ).toBe(404);

    // Too few jurors for K = 4 under the rule: reported, not hidden.
    await call(
      'PUT',
      `/api/contests/${id}/jury/settings`,
      organizer,
      settingsBody({ perEntry: 4, avoidOwnMunicipality: true }),
    );
    const short = (await call('POST', `/api/contests/${id}/assignments/auto`, organizer)).json();
    expect(short.shortfalls.length).toBeGreaterThan(0);
    expect(short.shortfalls[0]).toMatchObject({ need: 4, have: 3 });
    expect(short.shortfalls[0].reason).toMatch(/^Назначено 3 из 4: в жюри 4 чел\./);
    expect(short.message).toContain('Не удалось набрать 4 членов жюри');
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['jury.assign.auto']));
  });
});

describe('an applicant of the contest and its jury (issue #11, item 4)', () => {
  test('an applicant cannot be added or invited to the jury, and a member cannot apply', async () => {
    const contest = await newContest();
    const base = `/api/contests/${contest.id}/jury`;
    const applicant = await createUserInDb(t.db, { lastName: 'Заявкина', firstName: 'Анна', middleName: null });
    const applicantCookie = await signIn(app, applicant.email, applicant.password);
    await acceptedEntry(applicantCookie, contest.nominations[0].id, { org: 'ТОС «Свой»', municipality: 'Вяземский' });
    const number = (
      await t.db
        .selectFrom('applications')
        .select('registration_number')
        .where('applicant_id', '=', applicant.id)
        .executeTakeFirstOrThrow()
    ).registration_number!;
    const refused = await call('POST', `${base}/members`, organizer, { email: applicant.email });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'applicant_of_contest',
      message: `Заявкина Анна участвует в этом конкурсе (заявка ${number}): заявитель не может быть в жюри своего конкурса.`,
    });
    expect(refused.json().error.fields.email).toContain('участвует в этом конкурсе');
    // A draft is enough, and an unconfirmed account is not invited instead.
    const drafter = await createUserInDb(t.db, { lastName: 'Черновая', verified: false });
    const draft = await call('POST', '/api/applications', await signIn(app, drafter.email, drafter.password), {
      nominationId: contest.nominations[1].id,
    });
    expect(draft.statusCode).toBe(201);
    const drafted = await call('POST', `${base}/members`, organizer, { email: drafter.email });
    expect(drafted.statusCode).toBe(409);
    expect(drafted.json().error.message).toContain('(черновик заявки)');
    expect(
      await t.db.selectFrom('jury_invitations').selectAll().where('contest_id', '=', contest.id).execute(),
    ).toEqual([]);
    // An invitation sent before its addressee applied cannot be accepted after.
    const laterEmail = uniqueEmail('later');
    expect((await addMember(contest.id, laterEmail)).outcome).toBe('invited');
    const later = await createUserInDb(t.db, { email: laterEmail });
    const laterCookie = await signIn(app, later.email, later.password);
    await acceptedEntry(laterCookie, contest.nominations[1].id, { org: 'ТОС «Поздний»', municipality: 'Гагаринский' });
    const letter = await t.db
      .selectFrom('mail_outbox')
      .select('body')
      .where('to_address', '=', laterEmail)
      // The application sends its own letter to the same address; take the invitation.
      .where('body', 'like', '%/jury/invite/%')
      .executeTakeFirstOrThrow();
    const token = /\/jury\/invite\/([a-z0-9]+)/.exec(letter.body)![1];
    const accept = await call('POST', `/api/jury/invitations/${token}/accept`, laterCookie);
    expect(accept.statusCode).toBe(409);
    expect(accept.json().error.message).toMatch(/^Вы участвуете в этом конкурсе \(заявка .+\): заявитель не может/);
    expect(
      (await t.db.selectFrom('jury_members').selectAll().where('contest_id', '=', contest.id).execute()).length,
    ).toBe(0);

    // The other way: a member applies.
    const member = await juror(contest.id, 'Членова');
    const memberCookie = await signIn(app, member.email, member.password);
    const apply = await call('POST', '/api/applications', memberCookie, { nominationId: contest.nominations[0].id });
    expect(apply.statusCode).toBe(409);
    expect(apply.json().error).toMatchObject({
      code: 'jury_member',
      message: expect.stringContaining('Вы в жюри этого конкурса: член жюри не может подать на него заявку.'),
    });
    // Another contest is open to them.
    const other = await newContest();
    expect(
      (await call('POST', '/api/applications', memberCookie, { nominationId: other.nominations[0].id })).statusCode,
    ).toBe(201);
  });

  test('nobody is assigned, by hand or automatically, an entry they submitted, nor reads it', async () => {
    const contest = await newContest();
    const id = contest.id;
    await call('PUT', `/api/contests/${id}/rubrics`, organizer, { nominationId: null, criteria: TOS_RUBRIC });
    await call('PUT', `/api/contests/${id}/jury/settings`, organizer, settingsBody({ perEntry: 2 }));
    const insider = await createUserInDb(t.db, { lastName: 'Своя', roles: ['applicant', 'juror'] });
    const insiderCookie = await signIn(app, insider.email, insider.password);
    const own = await acceptedEntry(insiderCookie, contest.nominations[0].id, {
      org: 'ТОС «Свой»',
      municipality: 'Вяземский',
    });
    const stranger = (await registerUser(app)).cookie;
    const otherEntry = await acceptedEntry(stranger, contest.nominations[0].id, {
      org: 'ТОС «Чужой»',
      municipality: 'Вяземский',
    });
    // Someone who sat on the jury before the rule (or got there around it): a row the API would refuse now.
    await t.db.insertInto('jury_members').values({ contest_id: id, user_id: insider.id, added_by: null }).execute();
    const a = await juror(id, 'Первый');
    const b = await juror(id, 'Второй');

    const byHand = await call('POST', `/api/contests/${id}/assignments`, organizer, {
      applicationId: own,
      jurorId: insider.id,
    });
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().error).toMatchObject({
      code: 'own_entry',
      message: 'Это заявка самого члена жюри: оценивать свою заявку нельзя.',
    });
    const auto = await call('POST', `/api/contests/${id}/assignments/auto`, organizer);
    expect(auto.statusCode).toBe(200);
    const assigned = await t.db
      .selectFrom('jury_assignments')
      .select(['application_id', 'juror_id'])
      .where('contest_id', '=', id)
      .execute();
    expect(
      assigned
        .filter((x) => x.application_id === own)
        .map((x) => x.juror_id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(assigned.some((x) => x.application_id === otherEntry && x.juror_id === insider.id)).toBe(true);
    expect(assigned.some((x) => x.application_id === own && x.juror_id === insider.id)).toBe(false);

    // An assignment written straight into the database still opens nothing: the entry is not theirs to read or score.
    await t.db
      .insertInto('jury_assignments')
      .values({ application_id: own, juror_id: insider.id, contest_id: id })
      .execute();
    expect((await call('GET', `/api/jury/entries/${own}`, insiderCookie)).statusCode).toBe(404);
    const score = await call('PUT', `/api/jury/entries/${own}/sheet`, insiderCookie, { points: { residents: 10 } });
    expect(score.statusCode).toBe(404);
    expect((await call('GET', `/api/jury/entries/${otherEntry}`, insiderCookie)).statusCode).toBe(200);
  });
});

describe('the demo contest', () => {
  test('automatic assignment gives every entry of the regional contest 4 jurors without touching submitted work', async () => {
    const d = await createTestDb();
    const demo = await buildApplicationsApp(d.db);
    try {
      const storage = localDiskStorage(join(demo.filesDir, 'files'));
      expect(await seedDemo(d.db, { hashPassword, storeFile: (bytes) => storage.put(Readable.from([bytes])) })).toBe(
        true,
      );
      const account = DEMO_ACCOUNTS.find((a) => a.email === 'organizer@demo.konkurs.local')!;
      const cookie = await signIn(demo.app, account.email, account.password);
      const region = await d.db
        .selectFrom('contests')
        .select('id')
        .where('slug', '=', 'luchshiy-rukovoditel-tos-smolenskoy-oblasti')
        .executeTakeFirstOrThrow();
      const sheetsBefore = await d.db
        .selectFrom('score_sheets')
        .selectAll()
        .where('contest_id', '=', region.id)
        .orderBy('id')
        .execute();
      const get = async () =>
        (
          await demo.app.inject({ method: 'GET', url: `/api/contests/${region.id}/assignments`, headers: { cookie } })
        ).json();
      const before = await get();
      const rassvet = before.entries.find((e: { title: string }) => e.title === 'ТОС «Рассвет»');
      expect(Object.values(rassvet.cells).filter((s) => s === 'submitted')).toHaveLength(3);

      const auto = await demo.app.inject({
        method: 'POST',
        url: `/api/contests/${region.id}/assignments/auto`,
        headers: { cookie },
      });
      expect(auto.statusCode, auto.body).toBe(200);
      expect(auto.json()).toMatchObject({ shortfalls: [] });
      const after = await get();
      expect(after.perEntry).toBe(4);
      expect(after.entries).toHaveLength(7);
      for (const e of after.entries) expect(e.assigned, e.title).toBeGreaterThanOrEqual(4);
      // «Рассвет» already had four (three submitted sheets and the demo juror): it keeps exactly them.
      expect(after.entries.find((e: { title: string }) => e.title === 'ТОС «Рассвет»').cells).toEqual(rassvet.cells);
      expect(auto.json().created).toBe(
        after.entries.reduce((s: number, e: { assigned: number }) => s + e.assigned, 0) -
          before.entries.reduce((s: number, e: { assigned: number }) => s + e.assigned, 0),
      );
      expect(
        await d.db.selectFrom('score_sheets').selectAll().where('contest_id', '=', region.id).orderBy('id').execute(),
      ).toEqual(sheetsBefore);
    } finally {
      await demo.cleanup();
      await d.close();
    }
  });
});
