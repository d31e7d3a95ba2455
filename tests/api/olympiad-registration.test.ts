import { describe, expect, test } from 'vitest';
import { SELF_REGISTRATION_LIMIT } from '../../server/src/modules/auth/throttle.ts';
import { buildTestApp, me, setCookieLine, uniqueIp, type App } from '../helpers/app.ts';
import type { TestDb } from '../helpers/db.ts';
import { withOrganizer } from '../helpers/suite.ts';
import { createOlympiad } from '../helpers/olympiad.ts';

let t: TestDb;
let app: App;
let organizer: string;

withOrganizer((s) => ({ t, app, organizer } = s));

const SCHOOL = 'МБОУ «Средняя школа № 27» г. Смоленска';
const body = (over: Record<string, unknown> = {}) => ({
  lastName: 'Самостоятельная',
  firstName: 'Вера',
  middleName: 'Петровна',
  school: SCHOOL,
  grade: 10,
  className: '10б',
  guardianName: 'Самостоятельный Пётр Иванович',
  guardianConsent: true,
  consentVersion: 'olympiad-guardian-2026-11',
  ...over,
});
const register = (olympiadId: string, payload: object, ip = uniqueIp()) =>
  app.inject({ method: 'POST', url: `/api/olympiads/${olympiadId}/register`, remoteAddress: ip, payload });

describe('self-registration', () => {
  test('refused while the organizer has not enabled it', async () => {
    const olympiadId = await createOlympiad(t.db);
    const info = (await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/registration` })).json();
    expect(info.open).toBe(false);
    const res = await register(olympiadId, body());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('регистрация на эту олимпиаду закрыта');
    expect(
      await t.db.selectFrom('olympiad_participants').select('id').where('olympiad_id', '=', olympiadId).execute(),
    ).toEqual([]);
  });

  test("a student signs up with a guardian's consent, gets an access code once and is signed in; bad input names the field", async () => {
    const olympiadId = await createOlympiad(t.db);
    // Only the organizer enables it, and only with schools to choose from.
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: `/api/olympiads/${olympiadId}/registration`,
          payload: { selfRegistration: true, schools: [SCHOOL] },
        })
      ).statusCode,
    ).toBe(401);
    const noSchools = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/registration`,
      headers: { cookie: organizer },
      payload: { selfRegistration: true, schools: [' '] },
    });
    expect(noSchools.statusCode).toBe(400);
    expect(noSchools.json().error.fields.schools).toBeDefined();
    const enabled = await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/registration`,
      headers: { cookie: organizer },
      payload: { selfRegistration: true, schools: [SCHOOL, ` ${SCHOOL} `, 'Гимназия № 1'] },
    });
    expect(enabled.json()).toMatchObject({ open: true, schools: [SCHOOL, 'Гимназия № 1'] });

    const bad = await register(olympiadId, body({ school: 'Не из списка', grade: 7, guardianConsent: false }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toMatchObject({
      school: 'Выберите школу из списка.',
      grade: expect.stringContaining('10, 11'),
      guardianConsent: 'Без согласия родителя (законного представителя) зарегистрироваться нельзя.',
    });
    const noGuardian = await register(olympiadId, body({ guardianName: '  ' }));
    expect(noGuardian.json().error.fields.guardianName).toBe(
      'Заполните поле «ФИО родителя или законного представителя».',
    );
    const missing = await register(olympiadId, body({ lastName: '' }));
    expect(missing.json().error.fields.lastName).toBe('Заполните поле «Фамилия».');
    expect(
      await t.db.selectFrom('olympiad_participants').select('id').where('olympiad_id', '=', olympiadId).execute(),
    ).toEqual([]);

    const res = await register(olympiadId, body());
    expect(res.statusCode, res.body).toBe(201);
    const { accessCode, user } = res.json();
    expect(accessCode).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(user.fullName).toBe('Самостоятельная Вера Петровна');
    const cookie = setCookieLine(res)!.split(';')[0];
    expect((await me(app, cookie))?.roles).toEqual(['student']);
    const my = (
      await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/my`, headers: { cookie } })
    ).json();
    expect(my.participant).toEqual({ school: SCHOOL, grade: 10, className: '10Б' });
    const participant = await t.db
      .selectFrom('olympiad_participants')
      .select(['cipher', 'access_code'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(participant.access_code).toBe(accessCode);
    expect(participant.cipher).toMatch(/^\d{4}-[А-Я]{2}$/);
    // The access code opens the account again.
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/access-code', payload: { code: accessCode } })).statusCode,
    ).toBe(200);

    const consent = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ purpose: 'olympiad_guardian', text_version: 'olympiad-guardian-2026-11' });
    const info = (await app.inject({ method: 'GET', url: `/api/olympiads/${olympiadId}/registration` })).json();
    expect(consent.text.startsWith(info.consent.text)).toBe(true);
    expect(consent.text).toContain('Родитель (законный представитель): Самостоятельный Пётр Иванович.');
  });

  test('sign-ups from one address are limited in the database (a whole class fits); form errors do not count', async () => {
    const olympiadId = await createOlympiad(t.db);
    await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/registration`,
      headers: { cookie: organizer },
      payload: { selfRegistration: true, schools: [SCHOOL] },
    });
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) expect((await register(olympiadId, body({ lastName: '' }), ip)).statusCode).toBe(400);
    for (let i = 0; i < SELF_REGISTRATION_LIMIT.max; i++) {
      const res = await register(olympiadId, body({ lastName: `Ученикова${i}` }), ip);
      expect(res.statusCode, `sign-up ${i + 1}: ${res.body}`).toBe(201);
    }
    const refused = await register(olympiadId, body({ lastName: 'Лишняя' }), ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_registrations');
    expect(refused.json().error.message).toMatch(
      /^С этого адреса зарегистрировано слишком много участников подряд\. Повторите через \d+ мин\.$/,
    );
    const second = await buildTestApp(t.db);
    try {
      expect(
        (
          await second.inject({
            method: 'POST',
            url: `/api/olympiads/${olympiadId}/register`,
            remoteAddress: ip,
            payload: body({ lastName: 'Другая' }),
          })
        ).statusCode,
      ).toBe(429);
    } finally {
      await second.close();
    }
    expect((await register(olympiadId, body({ lastName: 'Лишняя' }))).statusCode).toBe(201);
  });

  test('the same person twice (same name, school and grade) is refused and told to ask the organizer for the code', async () => {
    const olympiadId = await createOlympiad(t.db);
    await app.inject({
      method: 'PUT',
      url: `/api/olympiads/${olympiadId}/registration`,
      headers: { cookie: organizer },
      payload: { selfRegistration: true, schools: [SCHOOL] },
    });
    expect((await register(olympiadId, body())).statusCode).toBe(201);
    const again = await register(olympiadId, body({ lastName: ' самостоятельная ', className: '10в' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_registered');
    expect(again.json().error.message).toContain('попросите его у организатора');
    const rows = await t.db
      .selectFrom('olympiad_participants')
      .select('id')
      .where('olympiad_id', '=', olympiadId)
      .execute();
    expect(rows).toHaveLength(1);
    // A namesake in another grade is another person.
    expect((await register(olympiadId, body({ grade: 11, className: '11а' }))).statusCode).toBe(201);
  });
});
