import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueCertificates } from '../../server/src/modules/certificates/service.ts';
import { normalizeCode } from '../../server/src/modules/certificates/codes.ts';
import { VERIFY_LIMIT } from '../../server/src/modules/auth/throttle.ts';
import {
  buildTestApp,
  createUserInDb,
  isRussian,
  registerUser,
  signIn,
  uniqueIp,
  PUBLIC_URL,
  type App,
  type Registered,
} from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { pdfPageCount, pdfQrCodes, pdfText, pdfWordBoxes } from '../helpers/pdf.ts';

let t: TestDb;
let app: App;
let contestId: string;
let organizerCookie: string;
let winner: Registered;
let other: Registered;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
  const contest = await t.db
    .insertInto('contests')
    .values({
      slug: 'cert-test',
      title: 'Лучший руководитель ТОС Смоленской области',
      applications_open_at: new Date(Date.now() - 30 * 864e5),
      applications_close_at: new Date(Date.now() - 10 * 864e5),
      review_end_at: new Date(Date.now() - 5 * 864e5),
      results_published_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  contestId = contest.id;
  const organizer = await createUserInDb(t.db, { roles: ['organizer'] });
  organizerCookie = await signIn(app, organizer.email, organizer.password);
  winner = await registerUser(app, { lastName: 'Иванова', firstName: 'Мария', middleName: 'Сергеевна' });
  other = await registerUser(app, { lastName: 'Петров', firstName: 'Пётр', middleName: 'Петрович' });
  await issueCertificates(t.db, {
    now: new Date(),
    event: { contestId },
    award: 'place1',
    issuedBy: organizer.id,
    recipients: [
      {
        key: `user:${winner.user.id}`,
        userId: winner.user.id,
        name: winner.user.fullName,
        values: { номинация: 'Лучший старейшина', место: '1' },
      },
    ],
  });
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function mine(cookie: string) {
  const res = await app.inject({ method: 'GET', url: '/api/certificates/mine', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json().certificates as { id: string; registryNumber: string; awardLabel: string; revoked: boolean }[];
}

async function codeOf(id: string): Promise<string> {
  return (await t.db.selectFrom('certificates').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code;
}

describe('issuing', () => {
  test('issuing again duplicates nothing; registry numbers and codes are unique', async () => {
    const again = await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'place1',
      issuedBy: null,
      recipients: [{ key: `user:${winner.user.id}`, userId: winner.user.id, name: winner.user.fullName }],
    });
    expect(again).toEqual({ issued: 0, alreadyIssued: 1 });
    const list = await mine(winner.cookie);
    expect(list).toHaveLength(1);
    expect(list[0].registryNumber).toMatch(/^Д-\d{4}-\d{6}$/);
    expect(list[0].awardLabel).toBe('Диплом I степени');
    expect(normalizeCode(await codeOf(list[0].id))).not.toBeNull();
  });
});

describe('the PDF a recipient downloads', () => {
  test('holds the name in Cyrillic, the award and the code, and its QR code opens the verification page', async () => {
    const [cert] = await mine(winner.cookie);
    const res = await app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: { cookie: winner.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="certificate-${cert.registryNumber.replace('Д', 'D')}.pdf"`,
    );
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Иванова Мария Сергеевна');
    expect(text).toContain('ДИПЛОМ');
    expect(text).toContain('I степени');
    expect(text).toContain('Лучший старейшина');
    const code = await codeOf(cert.id);
    expect(text.replace(/-/g, '')).toContain(code);
    expect(text).toContain(cert.registryNumber);
    expect(pdfQrCodes(res.rawPayload)).toEqual([`${PUBLIC_URL}/verify/${code}`]);
  });

  test("nobody downloads another person's certificate; anonymous gets 401", async () => {
    const [cert] = await mine(winner.cookie);
    const stranger = await app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: { cookie: other.cookie },
    });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.headers['content-type']).toContain('application/json');
    const anonymous = await app.inject({ method: 'GET', url: `/api/certificates/${cert.id}/pdf` });
    expect(anonymous.statusCode).toBe(401);
    expect(await mine(other.cookie)).toEqual([]);
  });

  test('long names and titles stay inside the frame', async () => {
    const longName = 'Константинопольская-Щедрина Анастасия-Александра Владимировна-Святославовна';
    await t.db
      .updateTable('contests')
      .set({
        title:
          'Лучший председатель территориального общественного самоуправления, лучшая общественная инициатива в решении вопросов местного значения в городе Смоленске и Смоленской области'.repeat(
            2,
          ),
      })
      .where('id', '=', contestId)
      .execute();
    const long = await registerUser(app, {
      lastName: 'Константинопольская-Щедрина',
      firstName: 'Анастасия-Александра',
      middleName: 'Владимировна-Святославовна',
    });
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients: [{ key: `user:${long.user.id}`, userId: long.user.id, name: longName }],
    });
    const [cert] = await mine(long.cookie);
    // The widest letters in the code, so that the footer is checked at its worst.
    await t.db.updateTable('certificates').set({ code: 'WMWMWMWMWMWMWMWM' }).where('id', '=', cert.id).execute();
    const res = await app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: { cookie: long.cookie },
    });
    const { pages } = pdfWordBoxes(res.rawPayload);
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page.words.map((w) => w.text).join(' ')).toContain('Константинопольская-Щедрина');
    for (const w of page.words) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(26);
      expect(w.xMax, w.text).toBeLessThanOrEqual(page.width - 26);
      expect(w.yMax, w.text).toBeLessThanOrEqual(page.height - 26);
    }
  });
});

describe('public verification', () => {
  test('a valid code shows who, what, which contest and when, typed in any case and with dashes', async () => {
    const [cert] = await mine(winner.cookie);
    const code = await codeOf(cert.id);
    const typed = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`.toLowerCase();
    const res = await app.inject({ method: 'GET', url: `/api/verify/${typed}`, remoteAddress: uniqueIp() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'valid',
      recipientName: 'Иванова Мария Сергеевна',
      awardLabel: 'Диплом I степени',
      registryNumber: cert.registryNumber,
    });
    expect(res.json().eventTitle).toContain('Лучш');
  });

  test('while the results are unpublished for review, verification says so instead of «valid»; a letter of thanks stays valid', async () => {
    const [cert] = await mine(winner.cookie);
    const code = await codeOf(cert.id);
    await t.db.updateTable('contests').set({ results_published_at: null }).where('id', '=', contestId).execute();
    try {
      expect(
        (await app.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: uniqueIp() })).json().status,
      ).toBe('under_review');
      const juror = await registerUser(app);
      await issueCertificates(t.db, {
        now: new Date(),
        event: { contestId },
        award: 'juror_thanks',
        issuedBy: null,
        recipients: [{ key: `juror:${juror.user.id}`, userId: juror.user.id, name: juror.user.fullName }],
      });
      const [letter] = await mine(juror.cookie);
      expect(
        (
          await app.inject({ method: 'GET', url: `/api/verify/${await codeOf(letter.id)}`, remoteAddress: uniqueIp() })
        ).json().status,
      ).toBe('valid');
    } finally {
      await t.db
        .updateTable('contests')
        .set({ results_published_at: new Date() })
        .where('id', '=', contestId)
        .execute();
    }
    expect(
      (await app.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: uniqueIp() })).json().status,
    ).toBe('valid');
  });

  test('an unknown code says so and reveals nothing else', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/verify/ABCD-EFGH-JKMN-PQRS', remoteAddress: uniqueIp() });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('Документ с таким кодом не найден. Проверьте, что код введён без ошибок.');
    expect(Object.keys(res.json())).toEqual(['error']);
  });

  test('a prize ceremony on one shared Wi-Fi: hundreds of valid checks pass, typos are allowed, guessing is stopped with a Russian 429', async () => {
    const [cert] = await mine(winner.cookie);
    const code = await codeOf(cert.id);
    const hall = uniqueIp();
    // Every diploma of the hall checked, some twice: valid checks are not counted.
    for (let i = 0; i < 400; i++) {
      const res = await app.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: hall });
      expect(res.statusCode, `check ${i + 1}`).toBe(200);
    }
    for (let i = 0; i < VERIFY_LIMIT.max; i++) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/verify/ZZZZ-ZZZZ-ZZZZ-Z${String(i).padStart(3, '2')}`,
        remoteAddress: hall,
      });
      expect(res.statusCode, `typo ${i + 1}`).toBe(404);
    }
    const stopped = await app.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: hall });
    expect(stopped.statusCode).toBe(429);
    expect(stopped.json().error.code).toBe('too_many_verifications');
    expect(stopped.json().error.message).toMatch(
      /^С этого адреса проверено слишком много неверных кодов подряд\. Повторите через \d+ мин\./,
    );
    expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
    // The count is in the database: another server process on it refuses too; another address is not affected.
    const second = await buildTestApp(t.db);
    try {
      expect((await second.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: hall })).statusCode).toBe(
        429,
      );
    } finally {
      await second.close();
    }
    expect(
      (await app.inject({ method: 'GET', url: `/api/verify/${code}`, remoteAddress: uniqueIp() })).statusCode,
    ).toBe(200);
  });

  test('a revoked certificate is reported as revoked with the reason; revoking is for organizers only and audited', async () => {
    const winner2 = await registerUser(app);
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'place2',
      issuedBy: null,
      recipients: [{ key: `user:${winner2.user.id}`, userId: winner2.user.id, name: winner2.user.fullName }],
    });
    const [cert] = await mine(winner2.cookie);
    const byRecipient = await app.inject({
      method: 'POST',
      url: `/api/certificates/${cert.id}/revoke`,
      headers: { cookie: winner2.cookie },
      payload: { reason: 'ошибка' },
    });
    expect(byRecipient.statusCode).toBe(403);
    const empty = await app.inject({
      method: 'POST',
      url: `/api/certificates/${cert.id}/revoke`,
      headers: { cookie: organizerCookie },
      payload: { reason: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.reason).toContain('Причина отзыва');
    const res = await app.inject({
      method: 'POST',
      url: `/api/certificates/${cert.id}/revoke`,
      headers: { cookie: organizerCookie },
      payload: { reason: 'Ошибка в фамилии' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().revoked).toBe(true);
    const verify = await app.inject({
      method: 'GET',
      url: `/api/verify/${await codeOf(cert.id)}`,
      remoteAddress: uniqueIp(),
    });
    expect(verify.json()).toMatchObject({ status: 'revoked', revokeReason: 'Ошибка в фамилии' });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', cert.id)
      .where('action', '=', 'certificate.revoke')
      .execute();
    expect(audit).toHaveLength(1);
    const twice = await app.inject({
      method: 'POST',
      url: `/api/certificates/${cert.id}/revoke`,
      headers: { cookie: organizerCookie },
      payload: { reason: 'ещё раз' },
    });
    expect(twice.statusCode).toBe(409);
  });
});

describe('printing and templates (organizers)', () => {
  test('the batch PDF holds every valid certificate of the contest, one per page; it is for organizers only', async () => {
    const recipients = Array.from({ length: 25 }, (_, i) => ({
      key: `bulk:${i}`,
      userId: null,
      name: `Участник Номер ${i + 1}`,
    }));
    await issueCertificates(t.db, {
      now: new Date(),
      event: { contestId },
      award: 'participant',
      issuedBy: null,
      recipients,
    });
    const all = await app.inject({
      method: 'GET',
      url: `/api/certificates?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
    });
    const valid = all.json().certificates.filter((c: { revoked: boolean }) => !c.revoked);
    const res = await app.inject({
      method: 'GET',
      url: `/api/certificates/batch.pdf?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
    });
    expect(res.statusCode).toBe(200);
    expect(pdfPageCount(res.rawPayload)).toBe(valid.length);
    expect(pdfText(res.rawPayload)).toContain('Участник Номер 25');

    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/certificates/batch.pdf?contestId=${contestId}`,
          headers: { cookie: winner.cookie },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: `/api/certificates/batch.pdf?contestId=${contestId}` })).statusCode,
    ).toBe(401);
  });

  test('an organizer rewords a template; an unknown placeholder is refused naming the field; the preview renders it', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/certificate-templates/place3?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
      payload: {
        title: 'ДИПЛОМ',
        subtitle: 'III степени',
        lead: 'награждается',
        body: 'за {мест} место',
        orientation: 'landscape',
        place: 'г. Смоленск',
        signatories: [],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.body).toContain('{мест}');
    const ok = await app.inject({
      method: 'PUT',
      url: `/api/certificate-templates/place3?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
      payload: {
        title: 'ДИПЛОМ',
        subtitle: 'III степени',
        lead: 'награждается',
        body: 'за {место} место в номинации «{номинация}»',
        orientation: 'portrait',
        place: 'г. Смоленск',
        signatories: [{ position: 'Председатель жюри', name: 'А. В. Соколов' }],
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ custom: true, orientation: 'portrait' });
    const list = await app.inject({
      method: 'GET',
      url: `/api/certificate-templates?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
    });
    // Only the awards a contest gives: no olympiad winner's or prize-winner's diploma.
    expect(list.json().templates.map((x: { award: string }) => x.award)).toEqual([
      'place1',
      'place2',
      'place3',
      'participant',
      'juror_thanks',
    ]);
    const foreign = await app.inject({
      method: 'PUT',
      url: `/api/certificate-templates/winner?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
      payload: {
        title: 'ДИПЛОМ',
        subtitle: 'победителя',
        lead: 'награждается',
        body: 'победитель',
        orientation: 'landscape',
        place: '',
        signatories: [],
      },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toContain('Диплом победителя');
    const preview = await app.inject({
      method: 'GET',
      url: `/api/certificate-templates/place3/preview.pdf?contestId=${contestId}`,
      headers: { cookie: organizerCookie },
    });
    expect(preview.statusCode).toBe(200);
    const text = pdfText(preview.rawPayload);
    expect(text).toContain('Председатель жюри');
    expect(text).toContain('г. Смоленск');
    expect(isRussian(text)).toBe(true);
    const forApplicant = await app.inject({
      method: 'GET',
      url: `/api/certificate-templates?contestId=${contestId}`,
      headers: { cookie: winner.cookie },
    });
    expect(forApplicant.statusCode).toBe(403);
  });
});
