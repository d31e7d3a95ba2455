import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '@konkurs/db';
import { contestPhase, olympiadPhase } from '../../server/src/modules/events/service.ts';
import { buildTestApp, type App } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let app: App;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildTestApp(t.db);
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

const DAY = 24 * 60 * 60 * 1000;

interface ContestJson {
  id: string;
  slug: string;
  title: string;
  description: string;
  phase: string;
  applicationsOpenAt: string;
  applicationsCloseAt: string;
  reviewEndAt: string;
  resultsPublishedAt: string | null;
  nominations: Array<{ id: string; title: string }>;
}

describe('GET /api/events', () => {
  test('an empty database lists no events', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/events' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ contests: [], olympiads: [] });
  });

  test('lists the seeded contests with their nominations and the olympiad, each with its phase and dates', async () => {
    const now = new Date();
    // No real hashing needed: these tests do not sign in.
    expect(await seedDemo(t.db, { hashPassword: async (p) => `plain:${p}`, now })).toBe(true);

    const res = await app.inject({ method: 'GET', url: '/api/events' });
    expect(res.statusCode).toBe(200);
    const { contests, olympiads } = res.json() as {
      contests: ContestJson[];
      olympiads: Array<Record<string, unknown>>;
    };

    // Latest closing first: the city contest (open for applications) before the regional one (under review).
    expect(contests.map((c) => [c.slug, c.phase])).toEqual([
      ['luchshiy-predsedatel-tos-smolensk', 'applications'],
      ['luchshiy-rukovoditel-tos-smolenskoy-oblasti', 'review'],
    ]);
    const [city, region] = contests;
    expect(city.title).toMatch(/^Лучший председатель ТОС/);
    expect(city.description.length).toBeGreaterThan(50);
    expect(city.nominations.map((n) => n.title)).toEqual([
      'Лучший председатель территориального общественного самоуправления',
      'Лучшая общественная инициатива в решении вопросов местного значения',
    ]);
    expect(region.nominations.map((n) => n.title)).toEqual([
      'Лучший председатель совета (комитета) территориального общественного самоуправления',
      'Лучший старший по дому, подъезду',
      'Лучший старейшина',
    ]);
    for (const n of [...city.nominations, ...region.nominations]) expect(n.id).toMatch(/^[0-9a-f-]{36}$/);

    // Dates are ISO 8601 instants, as the seed set them relative to now.
    expect(city.applicationsOpenAt).toBe(new Date(now.getTime() - 20 * DAY).toISOString());
    expect(city.applicationsCloseAt).toBe(new Date(now.getTime() + 21 * DAY).toISOString());
    expect(city.reviewEndAt).toBe(new Date(now.getTime() + 35 * DAY).toISOString());
    expect(city.resultsPublishedAt).toBeNull();

    expect(olympiads).toHaveLength(1);
    expect(olympiads[0]).toMatchObject({
      slug: 'olimpiada-osnovy-msu',
      title: 'Олимпиада по основам местного самоуправления',
      phase: 'open',
      grades: [10, 11],
      timeLimitMinutes: 90,
      windowStartAt: new Date(now.getTime() - DAY).toISOString(),
      windowEndAt: new Date(now.getTime() + 7 * DAY).toISOString(),
      resultsPublishedAt: null,
    });
  });

  test('the phase follows the dates: publishing results moves a contest to "results"', async () => {
    await t.db
      .updateTable('contests')
      .set({ results_published_at: new Date(Date.now() - 60_000) })
      .where('slug', '=', 'luchshiy-rukovoditel-tos-smolenskoy-oblasti')
      .execute();
    await t.db
      .updateTable('olympiads')
      .set({ window_start_at: new Date(Date.now() + DAY) })
      .execute();
    const { contests, olympiads } = (await app.inject({ method: 'GET', url: '/api/events' })).json();
    const region = contests.find((c: ContestJson) => c.slug === 'luchshiy-rukovoditel-tos-smolenskoy-oblasti');
    expect(region.phase).toBe('results');
    expect(typeof region.resultsPublishedAt).toBe('string');
    expect(olympiads[0].phase).toBe('upcoming');
  });

  test('anyone may see the events, without signing in', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/events' });
    expect(res.statusCode).toBe(200);
    expect(res.json().contests).toHaveLength(2);
  });
});

describe('contestPhase at its boundaries', () => {
  const open = new Date('2026-10-01T00:00:00Z');
  const close = new Date('2026-11-01T00:00:00Z');
  const contest = { applications_open_at: open, applications_close_at: close, results_published_at: null };
  const at = (d: Date, ms: number) => new Date(d.getTime() + ms);

  test('before applications open: upcoming', () => {
    expect(contestPhase(contest, at(open, -1))).toBe('upcoming');
  });
  test('exactly at applications_open_at: applications', () => {
    expect(contestPhase(contest, open)).toBe('applications');
  });
  test('one millisecond before applications_close_at: applications', () => {
    expect(contestPhase(contest, at(close, -1))).toBe('applications');
  });
  test('exactly at applications_close_at: review', () => {
    expect(contestPhase(contest, close)).toBe('review');
  });
  test('long after closing and without results: still review', () => {
    expect(contestPhase(contest, at(close, 365 * DAY))).toBe('review');
  });
  test('results: from exactly results_published_at on, not before', () => {
    const published = at(close, 10 * DAY);
    const withResults = { ...contest, results_published_at: published };
    expect(contestPhase(withResults, at(published, -1))).toBe('review');
    expect(contestPhase(withResults, published)).toBe('results');
    expect(contestPhase(withResults, at(published, DAY))).toBe('results');
  });
});

describe('olympiadPhase at its boundaries', () => {
  const start = new Date('2026-12-01T06:00:00Z');
  const end = new Date('2026-12-08T21:00:00Z');
  const olympiad = { window_start_at: start, window_end_at: end, results_published_at: null };
  const at = (d: Date, ms: number) => new Date(d.getTime() + ms);

  test('before the window: upcoming', () => {
    expect(olympiadPhase(olympiad, at(start, -1))).toBe('upcoming');
  });
  test('exactly at window_start_at: open', () => {
    expect(olympiadPhase(olympiad, start)).toBe('open');
  });
  test('one millisecond before window_end_at: open', () => {
    expect(olympiadPhase(olympiad, at(end, -1))).toBe('open');
  });
  test('exactly at window_end_at: grading', () => {
    expect(olympiadPhase(olympiad, end)).toBe('grading');
  });
  test('results: from exactly results_published_at on', () => {
    const published = at(end, 3 * DAY);
    const withResults = { ...olympiad, results_published_at: published };
    expect(olympiadPhase(withResults, at(published, -1))).toBe('grading');
    expect(olympiadPhase(withResults, published)).toBe('results');
  });
});
