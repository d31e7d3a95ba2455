import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUserInDb, registerUser, signIn, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  createContestWithForm,
  DAY,
  multipart,
  organizerCookie,
  PDF_SMALL,
  PNG_1PX,
  validAnswers,
  type ApplicationsTestApp,
} from '../helpers/contest.ts';

let t: TestDb;
let h: ApplicationsTestApp;
let app: App;
let organizer: string;
let contest: { id: string; slug: string; nominations: Array<{ id: string; title: string }> };

beforeAll(async () => {
  t = await createTestDb();
  h = await buildApplicationsApp(t.db);
  app = h.app;
  organizer = await organizerCookie(app, t.db);
  contest = await createContestWithForm(app, organizer, h.clock.now());
});

afterAll(async () => {
  await h?.cleanup();
  await t?.close();
});

async function startApplication(cookie: string, nominationId = contest.nominations[0].id) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/applications',
    headers: { cookie },
    payload: { nominationId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().application as {
    id: string;
    status: string;
    missing: Record<string, string>;
    can: Record<string, boolean>;
  };
}

const put = (cookie: string, id: string, answers: unknown) =>
  app.inject({ method: 'PUT', url: `/api/applications/${id}/answers`, headers: { cookie }, payload: { answers } });
const get = (cookie: string | undefined, id: string) =>
  app.inject({ method: 'GET', url: `/api/applications/${id}`, headers: cookie ? { cookie } : {} });
const upload = (cookie: string, id: string, field: string, name: string, content: Buffer) => {
  const body = multipart(name, content);
  return app.inject({
    method: 'POST',
    url: `/api/applications/${id}/files?field=${field}`,
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
};
const submit = (cookie: string, id: string) =>
  app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: { cookie } });

async function completeApplication(cookie: string, nominationId?: string) {
  const a = await startApplication(cookie, nominationId);
  expect((await put(cookie, a.id, validAnswers())).statusCode).toBe(200);
  expect((await upload(cookie, a.id, 'photos', 'фото.png', PNG_1PX)).statusCode).toBe(201);
  return a.id;
}

describe('the applicant journey', () => {
  test('a draft lists the missing required fields, keeps incomplete answers, normalizes them, and refuses a wrong one at its field', async () => {
    const { cookie } = await registerUser(app);
    const a = await startApplication(cookie);
    expect(a.status).toBe('draft');
    expect(Object.keys(a.missing).sort()).toEqual(['about', 'consent', 'municipality', 'org', 'phone', 'photos']);
    expect(a.missing.org).toBe('Заполните поле «Название ТОС».');
    expect(a.missing.photos).toBe('Приложите файл в поле «Фотографии».');

    const saved = await put(cookie, a.id, { org: ' ТОС «Родник» ', phone: '8 (900) 123-45-67', email: 'не почта' });
    expect(saved.statusCode).toBe(200);
    const view = saved.json().application;
    expect(view.answers).toEqual({ org: 'ТОС «Родник»', phone: '+79001234567' });
    expect(saved.json().refused.email).toContain('адрес электронной почты');
    expect(view.missing.org).toBeUndefined();
    expect(view.can).toMatchObject({ edit: true, submit: true, withdraw: true, decide: false });

    // Reading it again returns exactly what was saved.
    expect((await get(cookie, a.id)).json().application.answers).toEqual(view.answers);
  });

  test('an answer for a field the form does not have is refused and nothing is saved', async () => {
    const { cookie } = await registerUser(app);
    const a = await startApplication(cookie);
    await put(cookie, a.id, { org: 'Первое' });
    const res = await put(cookie, a.id, { org: 'Второе', hacked: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.hacked).toBeDefined();
    expect((await get(cookie, a.id)).json().application.answers).toEqual({ org: 'Первое' });
  });

  test('submission refuses an incomplete application naming every field, then accepts it complete with a registration number', async () => {
    const { cookie, email } = await registerUser(app);
    const a = await startApplication(cookie);
    await put(cookie, a.id, { org: 'ТОС' });
    const refused = await submit(cookie, a.id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('incomplete');
    expect(refused.json().error.message).toBe('Заявка не подана: исправьте поля (5).');
    // Every one, in the form's order.
    expect(Object.keys(refused.json().error.fields)).toEqual(['about', 'phone', 'municipality', 'photos', 'consent']);
    expect((await get(cookie, a.id)).json().application.status).toBe('draft');

    await put(cookie, a.id, validAnswers());
    expect((await upload(cookie, a.id, 'photos', 'двор.png', PNG_1PX)).statusCode).toBe(201);
    const ok = await submit(cookie, a.id);
    expect(ok.statusCode, ok.body).toBe(200);
    const view = ok.json().application;
    expect(view.status).toBe('submitted');
    expect(view.registrationNumber).toMatch(/^ТОС-\d{4}-\d{3}$/);
    expect(view.can).toMatchObject({ edit: false, submit: false, withdraw: true });
    expect(view.history.map((s: { to: string }) => s.to)).toEqual(['draft', 'submitted']);
    expect(view.history[1].actor).toBe('Иванова Мария Сергеевна');

    // The consent text, time and person are stored; the confirmation e-mail is in the outbox.
    const consent = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('purpose', '=', `application:${a.id}:consent`)
      .executeTakeFirstOrThrow();
    expect(consent.text).toBe('Я согласен на обработку персональных данных по 152-ФЗ.');
    const mail = await app.inject({
      method: 'GET',
      url: `/api/mail/outbox?to=${encodeURIComponent(email)}`,
      headers: { cookie: organizer },
    });
    expect(mail.json().messages[0]).toMatchObject({
      subject: `Заявка ${view.registrationNumber} подана`,
      status: 'kept',
    });
    expect(mail.json().messages[0].body).toContain(view.registrationNumber);

    // Submitted: answers can no longer be changed by the applicant.
    const late = await put(cookie, a.id, { org: 'Другое' });
    expect(late.statusCode).toBe(409);
  });

  test('registration numbers run in sequence within a contest', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { cookie } = await registerUser(app);
      const id = await completeApplication(cookie);
      numbers.push((await submit(cookie, id)).json().application.registrationNumber);
    }
    const seq = numbers.map((n) => Number(n.slice(-3)));
    expect(seq[1]).toBe(seq[0] + 1);
  });

  test('one application per nomination; a second nomination is allowed; a withdrawn one frees the place', async () => {
    const { cookie } = await registerUser(app);
    const a = await startApplication(cookie);
    const again = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie },
      payload: { nominationId: contest.nominations[0].id },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_applied');
    await startApplication(cookie, contest.nominations[1].id);
    const withdrawn = await app.inject({
      method: 'POST',
      url: `/api/applications/${a.id}/withdraw`,
      headers: { cookie },
      payload: { reason: 'Передумала' },
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().application.status).toBe('withdrawn');
    expect(withdrawn.json().application.history.at(-1)).toMatchObject({
      from: 'draft',
      to: 'withdrawn',
      comment: 'Передумала',
    });
    await startApplication(cookie);
    const mine = await app.inject({ method: 'GET', url: '/api/applications/mine', headers: { cookie } });
    expect(mine.json().applications).toHaveLength(3);
  });

  test('returned for correction with a comment, fixed and resubmitted with the same number', async () => {
    const { cookie } = await registerUser(app);
    const id = await completeApplication(cookie);
    const number = (await submit(cookie, id)).json().application.registrationNumber;

    const noComment = await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/decision`,
      headers: { cookie: organizer },
      payload: { action: 'return' },
    });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().error.fields.comment).toBeDefined();

    const returned = await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/decision`,
      headers: { cookie: organizer },
      payload: { action: 'return', comment: 'Приложите фото двора.' },
    });
    expect(returned.statusCode).toBe(200);
    const mine = (await get(cookie, id)).json().application;
    expect(mine.status).toBe('returned');
    expect(mine.returnComment).toBe('Приложите фото двора.');
    expect(mine.can.edit).toBe(true);
    expect((await put(cookie, id, { ...validAnswers(), about: 'Добавили фото.' })).statusCode).toBe(200);
    const again = await submit(cookie, id);
    expect(again.statusCode).toBe(200);
    expect(again.json().application.registrationNumber).toBe(number);
    expect(
      again.json().application.history.map((s: { to: string; actorRole: string }) => `${s.to}:${s.actorRole}`),
    ).toEqual(['draft:applicant', 'submitted:applicant', 'returned:organizer', 'submitted:applicant']);

    const accepted = await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/decision`,
      headers: { cookie: organizer },
      payload: { action: 'accept' },
    });
    expect(accepted.json().application.status).toBe('accepted');
    const withdraw = await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/withdraw`,
      headers: { cookie },
      payload: {},
    });
    expect(withdraw.statusCode).toBe(409);
    const reject = await app.inject({
      method: 'POST',
      url: `/api/applications/${id}/decision`,
      headers: { cookie: organizer },
      payload: { action: 'reject', comment: 'поздно' },
    });
    expect(reject.statusCode).toBe(409);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'application.create',
      'application.answers.save',
      'application.file.add',
      'application.submit',
      'application.return',
      'application.answers.save',
      'application.submit',
      'application.accept',
    ]);
    expect(audit[4]).toMatchObject({
      before: { status: 'submitted' },
      after: { status: 'returned', comment: 'Приложите фото двора.' },
    });
  });
});

describe('the deadline', () => {
  test('nothing is submitted at or after the deadline; an individual extension lets one applicant submit', async () => {
    const now = h.clock.now();
    const close = new Date(now.getTime() + 2 * DAY);
    const c = await createContestWithForm(app, organizer, now, { applicationsCloseAt: close.toISOString() });
    const a = await registerUser(app);
    const b = await registerUser(app);
    const idA = await completeApplication(a.cookie, c.nominations[0].id);
    const idB = await completeApplication(b.cookie, c.nominations[0].id);

    try {
      h.clock.set(new Date(close.getTime() - 1));
      expect((await submit(a.cookie, idA)).statusCode).toBe(200);

      h.clock.set(close);
      const atDeadline = await submit(b.cookie, idB);
      expect(atDeadline.statusCode).toBe(409);
      expect(atDeadline.json().error.code).toBe('deadline_passed');
      expect(atDeadline.json().error.message).toContain('МСК');
      expect((await put(b.cookie, idB, validAnswers())).statusCode).toBe(409);
      expect((await upload(b.cookie, idB, 'photos', 'ещё.png', PNG_1PX)).statusCode).toBe(409);
      const newDraft = await app.inject({
        method: 'POST',
        url: '/api/applications',
        headers: { cookie: b.cookie },
        payload: { nominationId: c.nominations[1].id },
      });
      expect(newDraft.statusCode).toBe(409);

      const tooEarly = await app.inject({
        method: 'PUT',
        url: `/api/applications/${idB}/extension`,
        headers: { cookie: organizer },
        payload: { until: new Date(close.getTime() - DAY).toISOString() },
      });
      expect(tooEarly.statusCode).toBe(400);
      const extended = await app.inject({
        method: 'PUT',
        url: `/api/applications/${idB}/extension`,
        headers: { cookie: organizer },
        payload: { until: new Date(close.getTime() + DAY).toISOString() },
      });
      expect(extended.statusCode).toBe(200);
      expect(extended.json().application.deadline).toBe(new Date(close.getTime() + DAY).toISOString());
      expect((await submit(b.cookie, idB)).statusCode).toBe(200);

      // The extension is B's alone.
      const c2 = await registerUser(app);
      const late = await app.inject({
        method: 'POST',
        url: '/api/applications',
        headers: { cookie: c2.cookie },
        payload: { nominationId: c.nominations[0].id },
      });
      expect(late.statusCode).toBe(409);
    } finally {
      h.clock.set(now);
    }
  });
});

describe('permissions', () => {
  let a: { cookie: string };
  let b: { cookie: string };
  let idA: string;
  let fileA: string;

  beforeAll(async () => {
    a = await registerUser(app);
    b = await registerUser(app);
    idA = await completeApplication(a.cookie);
    fileA = (await get(a.cookie, idA)).json().application.files[0].id;
  });

  test('anonymous gets 401 on every application route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/applications/${idA}`],
      ['GET', '/api/applications/mine'],
      ['POST', '/api/applications', { nominationId: contest.nominations[0].id }],
      ['PUT', `/api/applications/${idA}/answers`, { answers: {} }],
      ['POST', `/api/applications/${idA}/submit`],
      ['POST', `/api/applications/${idA}/withdraw`, {}],
      ['GET', `/api/files/${fileA}`],
      ['DELETE', `/api/applications/${idA}/files/${fileA}`],
      ['GET', `/api/contests/${contest.id}/applications`],
      ['GET', `/api/contests/${contest.id}/applications/export?format=csv`],
      ['POST', `/api/applications/${idA}/decision`, { action: 'accept' }],
      ['PUT', `/api/applications/${idA}/extension`, { until: null }],
      ['GET', '/api/mail/outbox'],
    ];
    for (const [method, url, payload] of routes) {
      const res = await app.inject({ method: method as 'GET', url, payload: payload as object });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  test('applicant B can neither read, change, submit, withdraw nor download anything of applicant A', async () => {
    expect((await get(b.cookie, idA)).statusCode).toBe(404);
    expect((await put(b.cookie, idA, { org: 'Чужое' })).statusCode).toBe(404);
    expect((await submit(b.cookie, idA)).statusCode).toBe(404);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/applications/${idA}/withdraw`,
          headers: { cookie: b.cookie },
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
    expect((await upload(b.cookie, idA, 'photos', 'x.png', PNG_1PX)).statusCode).toBe(404);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/applications/${idA}/files/${fileA}`,
          headers: { cookie: b.cookie },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/api/files/${fileA}`, headers: { cookie: b.cookie } })).statusCode,
    ).toBe(404);
    const mine = await app.inject({ method: 'GET', url: '/api/applications/mine', headers: { cookie: b.cookie } });
    expect(mine.json().applications).toEqual([]);
    for (const url of [`/api/contests/${contest.id}/applications`, '/api/mail/outbox']) {
      expect((await app.inject({ method: 'GET', url, headers: { cookie: b.cookie } })).statusCode, url).toBe(403);
    }
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/applications/${idA}/decision`,
          headers: { cookie: b.cookie },
          payload: { action: 'accept' },
        })
      ).statusCode,
    ).toBe(403);
    // A's application is untouched.
    const view = (await get(a.cookie, idA)).json().application;
    expect(view.answers.org).toBe('ТОС «Родник»');
    expect(view.status).toBe('draft');
    expect(view.files).toHaveLength(1);
  });

  test('a juror gets nothing before assignment', async () => {
    const juror = await createUserInDb(t.db, { roles: ['juror'] });
    const cookie = await signIn(app, juror.email, juror.password);
    expect((await get(cookie, idA)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/files/${fileA}`, headers: { cookie } })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/api/contests/${contest.id}/applications`, headers: { cookie } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/contests/${contest.id}/applications/export?format=xlsx`,
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(403);
    // Jurors do not apply either.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/applications',
          headers: { cookie },
          payload: { nominationId: contest.nominations[0].id },
        })
      ).statusCode,
    ).toBe(403);
  });

  test('the owner and organizers download with Content-Disposition: attachment and the true type', async () => {
    for (const cookie of [a.cookie, organizer]) {
      const res = await app.inject({ method: 'GET', url: `/api/files/${fileA}`, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="/);
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('фото.png')}`);
      expect(res.rawPayload.equals(PNG_1PX)).toBe(true);
    }
    const preview = await app.inject({
      method: 'GET',
      url: `/api/files/${fileA}?preview=true`,
      headers: { cookie: a.cookie },
    });
    expect(preview.headers['content-disposition']).toMatch(/^inline;/);
  });
});

describe('organizer list and export', () => {
  test('filters by status, nomination and municipality with counts; exports XLSX and CSV', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const people = [await registerUser(app), await registerUser(app), await registerUser(app)];
    const ids: string[] = [];
    for (const [i, p] of people.entries()) {
      const a = await startApplication(p.cookie, c.nominations[i === 2 ? 1 : 0].id);
      await put(p.cookie, a.id, { ...validAnswers(), municipality: i === 0 ? 'город Смоленск' : 'Вяземский' });
      await upload(p.cookie, a.id, 'photos', 'фото.png', PNG_1PX);
      if (i < 2) expect((await submit(p.cookie, a.id)).statusCode).toBe(200);
      ids.push(a.id);
    }
    const list = async (q = '') =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/contests/${c.id}/applications${q}`,
          headers: { cookie: organizer },
        })
      ).json();
    const all = await list();
    expect(all.applications).toHaveLength(3); // the draft is listed too (the export leaves it out)
    expect(all.counts.byStatus).toEqual({ submitted: 2, draft: 1 });
    expect(all.counts.byNomination).toEqual({ [c.nominations[0].id]: 2 });
    expect(all.municipalities).toEqual(['Вяземский', 'город Смоленск']);
    expect(
      (await list('?municipality=' + encodeURIComponent('город Смоленск'))).applications.map(
        (x: { id: string }) => x.id,
      ),
    ).toEqual([ids[0]]);
    expect((await list('?status=accepted')).applications).toEqual([]);
    expect((await list(`?nominationId=${c.nominations[1].id}`)).applications.map((x: { id: string }) => x.id)).toEqual([
      ids[2],
    ]);

    const csv = await app.inject({
      method: 'GET',
      url: `/api/contests/${c.id}/applications/export?format=csv`,
      headers: { cookie: organizer },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename=".*\.csv"/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('Рег. номер;Статус;Номинация;Заявитель');
    expect(lines[0]).toContain('Муниципальное образование');
    expect(lines).toHaveLength(3);
    expect(csv.body).toContain('+79001234567');
    expect(lines[1]).toMatch(/;\d{2}\.\d{2}\.\d{4} \d{2}:\d{2};/);

    const xlsx = await app.inject({
      method: 'GET',
      url: `/api/contests/${c.id}/applications/export?format=xlsx&municipality=${encodeURIComponent('Вяземский')}`,
      headers: { cookie: organizer },
    });
    expect(xlsx.statusCode).toBe(200);
    const { readTable } = await import('../../server/src/lib/spreadsheet.ts');
    const rows = await readTable(xlsx.rawPayload, 'x.xlsx');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('Вяземский');
    expect(rows[1]).toContain('Подана');
  });
});

describe('upload refusals leave nothing behind', () => {
  let cookie: string;
  let id: string;
  beforeAll(async () => {
    cookie = (await registerUser(app)).cookie;
    id = (await startApplication(cookie)).id;
  });

  const expectNothingStored = async (before: string[]) => {
    expect(h.storedFiles()).toEqual(before);
    expect((await get(cookie, id)).json().application.files).toHaveLength(0);
  };

  test('too big', async () => {
    const before = h.storedFiles();
    const big = Buffer.concat([PNG_1PX, Buffer.alloc(1024 * 1024 + 10)]);
    const res = await upload(cookie, id, 'photos', 'большое.png', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.fields.photos).toContain('больше 1 МБ');
    await expectNothingStored(before);
  });

  test('wrong real type: a renamed .exe', async () => {
    const before = h.storedFiles();
    const res = await upload(
      cookie,
      id,
      'photos',
      'фото.jpg',
      Buffer.from(PNG_1PX.length ? Buffer.concat([Buffer.from('MZ'), Buffer.alloc(5000, 7)]) : ''),
    );
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toContain('JPEG, PNG, WebP, PDF');
    await expectNothingStored(before);
  });

  test('empty file', async () => {
    const before = h.storedFiles();
    const res = await upload(cookie, id, 'photos', 'пусто.png', Buffer.alloc(0));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('file_empty');
    await expectNothingStored(before);
  });

  test('a field that is not a file field, or does not exist', async () => {
    const before = h.storedFiles();
    expect((await upload(cookie, id, 'org', 'a.png', PNG_1PX)).statusCode).toBe(400);
    expect((await upload(cookie, id, 'nope', 'a.png', PNG_1PX)).statusCode).toBe(400);
    await expectNothingStored(before);
  });

  test('path-traversal names are reduced to a plain name with the real extension', async () => {
    const res = await upload(cookie, id, 'photos', '../../../etc/passwd.png', PNG_1PX);
    expect(res.statusCode).toBe(201);
    expect(res.json().file.name).toBe('passwd.png');
    const res2 = await upload(cookie, id, 'photos', '..\\..\\windows\\положение.exe', PDF_SMALL);
    expect(res2.statusCode).toBe(201);
    expect(res2.json().file).toMatchObject({ name: 'положение.pdf', mimeType: 'application/pdf' });
    for (const f of h.storedFiles()) expect(f).toMatch(/^[0-9a-f]{2}\/[0-9a-f-]{36}$/);
  });

  test('too many: the form allows two files', async () => {
    const before = h.storedFiles();
    const res = await upload(cookie, id, 'photos', 'третье.png', PNG_1PX);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('too_many_files');
    expect(h.storedFiles()).toEqual(before);
  });

  test('removing a file deletes it from storage', async () => {
    const files = (await get(cookie, id)).json().application.files;
    const before = h.storedFiles().length;
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/applications/${id}/files/${files[0].id}`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(h.storedFiles()).toHaveLength(before - 1);
    expect(
      (await app.inject({ method: 'GET', url: `/api/files/${files[0].id}`, headers: { cookie } })).statusCode,
    ).toBe(404);
  });
});

describe('answer shapes', () => {
  test('one ticked choice stays a list; a list for a text field or a number is refused', async () => {
    const { cookie } = await registerUser(app);
    const a = await startApplication(cookie);
    const one = await put(cookie, a.id, { areas: ['досуг'], org: 'ТОС' });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().application.answers).toEqual({ areas: ['досуг'], org: 'ТОС' });
    expect((await put(cookie, a.id, { org: ['ТОС'] })).statusCode).toBe(400);
    expect((await put(cookie, a.id, { areas: 'досуг' })).statusCode).toBe(400);
    expect((await put(cookie, a.id, { org: 42 })).statusCode).toBe(400);
    expect((await put(cookie, a.id, { org: 'я'.repeat(40_001) })).statusCode).toBe(400);
    expect((await get(cookie, a.id)).json().application.answers).toEqual({ areas: ['досуг'], org: 'ТОС' });
  });
});

describe('an interrupted upload', () => {
  test('a body cut off in the middle of the file is refused with 400 and leaves nothing behind', async () => {
    const { cookie } = await registerUser(app);
    const a = await startApplication(cookie);
    const before = h.storedFiles();
    const body = multipart('фото.png', Buffer.concat([PNG_1PX, Buffer.alloc(200_000, 1)]));
    const cut = body.payload.subarray(0, 150_000);
    const res = await app.inject({
      method: 'POST',
      url: `/api/applications/${a.id}/files?field=photos`,
      headers: { cookie, ...body.headers },
      payload: cut,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(h.storedFiles()).toEqual(before);
    expect((await get(cookie, a.id)).json().application.files).toEqual([]);
  });
});
