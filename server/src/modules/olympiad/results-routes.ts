import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@konkurs/db';
import { errorResponses } from '../../http/errors.ts';
import { requireRole, requireUser } from '../auth/plugin.ts';
import { computeResults, myResult, publishResults, setAwardRule } from './results-service.ts';
import { AwardRuleSchema, MyResult, OlympiadParams, ResultsPreview } from './schemas.ts';

const tags = ['Олимпиада: итоги'];

export const olympiadResultRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get('/api/olympiads/:olympiadId/results', {
    schema: { tags, summary: 'Итоги: таблица с баллами, местами и статусами (предпросмотр для организатора)', params: OlympiadParams, response: { 200: ResultsPreview, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    requireRole(request, 'organizer');
    return computeResults(db, request.params.olympiadId);
  });

  app.put('/api/olympiads/:olympiadId/award-rule', {
    schema: { tags, summary: 'Правило награждения: порог, квота, число победителей, рейтинг по параллелям', params: OlympiadParams, body: AwardRuleSchema, response: { 200: ResultsPreview, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const actor = requireRole(request, 'organizer');
    await setAwardRule(db, request.params.olympiadId, request.body, { id: actor.id, ip: request.ip });
    return computeResults(db, request.params.olympiadId);
  });

  app.post('/api/olympiads/:olympiadId/results/publish', {
    schema: { tags, summary: 'Опубликовать итоги', params: OlympiadParams, response: { 200: ResultsPreview, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const actor = requireRole(request, 'organizer');
    return publishResults(db, request.params.olympiadId, { id: actor.id, ip: request.ip });
  });

  app.get('/api/olympiads/:olympiadId/results/my', {
    schema: { tags, summary: 'Мой результат (после публикации итогов)', params: OlympiadParams, response: { 200: MyResult, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (request) => myResult(db, request.params.olympiadId, requireUser(request).id));
};
