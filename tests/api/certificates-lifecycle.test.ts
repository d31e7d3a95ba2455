import { describe, expect, test } from 'vitest';
import { registerUser, uniqueEmail, uniqueIp } from '../helpers/app.ts';
import { closedContestWith, publishContestResults } from '../helpers/contest.ts';
import { CLOSED_TASK_SET, createOlympiad, enrolStudents, importTasks, takeOlympiad } from '../helpers/olympiad.ts';
import { pdfText, pdfTitle } from '../helpers/pdf.ts';
import { withOrganizer } from '../helpers/suite.ts';
import type { App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';

/**
 * Issued documents follow the published results (issue 12): after a change of the results the organizer sees, per award
 * and per person, what to issue and what to revoke, and one action brings them into line; a revoked document can be
 * replaced; verification tells a replaced document and results under review from a valid one.
 */
let t: TestDb;
let app: App;
let organizer: string;
let organizerId: string;

withOrganizer((s) => ({ t, app, organizer, organizerId } = s));

interface Plan {
  resultsPublished: boolean;
  inLine: boolean;
  planId: string;
  missingDetails: string[];
  awards: {
    award: string;
    entitled: number;
    issued: number;
    revoked: number;
    toIssue: {
      recipientKey: string;
      recipientName: string;
      forms: Record<string, string>;
      corrected: boolean;
      replaces: { id: string } | null;
    }[];
    toRevoke: { id: string; registryNumber: string; recipientKey: string; recipientName: string }[];
  }[];
}

const state = async (query: string): Promise<Plan> => {
  const res = await app.inject({
    method: 'GET',
    url: `/api/certificates/issuing?${query}`,
    headers: { cookie: organizer },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const of = (plan: Plan, award: string) => plan.awards.find((a) => a.award === award)!;
const verify = async (code: string) =>
  (await app.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: uniqueIp() })).json();
const certs = (where: { contestId?: string; olympiadId?: string }) =>
  t.db
    .selectFrom('certificates')
    .selectAll()
    .where(where.contestId ? 'contest_id' : 'olympiad_id', '=', (where.contestId ?? where.olympiadId)!)
    .orderBy('registry_number')
    .execute();

describe('a contest whose results change after the documents are out', () => {
  test('unpublished: verification says the results are under review, nothing is revoked yet; re-published with other places: the preview lists both sides and one action brings them into line', async () => {
    const { contestId, nominationId, entries } = await closedContestWith(t.db, app, [
      ['Белова', 'Елена', 'Николаевна'],
      ['Петров', 'Пётр', 'Петрович'],
    ]);
    const [belova, petrov] = entries;
    await publishContestResults(t.db, contestId, [
      { applicationId: belova.applicationId, nominationId, place: 1 },
      { applicationId: petrov.applicationId, nominationId, place: null },
    ]);
    const first = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    expect(first.statusCode, first.body).toBe(200);
    const issued = await certs({ contestId });
    const diploma = issued.find((c) => c.award === 'place1')!;
    expect((await verify(diploma.code)).status).toBe('valid');

    // «Снять с публикации»: the documents are under review, not valid without a word.
    const off = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/unpublish`,
      headers: { cookie: organizer },
    });
    expect(off.statusCode, off.body).toBe(200);
    const review = await verify(diploma.code);
    expect(review.status).toBe('under_review');
    const underReview = await state(`contestId=${contestId}`);
    expect(underReview.resultsPublished).toBe(false);
    expect(underReview.awards.every((a) => a.toRevoke.length === 0 && a.toIssue.length === 0)).toBe(true);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/contests/${contestId}/certificates/issue`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(409);

    // Re-published with the places swapped (an override changed in between).
    await publishContestResults(t.db, contestId, [
      { applicationId: petrov.applicationId, nominationId, place: 1 },
      { applicationId: belova.applicationId, nominationId, place: null },
    ]);
    const plan = await state(`contestId=${contestId}`);
    expect(plan.inLine).toBe(false);
    // Before: «Положено 1 / Выдано 2» with no word. Now the table counts valid documents and names each person.
    expect(of(plan, 'place1')).toMatchObject({ entitled: 1, issued: 1 });
    expect(of(plan, 'place1').toIssue.map((p) => p.recipientName)).toEqual(['Петров Пётр Петрович']);
    expect(of(plan, 'place1').toRevoke.map((p) => [p.recipientName, p.registryNumber])).toEqual([
      ['Белова Елена Николаевна', diploma.registry_number],
    ]);
    expect(of(plan, 'participant').toIssue.map((p) => p.recipientName)).toEqual(['Белова Елена Николаевна']);
    expect(of(plan, 'participant').toRevoke.map((p) => p.recipientName)).toEqual(['Петров Пётр Петрович']);

    // A plan that is not the one on the organizer's screen is refused.
    const stale = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue?plan=0000000000000000`,
      headers: { cookie: organizer },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('plan_changed');
    expect(await certs({ contestId })).toHaveLength(2);

    const done = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue?plan=${plan.planId}`,
      headers: { cookie: organizer },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ issued: 2, revoked: 2 });

    const after = await certs({ contestId });
    const valid = after.filter((c) => !c.revoked_at).map((c) => [c.recipient_name, c.award]);
    expect(valid.sort()).toEqual([
      ['Белова Елена Николаевна', 'participant'],
      ['Петров Пётр Петрович', 'place1'],
    ]);
    expect(after.filter((c) => c.revoked_at).every((c) => c.revoke_reason === 'итоги изменены')).toBe(true);
    expect(await verify(diploma.code)).toMatchObject({ status: 'revoked', revokeReason: 'итоги изменены' });
    expect((await state(`contestId=${contestId}`)).inLine).toBe(true);

    // Audited with both lists.
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'after'])
      .where('action', '=', 'certificates.issue_from_results')
      .where('entity_id', '=', contestId)
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toMatchObject({
      actor_id: organizerId,
      after: { place1: { revoked: 1, issued: 1, revokedNumbers: [diploma.registry_number] } },
    });

    // Again: nothing changes.
    const again = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    expect(again.json()).toMatchObject({ issued: 0, revoked: 0 });
    expect(await certs({ contestId })).toHaveLength(4);

    // Each recipient is told by mail, with where to download the document.
    const mail = await t.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject', 'body'])
      .where('to_address', '=', petrov.applicant.user.email)
      .execute();
    const letters = mail.filter((m) => m.subject.startsWith('Вам выдан наградной документ'));
    expect(letters.map((m) => m.subject).sort()).toEqual([
      'Вам выдан наградной документ: Диплом I степени',
      'Вам выдан наградной документ: Сертификат участника',
    ]);
    expect(letters[0].body).toContain('http://localhost:3000/account');
    expect(letters[0].body).toContain('http://localhost:3000/verify/');
  });

  test('a revoked document is replaced by a new one (new number and code); the old one says it was replaced and names nothing more', async () => {
    const { contestId, nominationId, entries } = await closedContestWith(t.db, app, [
      ['Сидорова', 'Анна', 'Ивановна'],
      ['Кузнецов', 'Иван', 'Ильич'],
    ]);
    await publishContestResults(
      t.db,
      contestId,
      entries.map((e, i) => ({ applicationId: e.applicationId, nominationId, place: i + 1 })),
    );
    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    const [first, second] = await certs({ contestId });

    // A typo on the batch: the organizer revokes both; issuing again used to say «выдано 0, уже были 2».
    for (const c of [first, second]) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/certificates/${c.id}/revoke`,
        headers: { cookie: organizer },
        payload: { reason: 'Опечатка в названии конкурса' },
      });
      expect(res.statusCode).toBe(200);
    }
    const replaced = await app.inject({
      method: 'POST',
      url: `/api/certificates/${first.id}/replace`,
      headers: { cookie: organizer },
      payload: {},
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const fresh = (await certs({ contestId })).find((c) => c.id === replaced.json().id)!;
    expect(fresh.registry_number).not.toBe(first.registry_number);
    expect(fresh.code).not.toBe(first.code);
    expect([fresh.award, fresh.recipient_key, fresh.revoked_at]).toEqual([first.award, first.recipient_key, null]);
    const old = await verify(first.code);
    expect(old).toMatchObject({ status: 'replaced', replacedOn: fresh.issued_on, revokeReason: null });
    expect(JSON.stringify(old)).not.toContain(fresh.code);
    expect(JSON.stringify(old)).not.toContain(fresh.registry_number);
    expect((await verify(fresh.code)).status).toBe('valid');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/certificates/${first.id}/replace`,
          headers: { cookie: organizer },
          payload: {},
        })
      ).statusCode,
    ).toBe(409);

    // The rest of the batch: reconciling issues the missing one, as a replacement of the revoked one.
    const plan = await state(`contestId=${contestId}`);
    expect(of(plan, 'place2').toIssue).toEqual([
      expect.objectContaining({
        recipientName: 'Кузнецов Иван Ильич',
        replaces: expect.objectContaining({ id: second.id }),
      }),
    ]);
    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    expect((await verify(second.code)).status).toBe('replaced');

    // A valid document is replaced in one step with a reason; without one it is refused.
    const current = (await certs({ contestId })).find((c) => c.award === 'place2' && !c.revoked_at)!;
    const noReason = await app.inject({
      method: 'POST',
      url: `/api/certificates/${current.id}/replace`,
      headers: { cookie: organizer },
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeDefined();
    const withReason = await app.inject({
      method: 'POST',
      url: `/api/certificates/${current.id}/replace`,
      headers: { cookie: organizer },
      payload: { reason: 'Ошибка в отчестве' },
    });
    expect(withReason.statusCode, withReason.body).toBe(200);
    expect((await verify(current.code)).status).toBe('replaced');
    const letters = await t.db
      .selectFrom('mail_outbox')
      .select(['subject', 'body'])
      .where('to_address', '=', entries[1].applicant.user.email)
      .where('subject', 'like', 'Ваш наградной документ заменён%')
      .execute();
    expect(letters.length).toBeGreaterThanOrEqual(2);
    expect(letters[0].body).toContain('/account');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/certificates/${current.id}/replace`,
          headers: { cookie: entries[1].applicant.cookie },
          payload: { reason: 'сам' },
        })
      ).statusCode,
    ).toBe(403);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', withReason.json().id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['certificate.replace']);
  });

  test('a document the results no longer call for cannot be replaced', async () => {
    const { contestId, nominationId, entries } = await closedContestWith(t.db, app, [['Орлова', 'Вера', 'Павловна']]);
    await publishContestResults(t.db, contestId, [{ applicationId: entries[0].applicationId, nominationId, place: 1 }]);
    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/results/unpublish`,
      headers: { cookie: organizer },
    });
    await publishContestResults(t.db, contestId, [{ applicationId: entries[0].applicationId, nominationId, place: 2 }]);
    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    const stale = (await certs({ contestId })).find((c) => c.award === 'place1')!;
    expect(stale.revoke_reason).toBe('итоги изменены');
    const res = await app.inject({
      method: 'POST',
      url: `/api/certificates/${stale.id}/replace`,
      headers: { cookie: organizer },
      payload: {},
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('not_entitled');
  });
});

describe('an olympiad appeal after the documents are out', () => {
  test('a student raised to winner: the participant certificate is revoked and the diploma issued; only the diploma verifies', async () => {
    const olympiadId = await createOlympiad(t.db);
    await importTasks(app, organizer, olympiadId, CLOSED_TASK_SET);
    const [anna, boris] = await enrolStudents(app, organizer, olympiadId, 2);
    await takeOlympiad(app, t.db, olympiadId, anna, 6);
    await takeOlympiad(app, t.db, olympiadId, boris, 4, [{ task: 4, answer: { pairs: { l1: 'r1', l2: 'r2' } } }]);
    await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/award-rule`,
      headers: { cookie: organizer },
      payload: { thresholdShare: 0.5, quotaShare: 0.5, winners: 1, perGrade: false },
    });
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
    const borisEmail = uniqueEmail('boris');
    const borisUser = await t.db
      .selectFrom('olympiad_participants')
      .select('user_id')
      .where('id', '=', boris.participantId)
      .executeTakeFirstOrThrow();
    await t.db.updateTable('users').set({ email: borisEmail }).where('id', '=', borisUser.user_id).execute();
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/olympiads/${olympiadId}/certificates/issue`,
          headers: { cookie: organizer },
        })
      ).statusCode,
    ).toBe(200);
    const before = await certs({ olympiadId });
    const borisKey = `participant:${boris.participantId}`;
    const participantCert = before.find((c) => c.recipient_key === borisKey)!;
    expect(participantCert.award).toBe('participant');

    const tasks = await t.db
      .selectFrom('olympiad_tasks')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .orderBy('position')
      .execute();
    for (const task of [4, 5]) {
      const filed = await app.inject({
        method: 'POST',
        url: `/api/olympiads/${olympiadId}/appeals`,
        headers: { cookie: boris.cookie },
        payload: { taskId: tasks[task].id, text: 'Прошу пересмотреть.' },
      });
      expect(filed.statusCode, filed.body).toBe(201);
    }
    const appeals = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/appeals`, headers: { cookie: organizer } })
    ).json().appeals as { id: string; maxPoints: number }[];
    for (const a of appeals) {
      const res = await app.inject({
        method: 'PUT',
        url: `/api/olympiads/${olympiadId}/appeals/${a.id}/decision`,
        headers: { cookie: organizer },
        payload: { decision: 'raise', newPoints: a.maxPoints, reason: 'Ответ верный.' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const plan = await state(`olympiadId=${olympiadId}`);
    expect(of(plan, 'winner').toIssue.map((p) => p.recipientKey)).toEqual([borisKey]);
    expect(of(plan, 'participant').toRevoke.map((p) => p.id)).toEqual([participantCert.id]);

    const res = await app.inject({
      method: 'POST',
      url: `/api/olympiads/${olympiadId}/certificates/issue?plan=${plan.planId}`,
      headers: { cookie: organizer },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await verify(participantCert.code)).toMatchObject({ status: 'revoked', revokeReason: 'итоги изменены' });
    const mine = (await certs({ olympiadId })).filter((c) => c.recipient_key === borisKey && !c.revoked_at);
    expect(mine.map((c) => c.award)).toEqual(['winner']);
    expect((await verify(mine[0].code)).status).toBe('valid');
    // The diploma names his school and grade.
    expect(mine[0].body).toContain('10А класса, Школа № 2,');

    // Boris gave a real address: he is told of the diploma, and of its replacement after a typo is fixed.
    const letters = () =>
      t.db
        .selectFrom('mail_outbox')
        .select(['subject', 'body'])
        .where('to_address', '=', borisEmail)
        .where('subject', 'like', 'Ва% наградной документ%')
        .orderBy('id')
        .execute();
    expect((await letters()).map((m) => m.subject)).toEqual([
      'Вам выдан наградной документ: Сертификат участника',
      'Вам выдан наградной документ: Диплом победителя',
    ]);
    const replaced = await app.inject({
      method: 'POST',
      url: `/api/certificates/${mine[0].id}/replace`,
      headers: { cookie: organizer },
      payload: { reason: 'Опечатка в названии школы' },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ award: 'winner', revoked: false });
    expect((await verify(mine[0].code)).status).toBe('replaced');
    const [, , second] = await letters();
    expect(second.subject).toBe('Ваш наградной документ заменён: Диплом победителя');
    expect(second.body).toContain(`Взамен документа № ${mine[0].registry_number}`);
    expect(second.body).toContain('http://localhost:3000/account');
    // Anna's roster address is under .invalid: nobody is written to there.
    const annaUser = await t.db
      .selectFrom('olympiad_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select('u.email')
      .where('p.id', '=', anna.participantId)
      .executeTakeFirstOrThrow();
    expect(
      await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', annaUser.email).execute(),
    ).toEqual([]);
  });
});

describe("Russian names and the organisation's templates", () => {
  test('a letter of thanks declines the name; placeholders give each case; the organizer corrects one person before issuing', async () => {
    const { contestId, nominationId, entries, jury } = await closedContestWith(
      t.db,
      app,
      [['Ким', 'Никита', 'Олегович']],
      [
        ['Белова', 'Елена', 'Николаевна'],
        ['Черных', 'Илья', 'Сергеевич'],
      ],
    );
    await publishContestResults(t.db, contestId, [{ applicationId: entries[0].applicationId, nominationId, place: 1 }]);
    const put = await app.inject({
      method: 'PUT',
      url: `/api/certificate-templates/place1?contestId=${contestId}`,
      headers: { cookie: organizer },
      payload: {
        title: 'ДИПЛОМ',
        subtitle: 'I степени',
        lead: 'вручается',
        recipient: '{ФИО_дат}',
        body: 'Диплом {ФИО_род} за 1 место. Поздравляем с победой, {ФИО}! Гордимся {ФИО_твор}, говорим о {ФИО_пред}, видим {ФИО_вин}.',
        orientation: 'landscape',
        place: '',
        signatories: [],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/certificate-templates/place1?contestId=${contestId}`,
      headers: { cookie: organizer },
      payload: {
        title: 'ДИПЛОМ',
        subtitle: '',
        lead: '',
        recipient: '{ФИО_дательный}',
        body: 'x',
        orientation: 'landscape',
        place: '',
        signatories: [],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.recipient).toContain('{ФИО_дательный}');

    // The preview lists each person with the cases; Черных does not decline, and petrovich knows it.
    const plan = await state(`contestId=${contestId}`);
    const thanks = of(plan, 'juror_thanks').toIssue;
    expect(thanks.find((p) => p.recipientName === 'Белова Елена Николаевна')!.forms.dative).toBe(
      'Беловой Елене Николаевне',
    );
    expect(thanks.find((p) => p.recipientName === 'Черных Илья Сергеевич')!.forms.dative).toBe(
      'Черных Илье Сергеевичу',
    );
    // The organizer corrects one person: the family spells it «Ильи» in the dative.
    const kimKey = `application:${entries[0].applicationId}`;
    const forms = {
      genitive: 'Ким Никиты Олеговича',
      dative: 'Ким Никите Олеговичу',
      accusative: 'Ким Никиту Олеговича',
      instrumental: 'Ким Никитой Олеговичем',
      prepositional: 'Ким Никите Олеговиче',
    };
    const unknown = await app.inject({
      method: 'PUT',
      url: `/api/certificates/name-forms?contestId=${contestId}`,
      headers: { cookie: organizer },
      payload: { recipientKey: 'application:none', forms },
    });
    expect(unknown.statusCode).toBe(404);
    const fix = await app.inject({
      method: 'PUT',
      url: `/api/certificates/name-forms?contestId=${contestId}`,
      headers: { cookie: organizer },
      payload: { recipientKey: kimKey, forms },
    });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(of(fix.json(), 'place1').toIssue[0]).toMatchObject({ corrected: true, forms });
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'certificates.name_forms_update')
        .execute(),
    ).toHaveLength(1);

    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    const rows = await certs({ contestId });
    const diploma = rows.find((c) => c.award === 'place1')!;
    expect(diploma.printed_name).toBe('Ким Никите Олеговичу');
    expect(diploma.recipient_name).toBe('Ким Никита Олегович');
    expect(diploma.body).toBe(
      'Диплом Ким Никиты Олеговича за 1 место. Поздравляем с победой, Ким Никита Олегович! Гордимся Ким Никитой Олеговичем, говорим о Ким Никите Олеговиче, видим Ким Никиту Олеговича.',
    );
    const letter = rows.find((c) => c.award === 'juror_thanks' && c.recipient_user_id === jury[0].id)!;
    expect([letter.lead, letter.printed_name]).toEqual(['выражается благодарность', 'Беловой Елене Николаевне']);
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/certificates/${letter.id}/pdf`,
      headers: { cookie: organizer },
    });
    expect(pdfText(pdf.rawPayload).replace(/\s+/g, ' ')).toContain('выражается благодарность Беловой Елене Николаевне');
    // The single document's PDF has its own title.
    expect(pdfTitle(pdf.rawPayload)).toBe(
      `Благодарственное письмо члену жюри № ${letter.registry_number} — Белова Елена Николаевна`,
    );
    const batch = await app.inject({
      method: 'GET',
      url: `/api/certificates/batch.pdf?contestId=${contestId}`,
      headers: { cookie: organizer },
    });
    expect(pdfTitle(batch.rawPayload)).toBe('Наградные документы');
  });

  test("the organisation's details and templates are printed by new and copied events; only the awards that apply are offered", async () => {
    const details = {
      name: 'Смоленское региональное отделение ВСМС',
      city: 'г. Смоленск',
      signatories: [
        { position: 'Председатель', name: 'И. П. Ковалёва' },
        { position: 'Председатель жюри', name: 'А. В. Соколов' },
      ],
    };
    const { contestId: before } = await closedContestWith(t.db, app, []);
    expect((await state(`contestId=${before}`)).missingDetails).toEqual(['название организации', 'город', 'подписант']);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/certificate-organisation',
          headers: { cookie: organizer },
          payload: { ...details, name: 'x'.repeat(301) },
        })
      ).statusCode,
    ).toBe(400);
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/certificate-organisation',
      headers: { cookie: organizer },
      payload: details,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(
      (
        await app.inject({ method: 'GET', url: '/api/certificate-organisation', headers: { cookie: organizer } })
      ).json(),
    ).toEqual(details);

    // An organisation-wide wording of the participant certificate.
    const orgTemplate = await app.inject({
      method: 'PUT',
      url: '/api/certificate-templates/participant?organisation=true',
      headers: { cookie: organizer },
      payload: {
        title: 'СЕРТИФИКАТ',
        subtitle: 'участника',
        lead: 'настоящим подтверждается, что',
        body: '{принял(а)} участие в мероприятии «{конкурс}»',
        orientation: 'landscape',
        place: '',
        signatories: [],
      },
    });
    expect(orgTemplate.statusCode, orgTemplate.body).toBe(200);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/certificate-templates?organisation=true',
          headers: { cookie: organizer },
        })
      ).json().templates,
    ).toHaveLength(7);

    const { contestId, nominationId, entries } = await closedContestWith(t.db, app, [
      ['Лебедева', 'Ольга', 'Игоревна'],
      ['Новиков', 'Олег', 'Ильич'],
    ]);
    const listed = (
      await app.inject({
        method: 'GET',
        url: `/api/certificate-templates?contestId=${contestId}`,
        headers: { cookie: organizer },
      })
    ).json().templates;
    expect(listed.find((x: { award: string }) => x.award === 'participant')).toMatchObject({
      source: 'organisation',
      custom: false,
      lead: 'настоящим подтверждается, что',
    });
    await publishContestResults(t.db, contestId, [
      { applicationId: entries[0].applicationId, nominationId, place: 1 },
      { applicationId: entries[1].applicationId, nominationId, place: null },
    ]);
    await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/certificates/issue`,
      headers: { cookie: organizer },
    });
    const rows = await certs({ contestId });
    // Every default template prints the issuing organisation, the city and date, and the signatories with positions.
    for (const c of rows) {
      expect(c.issuer).toBe(details.name);
      expect(c.place).toBe('г. Смоленск');
      expect(c.signatories).toEqual(details.signatories);
    }
    expect(rows.find((c) => c.award === 'participant')).toMatchObject({
      lead: 'настоящим подтверждается, что',
      body: 'принял участие в мероприятии «Лучший председатель ТОС»',
    });
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/certificates/${rows[0].id}/pdf`,
      headers: { cookie: organizer },
    });
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
    for (const s of [
      details.name,
      'г. Смоленск',
      'Председатель',
      'И. П. Ковалёва',
      'Председатель жюри',
      'А. В. Соколов',
      rows[0].issued_on,
    ])
      expect(text).toContain(s);

    // A copied contest keeps its source's own wording; the organisation's is used where it had none.
    await app.inject({
      method: 'PUT',
      url: `/api/certificate-templates/place1?contestId=${contestId}`,
      headers: { cookie: organizer },
      payload: {
        title: 'ДИПЛОМ ПОБЕДИТЕЛЯ',
        subtitle: 'I степени',
        lead: 'награждается',
        body: 'за {место} место',
        orientation: 'landscape',
        place: '',
        signatories: [],
      },
    });
    const copy = await app.inject({
      method: 'POST',
      url: `/api/contests/${contestId}/copy`,
      headers: { cookie: organizer },
      payload: {
        title: 'Лучший председатель ТОС — 2027',
        slug: `copy-${Math.random().toString(36).slice(2, 8)}`,
        shiftYears: 1,
      },
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const copied = (
      await app.inject({
        method: 'GET',
        url: `/api/certificate-templates?contestId=${copy.json().contest.id}`,
        headers: { cookie: organizer },
      })
    ).json().templates;
    expect(copied.find((x: { award: string }) => x.award === 'place1')).toMatchObject({
      source: 'event',
      title: 'ДИПЛОМ ПОБЕДИТЕЛЯ',
    });
    expect(copied.find((x: { award: string }) => x.award === 'participant')).toMatchObject({ source: 'organisation' });

    // An olympiad is offered only its own awards, and its participant certificate takes the organisation's wording too.
    const olympiadId = await createOlympiad(t.db);
    const olympiadTemplates = (
      await app.inject({
        method: 'GET',
        url: `/api/certificate-templates?olympiadId=${olympiadId}`,
        headers: { cookie: organizer },
      })
    ).json().templates;
    expect(olympiadTemplates.map((x: { award: string }) => x.award)).toEqual([
      'winner',
      'prize',
      'participant',
      'juror_thanks',
    ]);
    expect(olympiadTemplates.find((x: { award: string }) => x.award === 'participant')).toMatchObject({
      source: 'organisation',
    });
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: `/api/certificate-templates/place1?olympiadId=${olympiadId}`,
          headers: { cookie: organizer },
          payload: {
            title: 'Д',
            subtitle: '',
            lead: '',
            body: 'x',
            orientation: 'landscape',
            place: '',
            signatories: [],
          },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/certificate-organisation',
          headers: { cookie: (await registerUser(app, { email: uniqueEmail() }, { ip: uniqueIp() })).cookie },
          payload: details,
        })
      ).statusCode,
    ).toBe(403);
  });
});
