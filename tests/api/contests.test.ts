import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  contestBody,
  createContestWithForm,
  everyKindForm,
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

const create = (payload: unknown, cookie = organizer) =>
  app.inject({ method: 'POST', url: '/api/contests', headers: { cookie }, payload: payload as object });

describe('contests managed by organizers', () => {
  test('create: public page by slug with rules, nominations, dates; a default form with the consent', async () => {
    const body = contestBody(h.clock.now());
    const res = await create(body);
    expect(res.statusCode, res.body).toBe(201);
    const { contest } = res.json();
    expect(contest).toMatchObject({
      title: body.title,
      slug: body.slug,
      phase: 'applications',
      numberPrefix: 'ТОС',
      archivedAt: null,
    });
    expect(contest.nominations.map((n: { title: string }) => n.title)).toEqual([
      'Лучший председатель ТОС',
      'Лучшая инициатива',
    ]);

    // A new contest is a draft: its page is there for organizers (the public sees it once published).
    expect(contest.publishedAt).toBeNull();
    const pub = await app.inject({
      method: 'GET',
      url: `/api/contests/by-slug/${body.slug}`,
      headers: { cookie: organizer },
    });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().contest.rulesMarkdown).toContain('# Положение');
    const form = await app.inject({
      method: 'GET',
      url: `/api/contests/${contest.id}/form`,
      headers: { cookie: organizer },
    });
    expect(form.json().form.version).toBe(1);
    expect(form.json().form.fields.some((f: { kind: string }) => f.kind === 'consent')).toBe(true);

    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', contest.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['contest.create']);
  });

  test('wrong dates, a taken slug and duplicate nominations are refused with the field named, nothing created', async () => {
    const now = h.clock.now();
    const before = await t.db.selectFrom('contests').select('id').execute();
    const badDates = await create(
      contestBody(now, { applicationsCloseAt: new Date(now.getTime() - 2 * 86400000).toISOString() }),
    );
    expect(badDates.statusCode).toBe(400);
    expect(badDates.json().error.fields.applicationsCloseAt).toContain('позже его начала');
    const dup = await create(contestBody(now, { nominations: [{ title: 'А' }, { title: 'а' }] }));
    expect(dup.json().error.fields.nominations).toBeDefined();
    const noTitle = await create(contestBody(now, { title: '' }));
    expect(noTitle.json().error.fields.title).toBe('Заполните поле «Название конкурса».');
    const badSlug = await create(contestBody(now, { slug: 'Плохой адрес' }));
    expect(badSlug.json().error.fields.slug).toContain('Адрес страницы');
    const ok = await create(contestBody(now, { slug: 'zanyatyy-adres' }));
    expect(ok.statusCode).toBe(201);
    const taken = await create(contestBody(now, { slug: 'zanyatyy-adres' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.fields.slug).toBeDefined();
    expect(await t.db.selectFrom('contests').select('id').execute()).toHaveLength(before.length + 1);
  });

  test('a new contest needs the choice of blind or open review; the contest says which is in force (issue #11, item 3)', async () => {
    const { juryBlind: _omitted, ...body } = contestBody(h.clock.now());
    const refused = await create(body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.juryBlind).toBe('Заполните поле «Оценка жюри».');
    const open = await create({ ...body, juryBlind: false });
    expect(open.statusCode, open.body).toBe(201);
    expect(open.json().contest.juryBlind).toBe(false);
    const row = await t.db
      .selectFrom('contests')
      .select('jury_blind')
      .where('id', '=', open.json().contest.id)
      .executeTakeFirstOrThrow();
    expect(row.jury_blind).toBe(false);
    const blind = await create(contestBody(h.clock.now(), { juryBlind: true }));
    expect(blind.json().contest.juryBlind).toBe(true);
  });

  test('only organizers manage contests; anonymous gets 401, an applicant 403', async () => {
    const applicant = await registerUser(app);
    const body = contestBody(h.clock.now());
    expect((await app.inject({ method: 'POST', url: '/api/contests', payload: body })).statusCode).toBe(401);
    expect((await create(body, applicant.cookie)).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: '/api/admin/contests', headers: { cookie: applicant.cookie } }))
        .statusCode,
    ).toBe(403);
    const c = await createContestWithForm(app, organizer, h.clock.now());
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: `/api/contests/${c.id}/form`,
          headers: { cookie: applicant.cookie },
          payload: { nominationId: null, fields: everyKindForm() },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: `/api/contests/${c.id}/archive`, payload: { archived: true } }))
        .statusCode,
    ).toBe(401);
  });

  test('edit: nominations renamed, added, removed; a nomination with applications cannot be removed', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const [first, second] = c.nominations;
    const body = contestBody(h.clock.now(), {
      slug: c.slug,
      title: 'Новое название',
      nominations: [{ id: first.id, title: 'Переименована' }, { title: 'Новая' }],
    });
    const res = await app.inject({
      method: 'PUT',
      url: `/api/contests/${c.id}`,
      headers: { cookie: organizer },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().contest.title).toBe('Новое название');
    expect(res.json().contest.nominations.map((n: { title: string }) => n.title)).toEqual(['Переименована', 'Новая']);
    expect(res.json().contest.nominations[0].id).toBe(first.id);
    expect(res.json().contest.nominations.some((n: { id: string }) => n.id === second.id)).toBe(false);

    const applicant = await registerUser(app);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/applications',
          headers: { cookie: applicant.cookie },
          payload: { nominationId: first.id },
        })
      ).statusCode,
    ).toBe(201);
    const remove = await app.inject({
      method: 'PUT',
      url: `/api/contests/${c.id}`,
      headers: { cookie: organizer },
      payload: { ...body, nominations: [{ title: 'Только новая' }] },
    });
    expect(remove.statusCode).toBe(409);
    expect(remove.json().error.message).toContain('Переименована');
  });

  test("copy last year's contest into this year: nominations, rules and form, dates a year later, no applications", async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const source = (
      await app.inject({ method: 'GET', url: `/api/admin/contests/${c.id}`, headers: { cookie: organizer } })
    ).json().contest;
    const res = await app.inject({
      method: 'POST',
      url: `/api/contests/${c.id}/copy`,
      headers: { cookie: organizer },
      payload: { title: 'Лучший ТОС следующего года', slug: `${c.slug}-copy`, shiftYears: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const copy = res.json().contest;
    expect(copy.id).not.toBe(c.id);
    expect(copy.nominations.map((n: { title: string }) => n.title)).toEqual(
      source.nominations.map((n: { title: string }) => n.title),
    );
    expect(copy.rulesMarkdown).toBe(source.rulesMarkdown);
    const shifted = new Date(source.applicationsCloseAt);
    shifted.setUTCFullYear(shifted.getUTCFullYear() + 1);
    expect(copy.applicationsCloseAt).toBe(shifted.toISOString());
    const form = (
      await app.inject({ method: 'GET', url: `/api/contests/${copy.id}/form`, headers: { cookie: organizer } })
    ).json().form;
    expect(form.fields).toEqual(everyKindForm());
    expect(form.version).toBe(1);
  });

  test('archive hides a contest from the public and from new applications; unarchive brings it back', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const res = await app.inject({
      method: 'POST',
      url: `/api/contests/${c.id}/archive`,
      headers: { cookie: organizer },
      payload: { archived: true },
    });
    expect(res.json().contest.archivedAt).not.toBeNull();
    expect((await app.inject({ method: 'GET', url: `/api/contests/by-slug/${c.slug}` })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/api/contests/by-slug/${c.slug}`, headers: { cookie: organizer } }))
        .statusCode,
    ).toBe(200);
    const events = (await app.inject({ method: 'GET', url: '/api/events' })).json();
    expect(events.contests.map((x: { id: string }) => x.id)).not.toContain(c.id);
    const applicant = await registerUser(app);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/applications',
          headers: { cookie: applicant.cookie },
          payload: { nominationId: c.nominations[0].id },
        })
      ).statusCode,
    ).toBe(404);
    await app.inject({
      method: 'POST',
      url: `/api/contests/${c.id}/archive`,
      headers: { cookie: organizer },
      payload: { archived: false },
    });
    expect((await app.inject({ method: 'GET', url: `/api/contests/by-slug/${c.slug}` })).statusCode).toBe(200);
  });

  test('the rules as a PDF: stored, public to download; a picture is refused', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const png = multipart('положение.pdf', PNG_1PX);
    const refused = await app.inject({
      method: 'POST',
      url: `/api/contests/${c.id}/rules-file`,
      headers: { cookie: organizer, ...png.headers },
      payload: png.payload,
    });
    expect(refused.statusCode).toBe(415);
    const pdf = multipart('Положение 2026.pdf', PDF_SMALL);
    const res = await app.inject({
      method: 'POST',
      url: `/api/contests/${c.id}/rules-file`,
      headers: { cookie: organizer, ...pdf.headers },
      payload: pdf.payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    const file = res.json().contest.rulesFile;
    expect(file).toMatchObject({ name: 'Положение 2026.pdf', size: PDF_SMALL.length });
    const download = await app.inject({ method: 'GET', url: `/api/files/${file.id}` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
  });
});

describe('forms are versioned', () => {
  test('a form changed after applications exist does not alter them; new applications get the new version', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const applicant = await registerUser(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie: applicant.cookie },
      payload: { nominationId: c.nominations[0].id },
    });
    const id = created.json().application.id;
    await app.inject({
      method: 'PUT',
      url: `/api/applications/${id}/answers`,
      headers: { cookie: applicant.cookie },
      payload: { answers: validAnswers() },
    });

    const changed = everyKindForm().filter((f) => f.key !== 'org');
    changed.push({ key: 'extra', kind: 'text', label: 'Новое поле', required: true, personal: false });
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/contests/${c.id}/form`,
      headers: { cookie: organizer },
      payload: { nominationId: null, fields: changed },
    });
    expect(saved.json().form.version).toBe(3);

    const old = (
      await app.inject({ method: 'GET', url: `/api/applications/${id}`, headers: { cookie: applicant.cookie } })
    ).json().application;
    expect(old.form.version).toBe(2);
    expect(old.answers.org).toBe('ТОС «Родник»');
    expect(old.missing.extra).toBeUndefined();

    const other = await registerUser(app);
    const fresh = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { cookie: other.cookie },
      payload: { nominationId: c.nominations[0].id },
    });
    expect(fresh.json().application.form.version).toBe(3);
    expect(fresh.json().application.missing.extra).toBe('Заполните поле «Новое поле».');
  });

  test('a nomination may have its own form', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const own = [
      { key: 'initiative', kind: 'textarea', label: 'Суть инициативы', required: true, personal: false },
      { key: 'consent', kind: 'consent', label: 'Согласие', required: true, personal: false, consentText: 'Согласен.' },
    ];
    const res = await app.inject({
      method: 'PUT',
      url: `/api/contests/${c.id}/form`,
      headers: { cookie: organizer },
      payload: { nominationId: c.nominations[1].id, fields: own },
    });
    expect(res.statusCode).toBe(200);
    const second = (
      await app.inject({ method: 'GET', url: `/api/contests/${c.id}/form?nominationId=${c.nominations[1].id}` })
    ).json();
    expect(second.own).toBe(true);
    expect(second.form.fields.map((f: { key: string }) => f.key)).toEqual(['initiative', 'consent']);
    const first = (
      await app.inject({ method: 'GET', url: `/api/contests/${c.id}/form?nominationId=${c.nominations[0].id}` })
    ).json();
    expect(first.own).toBe(false);
    expect(first.form.fields).toEqual(everyKindForm());
  });

  test('a broken form is refused: no consent, duplicate keys, a choice without options, a file field without types', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now());
    const put = (fields: unknown) =>
      app.inject({
        method: 'PUT',
        url: `/api/contests/${c.id}/form`,
        headers: { cookie: organizer },
        payload: { nominationId: null, fields },
      });
    const noConsent = await put([{ key: 'a', kind: 'text', label: 'А', required: false, personal: false }]);
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().error.fields.fields).toContain('согласие');
    const consent = {
      key: 'consent',
      kind: 'consent',
      label: 'Согласие',
      required: true,
      personal: false,
      consentText: 'Да.',
    };
    const dup = await put([
      { key: 'a', kind: 'text', label: 'А', required: false, personal: false },
      { key: 'a', kind: 'text', label: 'Б', required: false, personal: false },
      consent,
    ]);
    expect(dup.json().error.fields['fields.1.key']).toContain('уже занят');
    const choice = await put([
      { key: 'm', kind: 'choice', label: 'Район', required: true, personal: false, options: [] },
      consent,
    ]);
    expect(choice.json().error.fields['fields.0.options']).toContain('вариант');
    const file = await put([
      { key: 'f', kind: 'file', label: 'Файлы', required: true, personal: false, accept: [] },
      consent,
    ]);
    expect(file.json().error.fields['fields.0.accept']).toBeDefined();
    const kind = await put([{ key: 'f', kind: 'video', label: 'Видео', required: true, personal: false }, consent]);
    expect(kind.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/contests/${c.id}/form` })).json().form.version).toBe(2);
  });
});
