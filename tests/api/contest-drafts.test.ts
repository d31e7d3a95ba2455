import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import {
  buildApplicationsApp,
  contestBody,
  createContestWithForm,
  DAY,
  organizerCookie,
  publishContest,
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

const get = (url: string, cookie?: string) => app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const publication = (id: string, published: boolean, cookie = organizer) =>
  app.inject({
    method: 'POST',
    url: `/api/contests/${id}/publication`,
    headers: { cookie },
    payload: { published },
  });
const apply = (cookie: string, nominationId: string) =>
  app.inject({ method: 'POST', url: '/api/applications', headers: { cookie }, payload: { nominationId } });

describe('contests start as drafts and are published by an explicit act', () => {
  test('a draft is seen by organizers only: not on the home page, its page and form 404, no applications', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now(), {}, undefined, { draft: true });
    const applicant = await registerUser(app);

    const events = (await get('/api/events')).json();
    expect(events.contests.map((x: { id: string }) => x.id)).not.toContain(c.id);
    for (const cookie of [undefined, applicant.cookie]) {
      expect((await get(`/api/contests/by-slug/${c.slug}`, cookie)).statusCode).toBe(404);
      expect((await get(`/api/contests/${c.id}/form`, cookie)).statusCode).toBe(404);
    }
    const refused = await apply(applicant.cookie, c.nominations[0].id);
    expect(refused.statusCode).toBe(404);
    expect(await t.db.selectFrom('applications').select('id').where('contest_id', '=', c.id).execute()).toEqual([]);

    const own = await get(`/api/contests/by-slug/${c.slug}`, organizer);
    expect(own.statusCode).toBe(200);
    expect(own.json().contest.publishedAt).toBeNull();
    const list = (await get('/api/admin/contests', organizer)).json();
    expect(list.contests.find((x: { id: string }) => x.id === c.id).publishedAt).toBeNull();
  });

  test('publishing: organizers only, audited; then public and open; taking it back only while no applications', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now(), {}, undefined, { draft: true });
    const applicant = await registerUser(app);
    expect((await publication(c.id, true, applicant.cookie)).statusCode).toBe(403);

    const res = await publication(c.id, true);
    expect(res.statusCode, res.body).toBe(200);
    const publishedAt = res.json().contest.publishedAt;
    expect(publishedAt).toBe(h.clock.now().toISOString());
    // Publishing twice changes nothing and logs nothing more.
    expect((await publication(c.id, true)).json().contest.publishedAt).toBe(publishedAt);

    expect((await get(`/api/contests/by-slug/${c.slug}`)).statusCode).toBe(200);
    expect((await get('/api/events')).json().contests.map((x: { id: string }) => x.id)).toContain(c.id);

    // Back to a draft while nobody has applied.
    expect((await publication(c.id, false)).json().contest.publishedAt).toBeNull();
    expect((await get(`/api/contests/by-slug/${c.slug}`)).statusCode).toBe(404);
    await publishContest(app, organizer, c.id);
    expect((await apply(applicant.cookie, c.nominations[0].id)).statusCode).toBe(201);
    const refused = await publication(c.id, false);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('уже начаты заявки');
    expect((await get(`/api/contests/by-slug/${c.slug}`)).statusCode).toBe(200);

    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', c.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'contest.create',
      'contest.publish',
      'contest.unpublish',
      'contest.publish',
    ]);
  });

  test('a copy is a draft whose title says it is a copy, unless the organizer typed another title', async () => {
    const c = await createContestWithForm(app, organizer, h.clock.now(), { title: 'Лучший двор' });
    const copy = (title: string | undefined, slug: string) =>
      app.inject({
        method: 'POST',
        url: `/api/contests/${c.id}/copy`,
        headers: { cookie: organizer },
        payload: { ...(title === undefined ? {} : { title }), slug, shiftYears: 1 },
      });
    const same = await copy('Лучший двор', `${c.slug}-a`);
    expect(same.statusCode, same.body).toBe(201);
    expect(same.json().contest).toMatchObject({ title: 'Лучший двор (копия)', publishedAt: null });
    expect((await copy(undefined, `${c.slug}-b`)).json().contest.title).toBe('Лучший двор (копия)');
    expect((await copy('Лучший двор 2027', `${c.slug}-c`)).json().contest.title).toBe('Лучший двор 2027');
    expect((await get(`/api/contests/by-slug/${c.slug}-a`)).statusCode).toBe(404);
    expect((await get('/api/events')).json().contests.map((x: { slug: string }) => x.slug)).not.toContain(
      `${c.slug}-a`,
    );
  });

  test('the home page lists what a visitor can act on first: open, upcoming, in review, finished', async () => {
    const now = h.clock.now();
    const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
    const make = async (title: string, open: number, close: number, review: number) =>
      createContestWithForm(app, organizer, now, {
        title,
        applicationsOpenAt: at(open),
        applicationsCloseAt: at(close),
        reviewEndAt: at(review),
      });
    // Made in an order that sorting by close date (the old order) would scramble.
    const review = await make('Жюри работает', -30, -2, 20);
    const upcoming = await make('Скоро', 5, 40, 50);
    const openLate = await make('Открыт, закрывается позже', -1, 30, 35);
    const openSoon = await make('Открыт, закрывается скоро', -1, 3, 35);
    const finished = await make('Завершён', -60, -40, -30);
    await t.db
      .updateTable('contests')
      .set({ results_published_at: new Date(now.getTime() - 20 * DAY) })
      .where('id', '=', finished.id)
      .execute();
    const ids = [openSoon, openLate, upcoming, review, finished].map((c) => c.id);
    const listed = (await get('/api/events')).json().contests as { id: string; phase: string }[];
    const ours = listed.filter((c) => ids.includes(c.id));
    expect(ours.map((c) => c.id)).toEqual(ids);
    expect(ours.map((c) => c.phase)).toEqual(['applications', 'applications', 'upcoming', 'review', 'results']);
  });
});

describe('the page address (slug) is made from the title when left out', () => {
  const create = (body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/contests', headers: { cookie: organizer }, payload: body });

  test('as for olympiads, with -2, -3 when taken; an address typed by the organizer is kept; a change keeps it', async () => {
    const body = (title: string) => {
      const b: Record<string, unknown> = contestBody(h.clock.now(), { title });
      delete b.slug;
      return b;
    };
    const first = await create(body('Лучший двор Смоленска'));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().contest.slug).toBe('luchshiy-dvor-smolenska');
    expect((await create(body('Лучший двор Смоленска'))).json().contest.slug).toBe('luchshiy-dvor-smolenska-2');
    expect((await create(body('Лучший двор — Смоленска!'))).json().contest.slug).toBe('luchshiy-dvor-smolenska-3');
    expect((await create(body('!!!'))).json().contest.slug).toBe('konkurs');

    const id = first.json().contest.id;
    const edited = await app.inject({
      method: 'PUT',
      url: `/api/contests/${id}`,
      headers: { cookie: organizer },
      payload: { ...body('Новое название'), nominations: first.json().contest.nominations },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().contest.slug).toBe('luchshiy-dvor-smolenska');

    const copy = await app.inject({
      method: 'POST',
      url: `/api/contests/${id}/copy`,
      headers: { cookie: organizer },
      payload: { shiftYears: 1 },
    });
    expect(copy.statusCode, copy.body).toBe(201);
    expect(copy.json().contest).toMatchObject({ title: 'Новое название (копия)', slug: 'novoe-nazvanie-kopiya' });
  });
});
