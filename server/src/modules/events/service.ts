import type { Db } from '@konkurs/db';
import type { ContestSummary, EventsResponse, OlympiadSummary } from './schemas.ts';

/** Where a contest stands, decided by its dates against the server's clock. */
export function contestPhase(
  c: { applications_open_at: Date; applications_close_at: Date; results_published_at: Date | null },
  now: Date,
): ContestSummary['phase'] {
  if (c.results_published_at && c.results_published_at <= now) return 'results';
  if (now < c.applications_open_at) return 'upcoming';
  if (now < c.applications_close_at) return 'applications';
  return 'review';
}

export function olympiadPhase(
  o: { window_start_at: Date; window_end_at: Date; results_published_at: Date | null },
  now: Date,
): OlympiadSummary['phase'] {
  if (o.results_published_at && o.results_published_at <= now) return 'results';
  if (now < o.window_start_at) return 'upcoming';
  if (now < o.window_end_at) return 'open';
  return 'grading';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listEvents(db: Db, now = new Date()): Promise<EventsResponse> {
  const [contests, nominations, olympiads] = await Promise.all([
    db
      .selectFrom('contests')
      .selectAll()
      .where('archived_at', 'is', null)
      .orderBy('applications_close_at', 'desc')
      .execute(),
    db.selectFrom('nominations').select(['id', 'contest_id', 'title']).orderBy('position').orderBy('title').execute(),
    db.selectFrom('olympiads').selectAll().orderBy('window_start_at', 'desc').execute(),
  ]);
  return {
    contests: contests.map((c) => ({
      id: c.id,
      slug: c.slug,
      title: c.title,
      description: c.description,
      phase: contestPhase(c, now),
      applicationsOpenAt: c.applications_open_at.toISOString(),
      applicationsCloseAt: c.applications_close_at.toISOString(),
      reviewEndAt: c.review_end_at.toISOString(),
      resultsPublishedAt: iso(c.results_published_at),
      nominations: nominations.filter((n) => n.contest_id === c.id).map((n) => ({ id: n.id, title: n.title })),
    })),
    olympiads: olympiads.map((o) => ({
      id: o.id,
      slug: o.slug,
      title: o.title,
      description: o.description,
      phase: olympiadPhase(o, now),
      windowStartAt: o.window_start_at.toISOString(),
      windowEndAt: o.window_end_at.toISOString(),
      timeLimitMinutes: o.time_limit_minutes,
      grades: o.grades,
      resultsPublishedAt: iso(o.results_published_at),
    })),
  };
}
