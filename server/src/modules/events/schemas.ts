import { Type, type Static } from '@sinclair/typebox';

export const ContestPhase = Type.Union([
  Type.Literal('upcoming'),
  Type.Literal('applications'),
  Type.Literal('review'),
  Type.Literal('results'),
]);
export const OlympiadPhase = Type.Union([
  Type.Literal('upcoming'),
  Type.Literal('open'),
  Type.Literal('grading'),
  Type.Literal('results'),
]);

export const ContestSummary = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  phase: ContestPhase,
  applicationsOpenAt: Type.String({ format: 'date-time' }),
  applicationsCloseAt: Type.String({ format: 'date-time' }),
  reviewEndAt: Type.String({ format: 'date-time' }),
  resultsPublishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  nominations: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
});
export type ContestSummary = Static<typeof ContestSummary>;

export const OlympiadSummary = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  phase: OlympiadPhase,
  windowStartAt: Type.String({ format: 'date-time' }),
  windowEndAt: Type.String({ format: 'date-time' }),
  timeLimitMinutes: Type.Integer(),
  grades: Type.Array(Type.Integer()),
  resultsPublishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type OlympiadSummary = Static<typeof OlympiadSummary>;

export const EventsResponse = Type.Object({
  contests: Type.Array(ContestSummary),
  olympiads: Type.Array(OlympiadSummary),
});
export type EventsResponse = Static<typeof EventsResponse>;
