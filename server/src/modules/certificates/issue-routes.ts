import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole } from '../auth/plugin.ts';
import { issueFromResults, issuingState } from './issue.ts';
import { EventQuery, IssueResult, IssuingStateSchema } from './schemas.ts';
import { eventRef } from './service.ts';

const tags = ['Наградные документы'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', title: 'Конкурс' }) });

/** Issuing the awards the published results entitle (certificates/issue.ts), for contests and olympiads alike. */
export const certificateIssueRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const issue = async (event: { contestId: string } | { olympiadId: string }, actor: { id: string; ip: string }) => {
    const awards = await issueFromResults(db, event, actor);
    return { awards, issued: awards.reduce((s, a) => s + a.issued, 0), alreadyIssued: awards.reduce((s, a) => s + a.alreadyIssued, 0) };
  };

  app.post('/api/contests/:id/certificates/issue', {
    schema: {
      tags, summary: 'Выдать наградные документы по опубликованным итогам конкурса (для организатора)', params: IdParams,
      response: { 200: IssueResult, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request) => {
    const user = requireRole(request, 'organizer');
    return issue({ contestId: request.params.id }, { id: user.id, ip: request.ip });
  });

  // The olympiad routes name their parameter olympiadId: one name per position in the router's tree.
  app.post('/api/olympiads/:olympiadId/certificates/issue', {
    schema: {
      tags, summary: 'Выдать наградные документы по опубликованным итогам олимпиады (для организатора)',
      params: Type.Object({ olympiadId: Type.String({ format: 'uuid', title: 'Олимпиада' }) }),
      response: { 200: IssueResult, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request) => {
    const user = requireRole(request, 'organizer');
    return issue({ olympiadId: request.params.olympiadId }, { id: user.id, ip: request.ip });
  });

  app.get('/api/certificates/issuing', {
    schema: {
      tags, summary: 'Сколько документов положено по итогам и сколько выдано (для организатора)', querystring: EventQuery,
      response: { 200: IssuingStateSchema, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    requireRole(request, 'organizer');
    return issuingState(db, eventRef(request.query));
  });
};
