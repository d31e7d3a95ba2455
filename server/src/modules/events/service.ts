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

const PHASE_ORDER: Record<ContestSummary['phase'], number> = { applications: 0, upcoming: 1, review: 2, results: 3 };

/**
 * What a visitor can act on comes first: contests open for applications (the soonest to close first), then upcoming
 * ones (the soonest to open first), then those in jury review, then finished ones (the latest first).
 */
export function byWhatVisitorsCanDo<
  C extends { applications_open_at: Date; applications_close_at: Date; results_published_at: Date | null },
>(contests: C[], now: Date): C[] {
  const key = (c: C) => {
    const phase = contestPhase(c, now);
    const at =
      phase === 'applications'
        ? c.applications_close_at.getTime()
        : phase === 'upcoming'
          ? c.applications_open_at.getTime()
          : -(c.results_published_at ?? c.applications_close_at).getTime();
    return { rank: PHASE_ORDER[phase], at };
  };
  return contests
    .map((c) => ({ c, k: key(c) }))
    .sort((a, b) => a.k.rank - b.k.rank || a.k.at - b.k.at)
    .map((x) => x.c);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listEvents(db: Db, now: Date): Promise<EventsResponse> {
  const [contests, nominations, olympiads] = await Promise.all([
    db
      .selectFrom('contests')
      .selectAll()
      .where('archived_at', 'is', null)
      .where('published_at', 'is not', null)
      .execute(),
    db.selectFrom('nominations').select(['id', 'contest_id', 'title']).orderBy('position').orderBy('title').execute(),
    db.selectFrom('olympiads').selectAll().orderBy('window_start_at', 'desc').execute(),
  ]);
  return {
    contests: byWhatVisitorsCanDo(contests, now).map((c) => ({
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
